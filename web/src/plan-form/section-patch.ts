/** A form's content: FLAT keys to the values its controls hold (the same shape as flat-values' FlatContent). */
type FlatValue = string | number | boolean;
type FlatContent = Record<string, FlatValue>;

/** The data value a FLAT key belongs to: the key without its `|suffix`. */
const valuePath = (key: string): string => (key.includes('|') ? key.slice(0, key.indexOf('|')) : key);

function groupedByValue(flat: FlatContent): Map<string, FlatContent> {
  const groups = new Map<string, FlatContent>();
  for (const [key, value] of Object.entries(flat)) {
    const group = groups.get(valuePath(key)) ?? {};
    group[key] = value;
    groups.set(valuePath(key), group);
  }
  return groups;
}

/**
 * What a save sends: only what the editor changed from `base` (the section as the form opened it),
 * as the API's merge patch — each changed value with all its keys, null for each value that is
 * gone — so the rest of the section, and anything the form does not show, stays as it is.
 */
export function sectionPatch(base: FlatContent, edited: FlatContent): Record<string, FlatValue | null> {
  const before = groupedByValue(base);
  const after = groupedByValue(edited);
  const patch: Record<string, FlatValue | null> = {};
  for (const [path, group] of after) {
    const old = before.get(path);
    const same =
      old !== undefined &&
      Object.keys(old).length === Object.keys(group).length &&
      Object.entries(group).every(([key, value]) => old[key] === value);
    if (!same) Object.assign(patch, group);
  }
  for (const path of before.keys()) if (!after.has(path)) patch[path] = null;
  return patch;
}
