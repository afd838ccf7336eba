/**
 * Helpers the FLAT codec uses to read canonical openEHR JSON; the JSON types themselves are
 * src/shared/json.ts.
 */
import { isJsonObject, type JsonArray, type JsonObject } from '../../shared/json.js';

/** Structural equality; object key order is irrelevant, array order is significant. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Object property as an object, or undefined. */
export function objectAt(value: JsonObject, key: string): JsonObject | undefined {
  const v = value[key];
  return isJsonObject(v) ? v : undefined;
}

export function stringAt(value: JsonObject, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'string' ? v : undefined;
}

export function arrayAt(value: JsonObject, key: string): JsonArray {
  const v = value[key];
  return Array.isArray(v) ? v : [];
}

/** The items that are not undefined. */
export function defined<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
