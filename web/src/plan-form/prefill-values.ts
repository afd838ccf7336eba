import type { Static } from 'typebox';
import type { PrefillSchema } from '../../../src/careplan/pathway/pathway-definition.js';
import type { PersonSchema } from '../../../src/demographics/http/people-schemas.js';

/*
 * What a module's prefills put in a form, pure and free of the app's API module so that it is
 * tested as it runs (test/web/form-rules.test.ts). prefill.ts runs the queries.
 */

/** A form's content: FLAT keys to the values its controls hold (flat-values' FlatContent). */
type FlatContent = Record<string, string | number | boolean>;

/** A module's prefill as the pathways API serves it (its schema): a stored-data question in AQL, or a demographic fact. */
export type FormPrefill = Static<typeof PrefillSchema>;

export type DemographicFact = Extract<FormPrefill['from'], { demographics: unknown }>['demographics'];

type Person = Static<typeof PersonSchema>;

/** The part of the people API's person a prefill reads (a record may lack a name or a birth date). */
export interface PrefillPerson {
  name: Pick<NonNullable<Person['name']>, 'text'> | null;
  birthDate: Person['birthDate'];
  address: Person['address'];
  registeredGp: Person['registeredGp'];
}

/** An openEHR AQL result set, as far as a prefill reads it. */
export interface PrefillResultSet {
  columns: { name: string; path?: string }[];
  rows: unknown[][];
}

/** A demographic fact as a field shows it, or undefined when the person's record does not have it. */
export function demographicValue(person: PrefillPerson | undefined, fact: DemographicFact): string | undefined {
  if (!person) return undefined;
  switch (fact) {
    case 'name':
      return person.name?.text || undefined;
    case 'birthDate':
      return person.birthDate || undefined;
    case 'address': {
      // An S-flagged person's address is withheld (null): nothing to fill.
      const address = person.address;
      return address ? [...address.lines, address.city, address.postalCode].filter(Boolean).join(', ') || undefined : undefined;
    }
    case 'gp': {
      // The practice's name is null when the organisation register does not know the code.
      const gp = person.registeredGp;
      return gp ? (gp.name ? `${gp.name} (${gp.odsCode})` : gp.odsCode) : undefined;
    }
  }
}

/** The values of one column of an AQL answer, each as text, without empties. */
export function columnValues(result: PrefillResultSet, column: string): string[] {
  const index = result.columns.findIndex((candidate) => candidate.name === column);
  if (index < 0) return [];
  return result.rows
    .map((row) => row[index])
    .filter((value): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value))
    .map(String)
    .filter((value) => value.trim() !== '');
}

/** How the form reads and writes a field (flat-values' readField and writeField, bound to the form). */
export interface PrefillTarget {
  /** Whether the form has the field at this form path, and whether it repeats. */
  field(path: string): { repeatable: boolean } | undefined;
  read(path: string, content: FlatContent): string;
  write(path: string, value: string, content: FlatContent): FlatContent;
}

/**
 * The content with each prefilled field filled, where it is empty: a value someone has entered is
 * never overwritten. A repeating field takes every value, one instance each (when it has none
 * yet); any other field the first value.
 */
export function applyPrefills(flat: FlatContent, values: ReadonlyMap<string, string[]>, target: PrefillTarget): FlatContent {
  let next = flat;
  for (const [path, found] of values) {
    const field = target.field(path);
    if (!field || target.read(path, next) !== '') continue;
    if (field.repeatable && path.endsWith(':0')) {
      const base = path.slice(0, -2);
      if (Object.keys(next).some((key) => key.startsWith(`${base}:`))) continue;
      found.forEach((value, index) => {
        next = target.write(`${base}:${index}`, value, next);
      });
    } else if (found[0] !== undefined) next = target.write(path, found[0], next);
  }
  return next;
}
