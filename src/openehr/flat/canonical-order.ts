import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';

/** Attribute order of the RM specification for the attributes most objects carry. */
const LEADING = [
  '_type',
  'name',
  'archetype_node_id',
  'uid',
  'archetype_details',
  'feeder_audit',
  'links',
  'language',
  'territory',
  'category',
  'composer',
  'context',
  'encoding',
  'subject',
  'provider',
  'other_participations',
  'workflow_id',
  'guideline_id',
];

/** A copy with keys in RM order, so output reads like canonical JSON written by other systems. */
export function orderCanonicalKeys<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => orderCanonicalKeys(item)) as T;
  if (!isJsonObject(value)) return value;
  const ordered: JsonObject = {};
  for (const key of LEADING) {
    const item = value[key];
    if (item !== undefined) ordered[key] = orderCanonicalKeys(item);
  }
  for (const [key, item] of Object.entries(value)) {
    if (!(key in ordered)) ordered[key] = orderCanonicalKeys(item);
  }
  return ordered as T;
}
