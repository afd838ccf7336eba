/**
 * A person's demographics as this platform holds them: the part of a national demographics record
 * (PDS) that a clinician or a crew needs to be sure they have the right person. Typed here once;
 * the PDS mapping produces it, the store versions it, the API shows it.
 */

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** Where a version came from: the national service, the local stub (demo, tests), or a person typing it in. */
export const DEMOGRAPHICS_SOURCE_NAMES = ['pds', 'pds-stub', 'manual'] as const;
export type DemographicsSourceName = (typeof DEMOGRAPHICS_SOURCE_NAMES)[number];

export interface PersonName {
  prefix: string[];
  given: string[];
  family: string;
  suffix: string[];
  /** As a banner shows it: prefix, given names, FAMILY NAME in capitals, suffix. */
  text: string;
}

export interface PostalAddress {
  lines: string[];
  city: string | null;
  postalCode: string | null;
}

export interface ContactPoint {
  system: 'phone' | 'email' | 'other';
  use: string | null;
  value: string;
}

/** The UK Core NHS number verification status (01 "Number present and verified", …). */
export interface NhsNumberStatus {
  code: string;
  display: string;
}

export interface PersonDemographics {
  /** The NHS number of the record itself (after a merge: the number that superseded the one asked for). */
  nhsNumber: string;
  nhsNumberStatus: NhsNumberStatus | null;
  /** S-flagged (PDS confidentiality R or V): address, contacts and registered GP are never held. */
  restricted: boolean;
  name: PersonName | null;
  /** YYYY-MM-DD (PDS may hold a partial date: YYYY or YYYY-MM). */
  birthDate: string | null;
  gender: Gender;
  address: PostalAddress | null;
  telecom: ContactPoint[];
  /** The ODS code of the GP practice the person is registered with. */
  registeredGpOdsCode: string | null;
  deceased: { date: string } | null;
}

/**
 * How sure the platform is of what it shows. `verified`: the source confirmed it at
 * `retrievedAt`; `unverified`: the source could not be reached at the last attempt, this is the
 * last version it gave; `not-found`: the source no longer knows the number.
 */
export type Verification = 'verified' | 'unverified' | 'not-found';

/** What the criteria of a demographics search are: what PDS's own search takes. */
export interface DemographicsSearch {
  family: string;
  given: string | undefined;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: Gender | undefined;
  /** A full postcode, or its start (a wildcard search on PDS). */
  postcode: string | undefined;
}

/** Formats a name as a banner shows it: "Mrs Jane Ann SMITH". */
export function nameText(name: Pick<PersonName, 'prefix' | 'given' | 'family' | 'suffix'>): string {
  return [...name.prefix, ...name.given, name.family.toUpperCase(), ...name.suffix].filter((part) => part !== '').join(' ');
}
