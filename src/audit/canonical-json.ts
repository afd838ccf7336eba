import type { ReadonlyJsonValue } from '../shared/json.js';

/**
 * One text for one value: object keys sorted by UTF-16 code units (as RFC 8785 does), no
 * whitespace, strings and numbers as JSON.stringify writes them. Every string is a JSON string
 * literal, so no content can be mistaken for a separator between fields.
 */
export function canonicalJson(value: ReadonlyJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (isJsonArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`);
  return `{${members.join(',')}}`;
}

function isJsonArray(value: ReadonlyJsonValue): value is readonly ReadonlyJsonValue[] {
  return Array.isArray(value);
}
