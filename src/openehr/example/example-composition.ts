/**
 * Example compositions for the DEFINITION API: every node of a template once, with values that
 * satisfy the constraints its web template states. The example is built in FLAT (the web template
 * says everything needed to fill it) and converted to canonical JSON by the FLAT library, which
 * also supplies the RM defaults (entry language, encoding, subject, history origin, ...).
 */

import { flatToComposition, skippedNodesFromTemplate } from '../flat/index.js';
import type { JsonObject } from '../../shared/json.js';
import { isRmClass, isSubtypeOf, listRmAttributes } from '../rm/index.js';
import { buildWebTemplate, type OperationalTemplate, type WebTemplate, type WebTemplateNode } from '../template/index.js';
import { exampleClock } from './example-clock.js';
import { exampleCodedText, exampleDataValue, type ExampleFlat, type ExampleValueContext } from './example-data-value.js';
import { exampleIsmTransition } from './example-ism-transition.js';
import { exampleTemporal } from './example-temporal.js';

export interface ExampleOptions {
  /** The instant every example date, time and date-time is cut from (ISO 8601), so output is deterministic. */
  readonly now: string;
  /** `ctx/territory` (ISO 3166-1); default GB. */
  readonly territory?: string;
}

export interface ExampleCompositionOptions extends ExampleOptions {
  /** The web template of `opt`, when the caller has it already (it is built otherwise). */
  readonly webTemplate?: WebTemplate;
}

export const EXAMPLE_COMPOSER = 'Example composer';
const DEFAULT_TERRITORY = 'GB';

/** The attribute names along an AQL path; predicates (`[at0004 and name/value='a/b']`) are skipped. */
function attributesOf(path: string | undefined): string[] {
  const names: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const character of path ?? '') {
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
    } else if (depth > 0 && (character === "'" || character === '"')) {
      quote = character;
    } else if (character === '[') {
      depth += 1;
    } else if (character === ']') {
      depth -= 1;
    } else if (depth === 0 && character === '/') {
      if (current !== '') names.push(current);
      current = '';
    } else if (depth === 0) {
      current += character;
    }
  }
  if (current !== '') names.push(current);
  return names;
}

/** RM attribute a node sits in: the last attribute of its AQL path. */
function attributeOf(node: WebTemplateNode): string {
  return attributesOf(node.aqlPath).pop() ?? '';
}

/** RM attribute of `parent` that holds `child`: the first attribute of the child's path below the parent's. */
function attributeBelow(parent: WebTemplateNode, child: WebTemplateNode): string {
  return attributesOf(child.aqlPath)[attributesOf(parent.aqlPath).length] ?? '';
}

function isDataValue(node: WebTemplateNode): boolean {
  return node.rmType.startsWith('DV_');
}

const STRUCTURE_TYPE = /^(ITEM_STRUCTURE|ITEM_TREE|ITEM_LIST|ITEM_SINGLE|ITEM_TABLE|HISTORY)\b/;

/**
 * Attributes the RM requires to hold content that only template children can give: an entry's
 * `data`, an event's `data`, a `description`, a cluster's `items`, an element's `value`. FLAT has
 * no key that creates such a structure empty, so a node without children there cannot be valid.
 */
function requiredContent(rmType: string): readonly string[] {
  if (rmType === 'ELEMENT') return ['value'];
  if (!isRmClass(rmType)) return [];
  return listRmAttributes(rmType)
    .filter((attribute) => attribute.nonEmpty || (attribute.mandatory && STRUCTURE_TYPE.test(attribute.type)))
    .map((attribute) => attribute.name);
}

/**
 * Nodes that carry nothing of their own in the example: context-filled codes and parties (the
 * `ctx/` keys and RM defaults give them), ACTION.instruction_details (FLAT has no keys below it),
 * and RM primitives (`action_archetype_id` defaults to `/.*\/`).
 */
function leftOut(node: WebTemplateNode): boolean {
  if (node.max === 0) return true;
  if (node.aqlPath?.includes('/instruction_details') === true) return true;
  switch (node.rmType) {
    case 'CODE_PHRASE':
      return node.inContext === true || node.inputs?.[0]?.list === undefined;
    case 'PARTY_PROXY':
    case 'PARTY_SELF':
    case 'PARTY_IDENTIFIED':
    case 'PARTY_RELATED':
      return node.inContext === true;
    case 'STRING':
    case 'BOOLEAN':
    case 'INTEGER':
    case 'REAL':
    case 'LOCATABLE_REF':
      return true;
    default:
      return false;
  }
}

/** How many more children each of the node's cardinality groups (ids → max) admits. */
function cardinalityRoom(node: WebTemplateNode): Map<string, { left: number }> {
  const room = new Map<string, { left: number }>();
  for (const cardinality of node.cardinalities ?? []) {
    if (cardinality.max < 0 || cardinality.ids === undefined) continue;
    const group = { left: cardinality.max };
    for (const id of cardinality.ids) room.set(id, group);
  }
  return room;
}

interface Written {
  readonly entries: ExampleFlat;
  /** RM attributes of the parent that received content. */
  readonly attributes: ReadonlySet<string>;
}

class ExampleWriter {
  constructor(private readonly context: ExampleValueContext) {}

  /**
   * The entries of every occurrence of `node` below `parentKey` (its minimum, at least one);
   * undefined when FLAT cannot express it, or when it is optional and could not be valid.
   */
  node(node: WebTemplateNode, parentKey: string): ExampleFlat | undefined {
    const repeats = node.max === -1 || node.max > 1;
    const wanted = Math.max(1, node.min);
    const occurrences = node.max > 0 ? Math.min(wanted, node.max) : wanted;
    const entries: ExampleFlat = {};
    for (let index = 0; index < occurrences; index++) {
      const key = `${parentKey}/${node.id}${repeats ? `:${index}` : ''}`;
      const occurrence = this.occurrence(node, key);
      if (occurrence === undefined) return undefined;
      Object.assign(entries, occurrence);
    }
    return entries;
  }

  private occurrence(node: WebTemplateNode, key: string): ExampleFlat | undefined {
    if (node.rmType === 'ISM_TRANSITION') return exampleIsmTransition(node, key, this.context.language);
    if (isDataValue(node)) return this.dataValue(node, key);
    if (node.rmType === 'CODE_PHRASE') return this.codePhrase(node, key);
    if (node.rmType.startsWith('PARTY_')) return { [`${key}|name`]: 'Example party' };
    return this.structure(node, key);
  }

  /** A LOCATABLE or RM container (EVENT_CONTEXT, ...) holding template children. */
  private structure(node: WebTemplateNode, key: string): ExampleFlat | undefined {
    const { entries, attributes } = this.children(node, key);
    const missing = requiredContent(node.rmType).filter((attribute) => !attributes.has(attribute));
    if (missing.length > 0) {
      if (node.min === 0) return undefined;
      // A mandatory element without an expressible value still exists, flagged as having none.
      if (node.rmType === 'ELEMENT') return { ...entries, [`${key}/_null_flavour|code`]: '271' };
    }
    if (Object.keys(entries).length === 0 && isRmClass(node.rmType) && isSubtypeOf(node.rmType, 'LOCATABLE')) {
      // FLAT creates a node only for a key below it; its name is the one key an empty node has.
      return { [`${key}/_name`]: nodeName(node, this.context.language) };
    }
    return entries;
  }

  /**
   * The children of `node`: of alternatives (siblings at the same path) the first FLAT can express,
   * optional children only while the node's cardinalities leave room.
   */
  children(node: WebTemplateNode, key: string): Written {
    const entries: ExampleFlat = {};
    const attributes = new Set<string>();
    const done = new Set<string>();
    const room = cardinalityRoom(node);
    for (const child of node.children ?? []) {
      const path = child.aqlPath ?? child.id;
      if (done.has(path) || leftOut(child)) continue;
      const group = room.get(child.id);
      if (group !== undefined && group.left <= 0 && child.min === 0) continue;
      const written = this.node(child, key);
      if (written === undefined) continue;
      done.add(path);
      if (group !== undefined) group.left -= Math.max(1, child.min);
      const attribute = attributeBelow(node, child);
      // A context-filled RM attribute deeper down (the time of a sole event) gives its parent
      // structure no content: the event around it still lacks its data.
      if (child.inContext !== true || attribute === attributeOf(child)) attributes.add(attribute);
      Object.assign(entries, written);
    }
    return { entries, attributes };
  }

  private dataValue(node: WebTemplateNode, key: string): ExampleFlat | undefined {
    const listed = node.inputs?.some((input) => input.list !== undefined && input.list.length > 0) ?? false;
    switch (attributeOf(node)) {
      case 'setting':
        if (!listed) return { [`${key}|code`]: '238', [`${key}|value`]: 'other care', [`${key}|terminology`]: 'openehr' };
        break;
      case 'category':
        if (!listed) return { [`${key}|code`]: '433', [`${key}|value`]: 'event', [`${key}|terminology`]: 'openehr' };
        break;
      case 'timing':
        // ACTIVITY.timing: daily from now on, as an ISO 8601 repeating interval.
        return { [key]: `R/${exampleTemporal('DATETIME', undefined, this.context.clock)}/P1D`, [`${key}|formalism`]: 'ISO8601' };
      default:
        break;
    }
    if (node.rmType === 'DV_CODED_TEXT') return exampleCodedText(node, key, this.context.language);
    return exampleDataValue(node, key, this.context);
  }

  private codePhrase(node: WebTemplateNode, key: string): ExampleFlat {
    const codes = node.inputs?.[0];
    const first = codes?.list?.[0];
    return first === undefined ? {} : { [`${key}|code`]: first.value, [`${key}|terminology`]: codes?.terminology ?? 'local' };
  }
}

function nodeName(node: WebTemplateNode, language: string): string {
  return node.localizedNames?.[language] ?? node.name ?? node.localizedName ?? node.id;
}

/**
 * A FLAT example composition for a web template: every node once (one occurrence of a repeating
 * node, the first of alternative types, nothing for nodes with max 0), values within the web
 * template's constraints, composer and context from `ctx/` keys.
 * @throws RangeError when `options.now` is not an ISO 8601 date-time.
 */
export function buildExampleFlat(webTemplate: WebTemplate, options: ExampleOptions): ExampleFlat {
  const context: ExampleValueContext = { language: webTemplate.defaultLanguage, clock: exampleClock(options.now) };
  const root = webTemplate.tree;
  return {
    'ctx/language': webTemplate.defaultLanguage,
    'ctx/territory': options.territory ?? DEFAULT_TERRITORY,
    'ctx/composer_name': EXAMPLE_COMPOSER,
    ...new ExampleWriter(context).children(root, root.id).entries,
  };
}

/**
 * The canonical JSON example composition of an operational template: the FLAT example converted
 * with the template's names for the structure nodes FLAT leaves out.
 * @throws RangeError for a malformed `options.now`; FlatFormatError if the FLAT library refuses the example.
 */
export function buildExampleComposition(opt: OperationalTemplate, options: ExampleCompositionOptions): JsonObject {
  const webTemplate = options.webTemplate ?? buildWebTemplate(opt);
  const flat = buildExampleFlat(webTemplate, options);
  return flatToComposition(flat, webTemplate, { now: options.now, skippedNode: skippedNodesFromTemplate(opt) });
}
