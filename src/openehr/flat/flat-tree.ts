import type { FlatFormatIssue } from './flat-format-error.js';
import { formatFlatKey, parseFlatKey, type FlatSegment } from './flat-key.js';
import { isJsonObject, isJsonPrimitive, type JsonValue } from '../../shared/json.js';

interface Slot {
  value: JsonValue;
  taken: boolean;
}

interface Group {
  indexed: boolean;
  byIndex: Map<number, FlatNode>;
  taken: boolean;
}

/**
 * One node of a FLAT document seen as a tree: its plain value (`a/b`), its `|suffix` attributes
 * (`a/b|code`) and its child groups (`a/b/c:0`, `a/b/c:1`). FLAT, STRUCTURED and the codecs all
 * meet here. While decoding, every read "takes" an entry; whatever is left untaken afterwards was
 * not understood and is reported as an error, so no key is ever dropped silently.
 */
export class FlatNode {
  /** Path segments from the document root, as written in the input (used in messages). */
  readonly segments: readonly FlatSegment[];
  private valueSlot: Slot | undefined;
  private readonly attributes = new Map<string, Slot>();
  private readonly groups = new Map<string, Group>();
  /** What this node was read as (an RM type or a role), for error messages. */
  describedAs: string | undefined;
  /** Number of entries taken so far; lets a codec tell whether it found anything of its own. */
  takeCount = 0;

  constructor(segments: readonly FlatSegment[] = []) {
    this.segments = segments;
  }

  get path(): string {
    return formatFlatKey(this.segments);
  }

  keyFor(suffix?: string): string {
    return formatFlatKey(this.segments, suffix);
  }

  /** Key of a (possibly absent) descendant, for messages about values that are missing. */
  keyBelow(ids: readonly string[], suffix?: string): string {
    return formatFlatKey([...this.segments, ...ids.map((id) => ({ id, index: undefined }))], suffix);
  }

  // ---- building -------------------------------------------------------------------------------

  setValue(value: JsonValue): void {
    this.valueSlot = { value, taken: false };
  }

  setAttribute(suffix: string, value: JsonValue): void {
    this.attributes.set(suffix, { value, taken: false });
  }

  /** Appends a new instance to a child group (encoding). */
  addChild(id: string, indexed: boolean): FlatNode {
    const group = this.groupFor(id, indexed);
    const index = group.byIndex.size;
    const node = new FlatNode([...this.segments, { id, index: indexed ? index : undefined }]);
    group.byIndex.set(index, node);
    return node;
  }

  /** Finds or creates the instance at a given index (decoding, where indices arrive in any order). */
  childAt(id: string, index: number | undefined): FlatNode {
    const group = this.groupFor(id, index !== undefined);
    const at = index ?? 0;
    let node = group.byIndex.get(at);
    if (!node) {
      node = new FlatNode([...this.segments, { id, index }]);
      group.byIndex.set(at, node);
    }
    return node;
  }

  private groupFor(id: string, indexed: boolean): Group {
    let group = this.groups.get(id);
    if (!group) {
      group = { indexed, byIndex: new Map(), taken: false };
      this.groups.set(id, group);
    } else if (indexed) {
      group.indexed = true;
    }
    return group;
  }

  hasValue(): boolean {
    return this.valueSlot !== undefined;
  }

  hasAttribute(suffix: string): boolean {
    return this.attributes.has(suffix);
  }

  // ---- reading --------------------------------------------------------------------------------

  peekValue(): JsonValue | undefined {
    return this.valueSlot?.value;
  }

  peekAttribute(suffix: string): JsonValue | undefined {
    return this.attributes.get(suffix)?.value;
  }

  takeValue(): JsonValue | undefined {
    if (!this.valueSlot) return undefined;
    this.valueSlot.taken = true;
    this.takeCount++;
    return this.valueSlot.value;
  }

  takeAttribute(suffix: string): JsonValue | undefined {
    const slot = this.attributes.get(suffix);
    if (!slot) return undefined;
    slot.taken = true;
    this.takeCount++;
    return slot.value;
  }

  /** Instances of a child group in index order (gaps closed up). */
  takeChildren(id: string): FlatNode[] {
    const group = this.groups.get(id);
    if (!group) return [];
    group.taken = true;
    this.takeCount++;
    return sortedInstances(group);
  }

  peekChildren(id: string): FlatNode[] {
    const group = this.groups.get(id);
    return group ? sortedInstances(group) : [];
  }

  hasChild(id: string): boolean {
    return this.groups.has(id);
  }

  attributeNames(): string[] {
    return [...this.attributes.keys()];
  }

  childNames(): string[] {
    return [...this.groups.keys()];
  }

  isIndexed(id: string): boolean {
    return this.groups.get(id)?.indexed ?? false;
  }

  /** True when nothing at all is stored (value, attributes or children). */
  isEmpty(): boolean {
    return this.valueSlot === undefined && this.attributes.size === 0 && this.groups.size === 0;
  }

  /** True when every entry at or below this node has already been taken. */
  isFullyTaken(): boolean {
    if (this.valueSlot && !this.valueSlot.taken) return false;
    for (const slot of this.attributes.values()) if (!slot.taken) return false;
    for (const group of this.groups.values()) {
      if (!group.taken) return false;
      for (const node of group.byIndex.values()) if (!node.isFullyTaken()) return false;
    }
    return true;
  }

  /** True when nothing at or below this node has been taken yet. */
  isUntouched(): boolean {
    if (this.valueSlot?.taken) return false;
    for (const slot of this.attributes.values()) if (slot.taken) return false;
    for (const group of this.groups.values()) {
      if (group.taken) return false;
    }
    return true;
  }

  /** Reports every entry left untaken, with the reason derived from what its owner was read as. */
  collectUntaken(issues: FlatFormatIssue[]): void {
    const owner = this.describedAs ?? 'this node';
    if (this.valueSlot && !this.valueSlot.taken) {
      issues.push({ path: this.keyFor(), message: `${owner} does not take a plain value here` });
    }
    for (const [suffix, slot] of this.attributes) {
      if (!slot.taken) {
        issues.push({ path: this.keyFor(suffix), message: `unknown attribute '|${suffix}' for ${owner}` });
      }
    }
    for (const [id, group] of this.groups) {
      for (const node of sortedInstances(group)) {
        if (group.taken) {
          node.collectUntaken(issues);
        } else {
          for (const key of Object.keys(node.toFlat())) {
            issues.push({ path: key, message: `'${id}' is not a template node or RM attribute of ${owner}` });
          }
        }
      }
    }
  }

  // ---- output ---------------------------------------------------------------------------------

  /** The FLAT map of everything at or below this node. */
  toFlat(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    this.writeFlat(out);
    return out;
  }

  private writeFlat(out: Record<string, JsonValue>): void {
    if (this.valueSlot && this.segments.length > 0) out[this.keyFor()] = this.valueSlot.value;
    for (const [suffix, slot] of this.attributes) out[this.keyFor(suffix)] = slot.value;
    for (const group of this.groups.values()) {
      for (const node of sortedInstances(group)) node.writeFlat(out);
    }
  }
}

function sortedInstances(group: Group): FlatNode[] {
  return [...group.byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, node]) => node);
}

/**
 * Builds the tree of a FLAT map. Keys that do not parse, values that are not JSON scalars (or a
 * canonical object under `|raw`) and keys that land on the same slot twice are reported. A null
 * value means "not given" and is skipped.
 */
export function flatTreeOf(flat: Record<string, unknown>, issues: FlatFormatIssue[]): FlatNode {
  const root = new FlatNode();
  for (const [key, raw] of Object.entries(flat)) {
    if (raw === null || raw === undefined) continue;
    const parsed = parseFlatKey(key);
    if (typeof parsed === 'string') {
      issues.push({ path: key, message: parsed });
      continue;
    }
    const isRaw = parsed.suffix === 'raw';
    if (!(isJsonPrimitive(raw) || (isRaw && isJsonObject(raw)))) {
      issues.push({
        path: key,
        message: isRaw ? "'|raw' takes a canonical JSON object" : 'value must be a string, number or boolean',
      });
      continue;
    }
    let node = root;
    for (const segment of parsed.segments) node = node.childAt(segment.id, segment.index);
    const duplicate = parsed.suffix === undefined ? node.hasValue() : node.hasAttribute(parsed.suffix);
    if (duplicate) {
      issues.push({ path: key, message: 'the same value is given twice (with and without an index)' });
      continue;
    }
    if (parsed.suffix === undefined) node.setValue(raw as JsonValue);
    else node.setAttribute(parsed.suffix, raw as JsonValue);
  }
  return root;
}
