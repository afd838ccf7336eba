import type { FlatFormatIssue } from './flat-format-error.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';

/** Shared state of one conversion: collected issues and the composition language. */
export interface CodecContext {
  readonly issues: FlatFormatIssue[];
  /** Composition language (ISO 639-1 code); picks localized names and labels from the web template. */
  readonly language: string;
  /** `ctx/id_namespace` and `ctx/id_scheme`: defaults for external references given without them. */
  readonly idNamespace?: string | undefined;
  readonly idScheme?: string | undefined;
}

/** A context for self-checks: same language, no collected issues, no ctx defaults. */
export function checkContext(cx: CodecContext): CodecContext {
  return { issues: [], language: cx.language };
}

/**
 * True when `decoded` says the same as `original`. `_type` present only in `decoded` is ignored,
 * because canonical JSON may leave out a `_type` that the attribute already implies.
 */
export function sameCanonical(original: JsonValue | undefined, decoded: JsonValue | undefined): boolean {
  if (original === decoded) return true;
  if (Array.isArray(original)) {
    return Array.isArray(decoded) && original.length === decoded.length && original.every((item, i) => sameCanonical(item, decoded[i]));
  }
  if (isJsonObject(original) && isJsonObject(decoded)) {
    const originalKeys = Object.keys(original);
    const decodedKeys = Object.keys(decoded).filter((k) => !(k === '_type' && !('_type' in original)));
    return originalKeys.length === decodedKeys.length && originalKeys.every((k) => k in decoded && sameCanonical(original[k], decoded[k]));
  }
  return false;
}

/** A copy of `value` without the listed keys (for comparisons that exclude parts handled elsewhere). */
export function without(value: JsonObject, keys: readonly string[]): JsonObject {
  const copy: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) copy[k] = v;
  return copy;
}
