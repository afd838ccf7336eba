import type { JsonValue } from '../../openehr/flat/index.js';
import { flatFields } from './flat-fields.js';

export interface FieldChange {
  /** The FLAT path of the data value (without `|suffix`). */
  path: string;
  label: string;
  change: 'added' | 'removed' | 'changed';
  before: string | undefined;
  after: string | undefined;
}

/** A coded value's term mappings (`…/_mapping:n…`): part of the value whose code they translate, not fields of their own. */
const TERM_MAPPING = /\/_mapping:\d+(\/|$)/;

/**
 * What changed between two FLAT versions of one composition, field by field, in the order of the
 * newer version (removed fields last). `labelOf` names a path for people. Pure.
 */
export function diffFlat(
  before: Readonly<Record<string, JsonValue>> | undefined,
  after: Readonly<Record<string, JsonValue>> | undefined,
  labelOf: (path: string) => string,
): FieldChange[] {
  const old = flatFields(before ?? {});
  const now = flatFields(after ?? {});
  const changes: FieldChange[] = [];
  for (const [path, value] of now) {
    if (TERM_MAPPING.test(path)) continue;
    const previous = old.get(path);
    if (previous === value) continue;
    changes.push({ path, label: labelOf(path), change: previous === undefined ? 'added' : 'changed', before: previous, after: value });
  }
  for (const [path, value] of old) {
    if (!now.has(path) && !TERM_MAPPING.test(path))
      changes.push({ path, label: labelOf(path), change: 'removed', before: value, after: undefined });
  }
  return changes;
}
