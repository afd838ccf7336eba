import type { JsonValue } from '../../openehr/flat/index.js';

export type FlatContent = Record<string, JsonValue>;

/**
 * How a section save treats the section's current content:
 * - `merge` (the default): JSON merge patch over the FLAT keys. A key sent with a value sets that
 *   data value (every `path|…` key of the value it belongs to is replaced together, so a code
 *   never keeps the text of another); a key sent as null removes the value or the node it names
 *   with everything below it (a repeating instance `…:2` with its sub-keys; `a/b` is `a/b:0`);
 *   keys not sent are kept.
 * - `replace`: the section becomes exactly what was sent; fields not sent are removed.
 */
export type SaveMode = 'merge' | 'replace';

/**
 * What the service writes itself on every save (who, when, where, language): never carried over
 * from the previous version, or the new version would claim the previous writer.
 */
const WRITTEN_ON_EACH_SAVE =
  /^ctx\/|\/(language|encoding|subject|composer|category|territory|_uid)(\/|\||:|$)|\/context\/(start_time|setting|_health_care_facility)(\/|\||:|$)/;

/** The section's content as a save starts from: its current FLAT without what each save writes anew. Pure. */
export function carriedOver(current: Readonly<FlatContent>): FlatContent {
  return Object.fromEntries(Object.entries(current).filter(([key]) => !WRITTEN_ON_EACH_SAVE.test(key)));
}

/** The data value a FLAT key belongs to: the key without its `|suffix`. */
export function valuePath(key: string): string {
  const bar = key.indexOf('|');
  return bar < 0 ? key : key.slice(0, bar);
}

/** The spellings of a node path: as given, and with `:0` on its last segment when it has no index (FLAT's own rule). */
function spellings(path: string): string[] {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return /:\d+$/.test(last) ? [path] : [path, `${path}:0`];
}

/** Whether `key` is `target` itself, one of its `|suffix` keys, or a key below it. */
export function isWithin(key: string, target: string): boolean {
  if (target.includes('|')) return key === target;
  return spellings(target).some((path) => key === path || key.startsWith(`${path}|`) || key.startsWith(`${path}/`));
}

/**
 * The section after a save: `patch` applied to `current` as `mode` says (see SaveMode). Nulls in a
 * replacement have no meaning and are refused by the caller; here they are left out. Pure.
 */
export function applySectionSave(current: Readonly<FlatContent>, patch: Readonly<FlatContent>, mode: SaveMode): FlatContent {
  if (mode === 'replace') return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null));
  const removed = Object.entries(patch)
    .filter(([, value]) => value === null)
    .map(([key]) => key);
  const replacedValues = new Set(
    Object.entries(patch)
      .filter(([, value]) => value !== null)
      .map(([key]) => valuePath(key)),
  );
  const next: FlatContent = {};
  for (const [key, value] of Object.entries(current)) {
    if (replacedValues.has(valuePath(key))) continue;
    if (removed.some((target) => isWithin(key, target))) continue;
    next[key] = value;
  }
  for (const [key, value] of Object.entries(patch)) if (value !== null) next[key] = value;
  return next;
}
