import type { Patient } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM, NHS_NUMBER_VERIFICATION_EXTENSION, NHS_NUMBER_VERIFICATION_SYSTEM, UK_CORE_PROFILES } from '../uk-core.js';
import { organizationReference } from './references.js';

/**
 * A person's demographics as `GET /api/people/{nhs_number}` returns them (the contract between
 * the `pds` and `web` branches, /work/brief/people-api.md): the input of the Patient mapper.
 */
export interface PersonDemographics {
  nhsNumber: string;
  verification: 'verified' | 'unverified' | 'not-found';
  restricted: boolean;
  name: { prefix?: string[]; given?: string[]; family?: string; text?: string };
  birthDate?: string | null;
  gender?: 'female' | 'male' | 'other' | 'unknown' | null;
  address: { lines: string[]; city?: string | null; postalCode?: string | null } | null;
  telecom: { system: 'phone' | 'email' | 'sms' | 'other'; use?: 'home' | 'work' | 'mobile' | 'temp'; value: string }[];
  registeredGp: { odsCode: string; name: string } | null;
  deceased: { date: string } | null;
  supersededBy?: string | null;
  source: 'pds' | 'pds-stub' | 'manual';
  retrievedAt: string;
  version: number;
}

/** UK Core's England verification codes for what the platform knows of the number. */
const VERIFICATION: Readonly<Record<PersonDemographics['verification'], { code: string; display: string }>> = {
  verified: { code: '01', display: 'Number present and verified' },
  unverified: { code: '02', display: 'Number present but not traced' },
  'not-found': { code: '04', display: 'Trace attempted - No match or multiple match found' },
};

const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/**
 * A person as a UK Core Patient, its id the NHS number. A restricted (S-flagged) person's address
 * and telecom are withheld and the resource is labelled restricted, as PDS does; a number merged
 * into another is inactive and links to its replacement.
 */
export function toPatient(person: PersonDemographics): Patient {
  const verification = VERIFICATION[person.verification];
  const showContact = !person.restricted;
  return {
    resourceType: 'Patient',
    id: person.nhsNumber,
    meta: {
      profile: [UK_CORE_PROFILES.Patient],
      versionId: String(person.version),
      lastUpdated: person.retrievedAt,
      ...(person.restricted ? { security: [{ system: CONFIDENTIALITY, code: 'R', display: 'restricted' }] } : {}),
    },
    identifier: [
      {
        extension: [
          {
            url: NHS_NUMBER_VERIFICATION_EXTENSION,
            valueCodeableConcept: { coding: [{ system: NHS_NUMBER_VERIFICATION_SYSTEM, ...verification }] },
          },
        ],
        system: NHS_NUMBER_SYSTEM,
        value: person.nhsNumber,
      },
    ],
    active: !person.supersededBy,
    name: [
      {
        use: 'official',
        ...(person.name.text ? { text: person.name.text } : {}),
        ...(person.name.family ? { family: person.name.family } : {}),
        ...(person.name.given?.length ? { given: person.name.given } : {}),
        ...(person.name.prefix?.length ? { prefix: person.name.prefix } : {}),
      },
    ],
    ...(showContact && person.telecom.length > 0 ? { telecom: person.telecom.map((telecom) => ({ ...telecom })) } : {}),
    ...(person.gender ? { gender: person.gender } : {}),
    ...(person.birthDate ? { birthDate: person.birthDate } : {}),
    ...(person.deceased ? { deceasedDateTime: person.deceased.date } : {}),
    ...(showContact && person.address
      ? {
          address: [
            {
              use: 'home',
              line: person.address.lines,
              ...(person.address.city ? { city: person.address.city } : {}),
              ...(person.address.postalCode ? { postalCode: person.address.postalCode } : {}),
            },
          ],
        }
      : {}),
    ...(person.registeredGp ? { generalPractitioner: [organizationReference(person.registeredGp.odsCode, person.registeredGp.name)] } : {}),
    ...(person.supersededBy
      ? {
          link: [
            {
              other: {
                identifier: { system: NHS_NUMBER_SYSTEM, value: person.supersededBy },
                display: 'the NHS number this one was merged into',
              },
              type: 'replaced-by',
            },
          ],
        }
      : {}),
  };
}
