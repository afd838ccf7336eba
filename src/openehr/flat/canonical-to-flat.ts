/**
 * Canonical JSON COMPOSITION → FLAT (simSDT), the inverse of flatToComposition. Each template node
 * finds its RM objects by following its AQL path; RM attributes outside the template become
 * underscore keys. Nothing is dropped silently: an attribute or a node that FLAT cannot carry for
 * this template is reported, and a data value or party the suffixes cannot express exactly is
 * written as `|raw` canonical JSON.
 */

import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import { formatNamedSteps, formatSteps, type PathStep } from './aql-path.js';
import { encodeCodePhrase } from './code-phrase-codec.js';
import type { CodecContext } from './codec-context.js';
import { encodeDataValue } from './data-value-codec.js';
import { FlatFormatError, type FlatFormatIssue } from './flat-format-error.js';
import { FlatNode } from './flat-tree.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';
import { arrayAt, defined, objectAt, stringAt } from './json.js';
import {
  encodeFeederAudit,
  encodeInstructionDetails,
  encodeLink,
  encodeObjectRef,
  encodeParticipation,
  encodePartyProxy,
  isPlainPartySelf,
} from './rm-attribute-codec.js';
import { ENTRY_TYPES, EVENT_TYPES, baseType, isLocatableType } from './rm-model.js';
import { childLinks, isInstructionDetailsPart, nodeName, stepsOf, type ChildLink } from './template-walk.js';
import type { FlatToCompositionOptions } from './flat-to-canonical.js';
import { earliestTime } from './time-order.js';

interface Found {
  readonly value: JsonValue;
  /** Canonical path of the value, for messages (`/content[0]/data/events[1]`). */
  readonly path: string;
}

export interface CompositionToFlatOptions {
  /**
   * The lookup flatToComposition takes (skippedNodesFromTemplate): a coded name that is exactly
   * the one the template fixes is then implied, like any template name, and writes no `_name`.
   * Without it such a name is written as `_name|code`, `|value`, `|terminology`.
   */
  readonly skippedNode?: FlatToCompositionOptions['skippedNode'];
}

/**
 * Converts a canonical JSON COMPOSITION into FLAT.
 * @throws FlatFormatError listing every part of the composition that FLAT cannot carry for this
 * template (content without a template node, RM attributes without a FLAT key).
 */
export function compositionToFlat(
  composition: JsonObject,
  webTemplate: WebTemplate,
  options: CompositionToFlatOptions = {},
): Record<string, JsonValue> {
  const writer = new FlatWriter(webTemplate, composition, options);
  const flat = writer.write();
  if (writer.issues.length > 0) throw new FlatFormatError(writer.issues);
  return flat;
}

class FlatWriter {
  readonly issues: FlatFormatIssue[] = [];
  private readonly cx: CodecContext;
  private readonly visited = new Map<JsonObject, string>();
  private readonly covered = new Map<JsonObject, Set<string>>();
  /** Attributes template nodes were looked for in (object → attribute → canonical path of the object). */
  private readonly searched = new Map<JsonObject, Map<string, string>>();
  /** Objects some template node's path reached. */
  private readonly reached = new Set<JsonObject>();

  constructor(
    private readonly webTemplate: WebTemplate,
    private readonly composition: JsonObject,
    private readonly options: CompositionToFlatOptions,
  ) {
    const language = stringAt(objectAt(composition, 'language') ?? {}, 'code_string');
    this.cx = { issues: this.issues, language: language ?? webTemplate.defaultLanguage };
  }

  write(): Record<string, JsonValue> {
    const tree = this.webTemplate.tree;
    const root = new FlatNode();
    if (this.composition['_type'] !== undefined && this.composition['_type'] !== 'COMPOSITION') {
      this.issues.push({ path: '/', message: `expected a COMPOSITION, got ${String(this.composition['_type'])}` });
      return {};
    }
    const node = root.addChild(tree.id, false);
    this.encodeObject(tree, 'COMPOSITION', this.composition, node, '');
    this.checkCoverage();
    return root.toFlat();
  }

  private cover(object: JsonObject, ...keys: string[]): void {
    let set = this.covered.get(object);
    if (!set) {
      set = new Set();
      this.covered.set(object, set);
    }
    for (const key of keys) set.add(key);
  }

  private visit(object: JsonObject, path: string, ...keys: string[]): void {
    this.visited.set(object, path);
    this.cover(object, '_type', ...keys);
  }

  // ---- objects of template nodes -------------------------------------------------------------------

  private encodeObject(wt: WebTemplateNode, type: string, object: JsonObject, node: FlatNode, path: string): void {
    if (isLocatableType(type)) {
      this.visit(object, path, 'name', 'archetype_node_id', 'archetype_details');
      this.encodeName(wt, object, node, wt === this.webTemplate.tree ? undefined : formatNamedSteps(stepsOf(wt)));
    } else {
      this.visit(object, path);
    }
    this.encodeChildren(wt, object, node, path);
    this.encodeRmAttributes(type, object, node, path);
  }

  /** `_name` only when the name is not the template's name for the composition language. */
  private encodeName(wt: WebTemplateNode, object: JsonObject, node: FlatNode, archetypePath?: string): void {
    const name = objectAt(object, 'name');
    if (!name) return;
    const plain = (name['_type'] ?? 'DV_TEXT') === 'DV_TEXT' && Object.keys(name).every((k) => k === '_type' || k === 'value');
    if (plain && name['value'] === nodeName(wt, this.cx.language)) return;
    if (archetypePath !== undefined && this.isTemplateCodedName(name, archetypePath, nodeName(wt, this.cx.language))) return;
    encodeDataValue(name, 'DV_TEXT', node.addChild('_name', false), this.cx);
  }

  /** True for exactly the DV_CODED_TEXT name flatToComposition derives for the node. */
  private isTemplateCodedName(name: JsonObject, archetypePath: string, templateText: string): boolean {
    const info = this.options.skippedNode?.(archetypePath, this.cx.language);
    if (info?.nameCode === undefined || name['_type'] !== 'DV_CODED_TEXT') return false;
    const code = objectAt(name, 'defining_code');
    const terminology = objectAt(code ?? {}, 'terminology_id');
    return (
      Object.keys(name).every((k) => ['_type', 'value', 'defining_code'].includes(k)) &&
      name['value'] === (info.name ?? templateText) &&
      Object.keys(code ?? {}).every((k) => ['_type', 'terminology_id', 'code_string'].includes(k)) &&
      stringAt(code ?? {}, 'code_string') === info.nameCode.code &&
      stringAt(terminology ?? {}, 'value') === info.nameCode.terminology &&
      Object.keys(terminology ?? {}).every((k) => k === '_type' || k === 'value')
    );
  }

  // ---- template children ---------------------------------------------------------------------------------

  private encodeChildren(wt: WebTemplateNode, anchor: JsonObject, node: FlatNode, path: string): void {
    const links = childLinks(wt).filter((link) => !isInstructionDetailsPart(link));
    const groups = new Map<string, ChildLink[]>();
    for (const link of links) {
      const key = `${link.kind === 'element' ? 'E' : 'V'}${formatSteps(link.steps)}`;
      groups.set(key, [...(groups.get(key) ?? []), link]);
    }
    const assigned = new Map<ChildLink, Found[]>();
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      const steps = first.kind === 'element' ? first.steps.slice(0, -1) : first.steps;
      const found = this.navigate(anchor, steps, path);
      for (const item of found) {
        const link = this.chooseLink(group, item.value);
        if (link) assigned.set(link, [...(assigned.get(link) ?? []), item]);
      }
    }
    for (const link of links) {
      for (const item of assigned.get(link) ?? []) {
        if (link.kind === 'party' && link.steps[link.steps.length - 1]?.attribute === 'subject') {
          if (isJsonObject(item.value) && isPlainPartySelf(item.value)) continue;
        }
        const child = node.addChild(link.node.id, link.node.max !== 1);
        this.encodeChild(link, item, child);
      }
    }
  }

  /** Objects reached from `anchor` along `steps`; every object passed on the way is marked visited. */
  private navigate(anchor: JsonObject, steps: readonly PathStep[], path: string): Found[] {
    let current: Found[] = [{ value: anchor, path }];
    steps.forEach((step, depth) => {
      const next: Found[] = [];
      for (const item of current) {
        if (!isJsonObject(item.value)) continue;
        if (depth > 0 && !this.visited.has(item.value)) {
          this.visit(item.value, item.path, 'name', 'archetype_node_id', 'archetype_details');
        }
        this.cover(item.value, step.attribute);
        const searched = this.searched.get(item.value) ?? new Map<string, string>();
        searched.set(step.attribute, item.path);
        this.searched.set(item.value, searched);
        const value = item.value[step.attribute];
        // An object without archetype_node_id (a category, an EVENT_CONTEXT: not LOCATABLE) cannot
        // carry the node id some templates give it; in a single-valued attribute it is the one meant.
        const matches = (candidate: JsonValue) =>
          step.nodeId === undefined ||
          (isJsonObject(candidate) &&
            (candidate['archetype_node_id'] === step.nodeId || (candidate['archetype_node_id'] === undefined && !Array.isArray(value))));
        if (Array.isArray(value)) {
          value.forEach((candidate, i) => {
            if (matches(candidate)) next.push({ value: candidate, path: `${item.path}/${step.attribute}[${i}]` });
          });
        } else if (value !== undefined && matches(value)) {
          next.push({ value, path: `${item.path}/${step.attribute}` });
        }
      }
      for (const found of next) if (isJsonObject(found.value)) this.reached.add(found.value);
      current = next;
    });
    return current;
  }

  /** Among template siblings at the same path, the one an RM object belongs to (by type, then name). */
  private chooseLink(group: readonly ChildLink[], value: JsonValue): ChildLink | undefined {
    if (group.length === 1) return group[0];
    const object = isJsonObject(value) ? value : undefined;
    const typed = group.filter((link) => this.typeFits(link, object, true));
    const candidates = typed.length > 0 ? typed : group.filter((link) => this.typeFits(link, object, false));
    if (candidates.length <= 1) return candidates[0] ?? group[0];
    const name = stringAt(objectAt(object ?? {}, 'name') ?? {}, 'value');
    return (
      candidates.find((link) => nameStep(link)?.name !== undefined && nameStep(link)?.name === name) ??
      candidates.find((link) => nameStep(link)?.name === undefined && nodeName(link.node, this.cx.language) === name) ??
      candidates.find((link) => nameStep(link)?.name === undefined) ??
      candidates[0]
    );
  }

  private typeFits(link: ChildLink, object: JsonObject | undefined, exact: boolean): boolean {
    if (!object) return true;
    const wtType = baseType(link.node.rmType);
    const value = link.kind === 'element' ? objectAt(object, 'value') : object;
    if (link.kind === 'element' && !value) return true;
    const type = stringAt(value ?? {}, '_type');
    if (type === undefined) return true;
    if (link.kind === 'locatable') return type === wtType || (wtType === 'EVENT' && EVENT_TYPES.has(type));
    if (link.kind !== 'element' && link.kind !== 'value') return true;
    if (type === wtType) return true;
    return !exact && ['DV_TEXT', 'DV_CODED_TEXT'].includes(type) && ['DV_TEXT', 'DV_CODED_TEXT'].includes(wtType);
  }

  private encodeChild(link: ChildLink, item: Found, node: FlatNode): void {
    const wt = link.node;
    const attribute = link.steps[link.steps.length - 1]?.attribute;
    const value = item.value;
    switch (link.kind) {
      case 'locatable':
      case 'container':
        if (!isJsonObject(value)) return;
        this.encodeObject(wt, stringAt(value, '_type') ?? baseType(wt.rmType), value, node, item.path);
        this.keepIfEmpty(value, node);
        return;
      case 'element': {
        if (!isJsonObject(value)) return;
        this.visit(value, item.path, 'name', 'archetype_node_id', 'value');
        this.encodeName(wt, value, node, formatNamedSteps(stepsOf(wt).slice(0, -1)));
        const dv = objectAt(value, 'value');
        if (dv) this.encodeValue(wt, dv, node, attribute, `${item.path}/value`);
        this.encodeRmAttributes('ELEMENT', value, node, item.path);
        this.keepIfEmpty(value, node);
        return;
      }
      case 'value':
        if (isJsonObject(value)) this.encodeValue(wt, value, node, attribute, item.path);
        return;
      case 'code_phrase':
        if (isJsonObject(value)) encodeCodePhrase(value, node);
        return;
      case 'party':
        if (isJsonObject(value)) {
          encodePartyProxy(value, node, this.cx, attribute === 'subject' ? 'PARTY_SELF' : 'PARTY_IDENTIFIED');
        }
        return;
      case 'string':
        if (typeof value === 'string') node.setValue(value);
        return;
      case 'unsupported':
        this.issues.push({ path: item.path, message: `${wt.rmType} '${wt.id}' cannot be written as FLAT` });
        return;
    }
  }

  /** An object that would write no key at all (an empty SECTION) keeps its `_name`, so it is not lost. */
  private keepIfEmpty(object: JsonObject, node: FlatNode): void {
    const name = objectAt(object, 'name');
    if (node.isEmpty() && name) encodeDataValue(name, 'DV_TEXT', node.addChild('_name', false), this.cx);
  }

  private encodeValue(wt: WebTemplateNode, dv: JsonObject, node: FlatNode, attribute: string | undefined, path: string): void {
    const hasChildren = (wt.children?.length ?? 0) > 0;
    encodeDataValue(dv, wt.rmType, node, this.cx, { wt, attribute, boundsInTemplate: hasChildren });
    if (hasChildren) this.encodeChildren(wt, dv, node, path);
  }

  // ---- RM attributes as underscore keys -----------------------------------------------------------------------

  private encodeRmAttributes(type: string, object: JsonObject, node: FlatNode, path: string): void {
    if (isLocatableType(type)) this.encodeLocatableAttributes(object, node);
    if (ENTRY_TYPES.has(type)) this.encodeEntryAttributes(object, node);
    this.encodeTypeAttributes(type, object, node, path);
  }

  /** uid (plain, or `|raw` when it is not the type its value implies), links and feeder audit. */
  private encodeLocatableAttributes(object: JsonObject, node: FlatNode): void {
    const cx = this.cx;
    this.cover(object, 'uid', 'links', 'feeder_audit');
    const uid = objectAt(object, 'uid');
    if (uid) {
      const value = stringAt(uid, 'value');
      const expected = value?.includes('::') ? 'OBJECT_VERSION_ID' : 'HIER_OBJECT_ID';
      const plain = Object.keys(uid).every((k) => k === '_type' || k === 'value');
      const child = node.addChild('_uid', false);
      if (value !== undefined && plain && (uid['_type'] ?? expected) === expected) child.setValue(value);
      else child.setAttribute('raw', uid);
    }
    for (const link of arrayAt(object, 'links')) {
      if (isJsonObject(link)) encodeLink(link, node.addChild('_link', true), cx);
    }
    const audit = objectAt(object, 'feeder_audit');
    if (audit) encodeFeederAudit(audit, node.addChild('_feeder_audit', false), cx);
  }

  private encodeEntryAttributes(object: JsonObject, node: FlatNode): void {
    const cx = this.cx;
    this.cover(object, 'other_participations', 'workflow_id', 'guideline_id', 'provider');
    for (const participation of arrayAt(object, 'other_participations')) {
      if (isJsonObject(participation)) encodeParticipation(participation, node.addChild('_other_participation', true), cx);
    }
    for (const [attribute, id] of [
      ['workflow_id', '_work_flow_id'],
      ['guideline_id', '_guideline_id'],
    ] as const) {
      const ref = objectAt(object, attribute);
      if (ref) encodeObjectRef(ref, node.addChild(id, false), cx);
    }
    const provider = objectAt(object, 'provider');
    if (provider) encodePartyProxy(provider, node.addChild('_provider', false), cx, 'PARTY_IDENTIFIED');
  }

  /** The attributes of one RM type written with underscore keys (`_wf_definition`, `_end_time`, …). */
  private encodeTypeAttributes(type: string, object: JsonObject, node: FlatNode, path: string): void {
    const cx = this.cx;
    switch (type) {
      case 'INSTRUCTION': {
        this.cover(object, 'wf_definition');
        const definition = objectAt(object, 'wf_definition');
        if (definition) {
          encodeDataValue(definition, 'DV_PARSABLE', node.addChild('_wf_definition', false), cx, { valueAsSuffix: true });
        }
        break;
      }
      case 'ACTION': {
        this.cover(object, 'instruction_details');
        const details = objectAt(object, 'instruction_details');
        if (details) encodeInstructionDetails(details, node.addChild('_instruction_details', false), cx);
        break;
      }
      case 'OBSERVATION':
        this.encodeHistoryOrigin(object, node, path);
        break;
      case 'INTERVAL_EVENT':
        this.encodeIntervalEvent(object, node);
        break;
      case 'EVENT_CONTEXT': {
        this.cover(object, 'end_time', 'location', 'health_care_facility', 'participations');
        const end = objectAt(object, 'end_time');
        if (end) encodeDataValue(end, 'DV_DATE_TIME', node.addChild('_end_time', false), cx);
        const location = stringAt(object, 'location');
        if (location !== undefined) node.addChild('_location', false).setValue(location);
        const facility = objectAt(object, 'health_care_facility');
        if (facility) encodePartyProxy(facility, node.addChild('_health_care_facility', false), cx, 'PARTY_IDENTIFIED');
        for (const participation of arrayAt(object, 'participations')) {
          if (isJsonObject(participation)) encodeParticipation(participation, node.addChild('_participation', true), cx);
        }
        break;
      }
      case 'ISM_TRANSITION':
        this.cover(object, 'reason');
        for (const reason of arrayAt(object, 'reason')) {
          if (isJsonObject(reason)) encodeDataValue(reason, 'DV_TEXT', node.addChild('_reason', true), cx);
        }
        break;
      case 'ELEMENT': {
        this.cover(object, 'null_flavour', 'null_reason');
        const flavour = objectAt(object, 'null_flavour');
        if (flavour) {
          encodeDataValue(flavour, 'DV_CODED_TEXT', node.addChild('_null_flavour', false), cx, { attribute: 'null_flavour' });
        }
        const reason = objectAt(object, 'null_reason');
        if (reason) encodeDataValue(reason, 'DV_TEXT', node.addChild('_null_reason', false), cx);
        break;
      }
      default:
        break;
    }
  }

  /** `history_origin` only when it is not the earliest event time, which a reader would assume. */
  private encodeHistoryOrigin(observation: JsonObject, node: FlatNode, path: string): void {
    const history = objectAt(observation, 'data');
    const origin = history && objectAt(history, 'origin');
    if (!history || !origin) return;
    this.cover(history, 'origin');
    const value = stringAt(origin, 'value');
    if (value === undefined || !Object.keys(origin).every((k) => k === '_type' || k === 'value')) {
      this.issues.push({ path: `${path}/data/origin`, message: 'history origin must be a plain DV_DATE_TIME' });
      return;
    }
    const times = defined(
      arrayAt(history, 'events').map((event) => (isJsonObject(event) ? stringAt(objectAt(event, 'time') ?? {}, 'value') : undefined)),
    );
    if (value !== earliestTime(times)) node.addChild('history_origin', false).setValue(value);
  }

  private encodeIntervalEvent(event: JsonObject, node: FlatNode): void {
    const done = this.covered.get(event) ?? new Set<string>();
    if (!done.has('width')) {
      const width = objectAt(event, 'width');
      if (width) encodeDataValue(width, 'DV_DURATION', node.addChild('width', false), this.cx);
    }
    if (!done.has('math_function')) {
      const fn = objectAt(event, 'math_function');
      if (fn) encodeDataValue(fn, 'DV_CODED_TEXT', node.addChild('math_function', false), this.cx, { attribute: 'math_function' });
    }
    const count = event['sample_count'];
    if (typeof count === 'number') node.setAttribute('sample_count', count);
    this.cover(event, 'width', 'math_function', 'sample_count');
  }

  // ---- completeness ----------------------------------------------------------------------------------------------

  /** Reports attributes no key covered and content no template node matched. */
  private checkCoverage(): void {
    // Objects without a node id in attributes template nodes live in, that no node's path reached.
    for (const [object, attributes] of this.searched) {
      for (const [attribute, path] of attributes) {
        const value = object[attribute];
        const items = Array.isArray(value) ? value : [value];
        items.forEach((item, i) => {
          if (!isJsonObject(item) || typeof item['archetype_node_id'] === 'string' || this.reached.has(item) || this.visited.has(item))
            return;
          this.issues.push({
            path: Array.isArray(value) ? `${path}/${attribute}[${i}]` : `${path}/${attribute}`,
            message: `no web template node matches this ${String(item['_type'] ?? attribute)}`,
          });
        });
      }
    }
    for (const [object, path] of this.visited) {
      const covered = this.covered.get(object) ?? new Set<string>();
      for (const [key, value] of Object.entries(object)) {
        if (!covered.has(key)) {
          this.issues.push({ path: `${path}/${key}`, message: `'${key}' cannot be written as FLAT for this template` });
          continue;
        }
        const items = Array.isArray(value) ? value : [value];
        items.forEach((item, i) => {
          if (!isJsonObject(item) || typeof item['archetype_node_id'] !== 'string' || this.visited.has(item)) return;
          const name = stringAt(objectAt(item, 'name') ?? {}, 'value');
          this.issues.push({
            path: Array.isArray(value) ? `${path}/${key}[${i}]` : `${path}/${key}`,
            message: `no web template node matches ${String(item['_type'] ?? 'this object')} ${item['archetype_node_id']}${name === undefined ? '' : ` '${name}'`}`,
          });
        });
      }
    }
  }
}

function nameStep(link: ChildLink): PathStep | undefined {
  return link.kind === 'element' ? link.steps[link.steps.length - 2] : link.steps[link.steps.length - 1];
}
