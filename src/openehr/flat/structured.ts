/**
 * STRUCTURED (structSDT) ⇄ FLAT. STRUCTURED is the FLAT tree written as nested JSON: each path
 * segment is a property, every content node holds an array of instances, `|suffix` attributes are
 * `"|suffix"` properties. A plain value with attributes beside it is written `"|value"` on
 * template data-value nodes that have no `|value` attribute of their own (as other systems do), and
 * `""` everywhere else, so the two never collide. Context defaults go under `ctx` (arrays only
 * where FLAT has an index); `ctx/...` keys written flat at the top level are accepted too. Both
 * directions need the web template: it says which nodes repeat and which take `|value` as text.
 */

import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import { compositionToFlat, type CompositionToFlatOptions } from './canonical-to-flat.js';
import { FlatFormatError, type FlatFormatIssue } from './flat-format-error.js';
import { flatToComposition, type FlatToCompositionOptions } from './flat-to-canonical.js';
import { flatTreeOf, type FlatNode } from './flat-tree.js';
import { isJsonObject, isJsonPrimitive, type JsonObject, type JsonValue } from '../../shared/json.js';
import { baseType, isDataValueType } from './rm-model.js';

const CODED_TYPES = new Set(['DV_CODED_TEXT', 'DV_ORDINAL', 'DV_SCALE']);

/** Underscore attributes that repeat, so they carry an index even when a web template is not involved. */
const REPEATING_ATTRIBUTES = new Set([
  '_link',
  '_participation',
  '_other_participation',
  '_identifier',
  '_mapping',
  '_other_reference_ranges',
  '_reason',
  'originating_system_item_id',
  'feeder_system_item_id',
]);

/** The STRUCTURED form of a FLAT document. */
export function flatToStructured(flat: Record<string, unknown>, webTemplate: WebTemplate): JsonObject {
  const issues: FlatFormatIssue[] = [];
  const root = flatTreeOf(flat, issues);
  if (issues.length > 0) throw new FlatFormatError(issues);
  const structured: JsonObject = {};
  for (const id of root.childNames()) {
    const [node] = root.peekChildren(id);
    if (!node) continue;
    const wt = id === webTemplate.tree.id ? webTemplate.tree : undefined;
    structured[id] = id === 'ctx' ? instanceOf(node, undefined, false) : instanceOf(node, wt, true);
  }
  return structured;
}

/** True where `|value` in STRUCTURED means the plain value: template data values that are not coded. */
function valueIsPlain(wt: WebTemplateNode | undefined, hasCode: boolean): boolean {
  return wt !== undefined && isDataValueType(wt.rmType) && !CODED_TYPES.has(baseType(wt.rmType)) && !hasCode;
}

function instanceOf(node: FlatNode, wt: WebTemplateNode | undefined, arrays: boolean): JsonValue {
  const attributes = node.attributeNames();
  const children = node.childNames();
  const value = node.peekValue();
  if (attributes.length === 0 && children.length === 0 && value !== undefined) return value;
  const object: JsonObject = {};
  const plainKey = valueIsPlain(wt, attributes.includes('code')) && !attributes.includes('value') ? '|value' : '';
  if (value !== undefined) object[plainKey] = value;
  for (const suffix of attributes) object[`|${suffix}`] = node.peekAttribute(suffix) ?? null;
  for (const id of children) {
    const childWt = wt?.children?.find((child) => child.id === id);
    const instances = node.peekChildren(id).map((child) => instanceOf(child, childWt, arrays));
    object[id] = arrays || node.isIndexed(id) || instances.length > 1 ? instances : (instances[0] ?? null);
  }
  return object;
}

/**
 * The FLAT form of a STRUCTURED document. The web template says which nodes repeat, and so which
 * segments carry an index (STRUCTURED writes arrays for every node, repeating or not).
 */
export function structuredToFlat(structured: JsonObject, webTemplate: WebTemplate): Record<string, JsonValue> {
  const issues: FlatFormatIssue[] = [];
  const flat: Record<string, JsonValue> = {};
  const tree = webTemplate.tree;
  for (const [key, value] of Object.entries(structured)) {
    if (key === 'ctx') {
      if (isJsonObject(value)) writeChildren(value, 'ctx', undefined, flat, issues);
      else issues.push({ path: 'ctx', message: "'ctx' must be an object" });
    } else if (key.startsWith('ctx/')) {
      flat[key] = value;
    } else if (key === tree.id) {
      const instances = Array.isArray(value) ? value : [value];
      if (instances.length !== 1) issues.push({ path: key, message: 'a document holds exactly one composition' });
      if (instances[0] !== undefined) writeInstance(instances[0], key, tree, flat, issues);
    } else {
      issues.push({ path: key, message: `unknown top-level property (the template root is '${tree.id}')` });
    }
  }
  if (issues.length > 0) throw new FlatFormatError(issues);
  return flat;
}

function writeInstance(
  value: JsonValue,
  path: string,
  wt: WebTemplateNode | undefined,
  flat: Record<string, JsonValue>,
  issues: FlatFormatIssue[],
): void {
  if (isJsonPrimitive(value)) {
    if (value !== null) flat[path] = value;
    return;
  }
  if (!isJsonObject(value)) {
    issues.push({ path, message: 'expected a value or an object, not a nested array' });
    return;
  }
  writeChildren(value, path, wt, flat, issues);
}

function writeChildren(
  object: JsonObject,
  path: string,
  wt: WebTemplateNode | undefined,
  flat: Record<string, JsonValue>,
  issues: FlatFormatIssue[],
): void {
  const plainValue = valueIsPlain(wt, '|code' in object);
  for (const [key, value] of Object.entries(object)) {
    if (key === '' || (key === '|value' && plainValue)) {
      flat[path] = value;
    } else if (key.startsWith('|')) {
      flat[`${path}${key}`] = value;
    } else {
      const childWt = wt?.children?.find((child) => child.id === key);
      const instances = Array.isArray(value) ? value : [value];
      const indexed = childWt
        ? childWt.max !== 1
        : REPEATING_ATTRIBUTES.has(key) || instances.length > 1 || (path === 'ctx' && Array.isArray(value));
      instances.forEach((instance, i) => {
        writeInstance(instance, `${path}/${key}${indexed ? `:${i}` : ''}`, childWt, flat, issues);
      });
    }
  }
}

/** STRUCTURED → canonical JSON COMPOSITION. */
export function structuredToComposition(
  structured: JsonObject,
  webTemplate: WebTemplate,
  options: FlatToCompositionOptions = {},
): JsonObject {
  return flatToComposition(structuredToFlat(structured, webTemplate), webTemplate, options);
}

/** Canonical JSON COMPOSITION → STRUCTURED. */
export function compositionToStructured(
  composition: JsonObject,
  webTemplate: WebTemplate,
  options: CompositionToFlatOptions = {},
): JsonObject {
  return flatToStructured(compositionToFlat(composition, webTemplate, options), webTemplate);
}
