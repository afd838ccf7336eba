import { applySectionSave, carriedOver, isWithin, valuePath, type FlatContent } from './flat-merge.js';

/**
 * Merging one author's draft of a section into the section as it is now, field by field, as a
 * three-way merge: what the author started from (base), what they changed (a merge patch, as
 * `flat-merge.ts` reads it) and what the section holds now (theirs). A field only the author
 * changed takes the author's value; a field only someone else changed keeps theirs; a field both
 * changed differently is a conflict the author (or whoever merges) decides. Pure.
 */

/** A field (a data value, or a node the author removed) that both sides changed since the base, differently. */
export interface FieldConflict {
  /** The FLAT path of the data value or node, without `|suffix`. */
  path: string;
  /** The field's FLAT keys as the author started from them, as the author left them, and as they are now. */
  base: FlatContent;
  mine: FlatContent;
  theirs: FlatContent;
}

export type Resolution = 'mine' | 'theirs';

export interface SectionMerge {
  /** The author's changes still to make, as a merge patch over the section as it is now. */
  patch: FlatContent;
  /** Fields both sides changed differently, for which no resolution was given. */
  conflicts: FieldConflict[];
  /** Fields the author changed that the section already holds the same (someone made the same change). */
  alreadyThere: string[];
}

/** The field a patch key changes: its data value, or — for a removal of one `|suffix` key — that key alone. */
export function patchTarget(key: string, value: FlatContent[string]): string {
  return value === null && key.includes('|') ? key : valuePath(key);
}

/** The keys of `content` that make up the field at `target`. */
function fieldOf(content: Readonly<FlatContent>, target: string): FlatContent {
  return Object.fromEntries(Object.entries(content).filter(([key]) => isWithin(key, target)));
}

function sameField(a: Readonly<FlatContent>, b: Readonly<FlatContent>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/** The author's patch grouped by the field each key changes, in the order the author sent them. */
function byField(changes: Readonly<FlatContent>): Map<string, FlatContent> {
  const fields = new Map<string, FlatContent>();
  for (const [key, value] of Object.entries(changes)) {
    const target = patchTarget(key, value);
    fields.set(target, { ...(fields.get(target) ?? {}), [key]: value });
  }
  return fields;
}

/**
 * The three-way merge of one section: `changes` made over `base`, merged into `theirs`, with
 * `resolutions` (field path → whose value stays) for the conflicts already decided.
 */
export function mergeSection(
  base: Readonly<FlatContent>,
  changes: Readonly<FlatContent>,
  theirs: Readonly<FlatContent>,
  resolutions: Readonly<Record<string, Resolution>> = {},
): SectionMerge {
  const started = carriedOver(base);
  const now = carriedOver(theirs);
  const mine = applySectionSave(started, changes, 'merge');
  const patch: FlatContent = {};
  const conflicts: FieldConflict[] = [];
  const alreadyThere: string[] = [];
  for (const [target, keys] of byField(changes)) {
    const field = { base: fieldOf(started, target), mine: fieldOf(mine, target), theirs: fieldOf(now, target) };
    if (sameField(field.theirs, field.mine)) {
      if (!sameField(field.base, field.mine)) alreadyThere.push(target);
      continue;
    }
    const untouchedByOthers = sameField(field.theirs, field.base);
    const resolution = untouchedByOthers ? 'mine' : resolutions[target];
    if (resolution === 'mine') Object.assign(patch, keys);
    else if (resolution === undefined) conflicts.push({ path: target, ...field });
  }
  // A removal takes what is below it with it: the values the author set there again go too.
  const removals = Object.keys(patch).filter((key) => patch[key] === null);
  for (const [key, value] of Object.entries(changes)) {
    if (value !== null && removals.some((removed) => isWithin(key, removed))) patch[key] = value;
  }
  return { patch, conflicts, alreadyThere };
}

/**
 * An author's changes to a section after one more save: what tells the section as they started
 * from it (`base`) from the section as they now have it, as one merge patch — a changed value with
 * all its keys, a removed value or node as one null (what was set again below it kept) — so the
 * draft keeps one change per field, whatever order the saves came in. Pure.
 */
export function accumulateChanges(base: Readonly<FlatContent>, earlier: Readonly<FlatContent>, sent: Readonly<FlatContent>): FlatContent {
  const started = carriedOver(base);
  return netChanges(started, applySectionSave(applySectionSave(started, earlier, 'merge'), sent, 'merge'));
}

/** The merge patch that turns `from` into `to`. Pure. */
export function netChanges(from: Readonly<FlatContent>, to: Readonly<FlatContent>): FlatContent {
  const groups = (content: Readonly<FlatContent>) => {
    const byValue = new Map<string, FlatContent>();
    for (const [key, value] of Object.entries(content))
      byValue.set(valuePath(key), { ...(byValue.get(valuePath(key)) ?? {}), [key]: value });
    return byValue;
  };
  const before = groups(from);
  const after = groups(to);
  const patch: FlatContent = {};
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(path) ?? {};
    const now = after.get(path) ?? {};
    if (sameField(was, now)) continue;
    if (Object.keys(now).length === 0) patch[path] = null;
    else Object.assign(patch, now);
  }
  // A removal takes what is below it with it: what the section still has there is set again.
  const removals = Object.keys(patch).filter((key) => patch[key] === null);
  for (const [key, value] of Object.entries(to)) {
    if (removals.some((removed) => isWithin(key, removed))) patch[key] = value;
  }
  return patch;
}
