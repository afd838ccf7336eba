import type { Flat, FormField, FormSection } from '../api/care-plan-api';

/**
 * The generated form's view of a module's FLAT content. Every field is read and written as one
 * string, the way a form control holds it (a coded choice's code, 'true' or 'false', an ISO date,
 * a number as typed); these functions translate to and from the FLAT keys of its data type. The
 * form definition's paths carry `:0` at every repeating node; `instancePath` puts the instance
 * indexes in.
 */

export type FlatValue = string | number | boolean;
export type FlatContent = Record<string, FlatValue>;

/** Suffixes that belong to one data value (`path|code`, `path|value` …); a bare key is `''`. */
function keysOf(path: string, flat: Flat): string[] {
  return Object.keys(flat).filter((key) => key === path || key.startsWith(`${path}|`));
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** What a control shows for the field at `path` (an instance path). */
export function readField(field: FormField, path: string, flat: Flat): string {
  switch (field.rmType) {
    case 'DV_CODED_TEXT':
    case 'DV_ORDINAL':
      return field.input === 'coded-text' ? str(flat[`${path}|value`]) : str(flat[`${path}|code`]);
    case 'DV_QUANTITY':
      return str(flat[`${path}|magnitude`]);
    case 'DV_IDENTIFIER':
      return str(flat[`${path}|id`]);
    case 'DV_DURATION': {
      // Durations are asked for in minutes, the unit clinicians give them in.
      const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(str(flat[path]));
      return match ? String(Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) : str(flat[path]);
    }
    default:
      return str(flat[path] ?? flat[`${path}|value`]);
  }
}

/** The content with the field at `path` set to what the control holds (an empty value removes it). */
export function writeField(field: FormField, path: string, value: string, flat: FlatContent): FlatContent {
  const others = new Set(keysOf(path, flat));
  const next: FlatContent = Object.fromEntries(Object.entries(flat).filter(([key]) => !others.has(key)));
  if (value.trim() === '') return next;
  switch (field.rmType) {
    case 'DV_CODED_TEXT': {
      if (field.input === 'coded-text') {
        next[`${path}|value`] = value;
        if (field.terminology) next[`${path}|terminology`] = field.terminology;
        return next;
      }
      const option = field.options?.find((candidate) => candidate.value === value);
      next[`${path}|code`] = value;
      next[`${path}|value`] = option?.label ?? value;
      next[`${path}|terminology`] = option?.terminology ?? 'local';
      return next;
    }
    case 'DV_ORDINAL': {
      const option = field.options?.find((candidate) => candidate.value === value);
      next[`${path}|code`] = value;
      if (option) next[`${path}|value`] = option.label;
      if (option?.ordinal !== undefined) next[`${path}|ordinal`] = option.ordinal;
      return next;
    }
    case 'DV_BOOLEAN':
      next[path] = value === 'true';
      return next;
    case 'DV_COUNT':
      next[path] = Number(value);
      return next;
    case 'DV_QUANTITY': {
      next[`${path}|magnitude`] = Number(value);
      const unit = field.units?.[0]?.unit;
      if (unit !== undefined) next[`${path}|unit`] = unit;
      return next;
    }
    case 'DV_IDENTIFIER':
      next[`${path}|id`] = value;
      return next;
    case 'DV_DURATION':
      next[path] = `PT${Number(value)}M`;
      return next;
    default:
      next[path] = value;
      return next;
  }
}

/** The indexes of a repeating node (`base` without `:n`) present in the content, in order. */
export function instancesOf(base: string, flat: Flat): number[] {
  const found = new Set<number>();
  const prefix = `${base}:`;
  for (const key of Object.keys(flat)) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)(?:[/|]|$)/.exec(key.slice(prefix.length));
    if (match?.[1] !== undefined) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * A form path with instance indexes put in: `substitutions` map a repeating node's form path
 * (ending `:0`) to the instance path (ending `:n`), outermost first.
 */
export type Substitutions = readonly (readonly [string, string])[];

export function instancePath(path: string, substitutions: Substitutions): string {
  return substitutions.reduce(
    (current, [from, to]) => (current === from || current.startsWith(`${from}/`) ? to + current.slice(from.length) : current),
    path,
  );
}

/** Removes one instance of a repeating section: its keys go, and later instances move up one. */
export function removeInstance(base: string, index: number, flat: FlatContent): FlatContent {
  const next: FlatContent = {};
  const prefix = `${base}:`;
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(prefix)) {
      next[key] = value;
      continue;
    }
    const match = /^(\d+)(.*)$/.exec(key.slice(prefix.length));
    const at = Number(match?.[1]);
    if (!match || at === index) continue;
    next[at > index ? `${prefix}${at - 1}${match[2] ?? ''}` : key] = value;
  }
  return next;
}

/** Every field of a section, with its instance path, for checking a whole form. */
export function fieldsOf(section: FormSection, flat: Flat, substitutions: Substitutions = []): { field: FormField; path: string }[] {
  const path = instancePath(section.path, substitutions);
  const indexes = section.repeatable && path.endsWith(':0') ? instancesOrFirst(path.slice(0, -2), flat) : [undefined];
  return indexes.flatMap((index) => {
    const here: Substitutions = index === undefined ? substitutions : [...substitutions, [section.path, `${path.slice(0, -2)}:${index}`]];
    return section.children.flatMap((child) =>
      child.kind === 'field' ? [{ field: child, path: instancePath(child.path, here) }] : fieldsOf(child, flat, here),
    );
  });
}

/** The instances to show: those present, or one empty one to fill in. */
export function instancesOrFirst(base: string, flat: Flat): number[] {
  const present = instancesOf(base, flat);
  return present.length > 0 ? present : [0];
}

/** Every field of a form by its form path (`:0` at repeating nodes), for rules and prefills that name one. */
export function formFields(form: { sections: readonly FormSection[] }): Map<string, FormField> {
  const found = new Map<string, FormField>();
  const visit = (section: FormSection) => {
    for (const child of section.children) {
      if (child.kind === 'field') found.set(child.path, child);
      else visit(child);
    }
  };
  form.sections.forEach(visit);
  return found;
}

/** An id for the control of a path, usable in a URL fragment. */
export function controlId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
