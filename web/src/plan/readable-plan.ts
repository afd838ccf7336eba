import type { Flat, FormDefinition, FormField, FormSection } from '../api/care-plan-api';
import { formatDate, formatDateTime } from '../format/dates';

/** One recorded answer in plain language, with the codes behind it kept for those who ask. */
export interface ReadableField {
  label: string;
  value: string;
  /** The coded value (terminology and code) when there is one. */
  code?: string;
}

/** A section of a module as read: its answers, and its sub-sections (one per instance when it repeats). */
export interface ReadableSection {
  label: string;
  fields: ReadableField[];
  sections: ReadableSection[];
}

/**
 * Reads a module's FLAT content through its form definition: every field that holds a value,
 * labelled as the form labels it, its value as a person would say it (the coded text, not the
 * code; dates written out; yes or no), grouped by section, a repeating section once per instance.
 * Paths of the form carry `:0` at each repeating node; the content may have any index there.
 */
export function readModule(form: FormDefinition, flat: Flat): ReadableSection[] {
  const keys = Object.keys(flat);
  // A top-level section that only groups others (a template's "headings") adds a level and no answer.
  return form.sections
    .flatMap((section) => readSection(section, flat, keys, []))
    .flatMap((section) => (section.fields.length === 0 ? section.sections : [section]));
}

type Substitution = readonly [from: string, to: string];

function instantiate(path: string, substitutions: readonly Substitution[]): string {
  return substitutions.reduce((current, [from, to]) => (current.startsWith(from) ? to + current.slice(from.length) : current), path);
}

function readSection(section: FormSection, flat: Flat, keys: readonly string[], substitutions: readonly Substitution[]): ReadableSection[] {
  const path = instantiate(section.path, substitutions);
  const instances: (number | undefined)[] =
    section.repeatable && path.endsWith(':0') ? instanceIndexes(path.slice(0, -2), keys) : [undefined];
  return instances.flatMap((index) => {
    const own: Substitution[] = index === undefined ? [] : [[path, `${path.slice(0, -2)}:${index}`]];
    const here = [...own, ...substitutions];
    const fields: ReadableField[] = [];
    const sections: ReadableSection[] = [];
    for (const child of section.children) {
      if (child.kind === 'field') fields.push(...readField(child, flat, keys, here));
      else sections.push(...readSection(child, flat, keys, here));
    }
    if (fields.length === 0 && sections.length === 0) return [];
    const label = instances.length > 1 && index !== undefined ? `${section.label} ${instances.indexOf(index) + 1}` : section.label;
    return [{ label, fields, sections }];
  });
}

/** The indexes of a repeating node present in the content, in order. */
function instanceIndexes(base: string, keys: readonly string[]): number[] {
  const found = new Set<number>();
  const prefix = `${base}:`;
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)(?:[/|]|$)/.exec(key.slice(prefix.length));
    if (match?.[1] !== undefined) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function readField(field: FormField, flat: Flat, keys: readonly string[], substitutions: readonly Substitution[]): ReadableField[] {
  const path = instantiate(field.path, substitutions);
  const bases = field.repeatable && /:0(?=\/[^/]*$|$)/.test(path) ? repeatedFieldBases(path, keys) : [path];
  return bases.flatMap((base) => {
    const value = valueAt(field, base, flat);
    return value === undefined ? [] : [{ label: field.label, ...value }];
  });
}

/** A repeating element (`…/element:0/value` or `…/element:0`): the paths of every instance present. */
function repeatedFieldBases(path: string, keys: readonly string[]): string[] {
  const match = /^(.*):0(\/[^/]*)?$/.exec(path);
  if (!match) return [path];
  const [, head = '', tail = ''] = match;
  return instanceIndexes(head, keys).map((index) => `${head}:${index}${tail}`);
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null || value === '' ? undefined : typeof value === 'string' ? value : String(value);

function valueAt(field: FormField, path: string, flat: Flat): { value: string; code?: string } | undefined {
  const at = (suffix: string) => text(flat[`${path}${suffix}`]);
  switch (field.rmType) {
    case 'DV_CODED_TEXT':
    case 'DV_ORDINAL': {
      const value = at('|value') ?? at('');
      const code = at('|code');
      if (value === undefined && code === undefined) return undefined;
      const label = value ?? field.options?.find((option) => option.value === code)?.label ?? code ?? '';
      const terminology = at('|terminology') ?? field.options?.[0]?.terminology;
      const ordinal = at('|ordinal');
      return {
        value: ordinal !== undefined && field.rmType === 'DV_ORDINAL' ? `${ordinal}: ${label}` : label,
        ...(code !== undefined ? { code: `${terminology ?? 'local'} ${code}` } : {}),
      };
    }
    case 'DV_BOOLEAN': {
      const value = at('');
      return value === undefined ? undefined : { value: value === 'true' ? 'Yes' : 'No' };
    }
    case 'DV_DATE': {
      const value = at('');
      return value === undefined ? undefined : { value: formatDate(value) };
    }
    case 'DV_DATE_TIME': {
      const value = at('');
      return value === undefined ? undefined : { value: /T00:00:00/.test(value) ? formatDate(value.slice(0, 10)) : formatDateTime(value) };
    }
    case 'DV_QUANTITY': {
      const magnitude = at('|magnitude');
      return magnitude === undefined ? undefined : { value: `${magnitude}${at('|unit') ? ` ${at('|unit')}` : ''}` };
    }
    case 'DV_PROPORTION': {
      const numerator = at('|numerator');
      return numerator === undefined ? undefined : { value: `${numerator} / ${at('|denominator') ?? ''}` };
    }
    case 'DV_IDENTIFIER': {
      const id = at('|id') ?? at('');
      return id === undefined ? undefined : { value: id };
    }
    default: {
      const value = at('') ?? at('|value');
      return value === undefined ? undefined : { value };
    }
  }
}
