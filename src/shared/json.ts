/**
 * The one set of JSON types and the one object guard. Every layer may import them: openEHR
 * documents, stored versions, audit details and request bodies are all plain JSON.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;
export type JsonObject = { [key: string]: JsonValue };
export type JsonArray = JsonValue[];

/** What a function that only reads JSON accepts: the same values, with lists and objects read-only (readonly arrays pass as they are). */
export type ReadonlyJsonValue = JsonPrimitive | readonly ReadonlyJsonValue[] | { readonly [key: string]: ReadonlyJsonValue };

/** A JSON object (not null, not an array): what parsed input must be before its members are read. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
