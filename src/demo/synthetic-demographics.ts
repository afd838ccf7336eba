import {
  CONFIDENTIALITY_SYSTEM,
  NHS_NUMBER_VERIFICATION_URL,
  ODS_ORGANISATION_SYSTEM,
  type FhirPatient,
} from '../demographics/fhir-patient.js';
import { NHS_NUMBER_SYSTEM, testNhsNumber } from '../nhs/nhs-number.js';
import { SeededRandom } from './seeded-random.js';
import type { SyntheticPerson } from './synthetic-londoners.js';

/** Made-up streets: the kind every London borough has; with a test-range NHS number, nobody real. */
const STREETS = [
  'Albion Road',
  'Beaconsfield Terrace',
  'Cedar Grove',
  'Chestnut Avenue',
  'Clarendon Road',
  'Elm Park Gardens',
  'Gladstone Street',
  'Grosvenor Close',
  'Hawthorn Way',
  'Kingsley Road',
  'Lavender Hill Court',
  'Linden Crescent',
  'Maple Walk',
  'Marlowe Road',
  'Milton Avenue',
  'Nightingale Lane',
  'Orchard Place',
  'Priory Mews',
  'Queensbury Drive',
  'Rosebery Gardens',
  'St Anne’s Road',
  'Stanhope Street',
  'Sycamore Rise',
  'Tennyson Road',
  'Thornbury Close',
  'Victoria Parade',
  'Wellington Row',
  'Willow Bank',
  'Windsor Terrace',
  'Woodland Rise',
];
const BUILDINGS = ['Alder House', 'Beech Court', 'Holly Lodge', 'Kestrel House', 'Osprey Court', 'Poplar House'];
const MIDDLE = {
  female: ['Ann', 'Elizabeth', 'Marie', 'Rose', 'Louise', 'Jane', 'Adaeze', 'Victoria', 'Mary', 'Nisha'],
  male: ['James', 'John', 'Michael', 'Edward', 'Kwabena', 'Peter', 'Francis', 'Anthony', 'Joseph', 'Rajan'],
} as const;

export interface SyntheticDemographicsOptions {
  seed: number;
  /** The demo GP practice everyone is registered with (src/demo/demo-people.ts). */
  gpOdsCode: string;
  /** When each registration began, at the latest (YYYY-MM-DD). */
  today: string;
  /** Deaths the demo plans record (NHS number → date), so that PDS and the plan agree. */
  deaths: ReadonlyMap<string, string>;
}

/** One in sixty demo people is S-flagged, so a demo shows what a restricted record hides. */
const RESTRICTED_EVERY = 60;

/**
 * The demo people as PDS would hold them (UK Core Patient resources, the shape the PDS FHIR API
 * answers with): title, middle names, a London home address, drama-range telephone numbers,
 * registration with the demo practice, a verified NHS number. Seeded per person, separately from
 * the people themselves, so their names and plans stay as they were.
 */
export function syntheticPdsPatients(people: readonly SyntheticPerson[], options: SyntheticDemographicsOptions): FhirPatient[] {
  return people.map((person, index) => {
    const random = new SeededRandom(options.seed + 7_919 * (index + 1));
    const restricted = index % RESTRICTED_EVERY === RESTRICTED_EVERY - 1;
    const death = options.deaths.get(person.nhsNumber);
    const registeredSince = `${Math.min(Number(options.today.slice(0, 4)) - 1, Number(person.birthDate.slice(0, 4)) + random.integer(18, 60))}-${pad(random.integer(1, 12))}-01`;
    const patient: FhirPatient = {
      resourceType: 'Patient',
      id: person.nhsNumber,
      meta: {
        versionId: String(random.integer(1, 6)),
        security: [{ system: CONFIDENTIALITY_SYSTEM, code: restricted ? 'R' : 'U', display: restricted ? 'restricted' : 'unrestricted' }],
      },
      identifier: [
        {
          system: NHS_NUMBER_SYSTEM,
          value: person.nhsNumber,
          extension: [
            {
              url: NHS_NUMBER_VERIFICATION_URL,
              valueCodeableConcept: {
                coding: [
                  {
                    system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus',
                    code: '01',
                    display: 'Number present and verified',
                  },
                ],
              },
            },
          ],
        },
      ],
      name: [
        {
          use: 'usual',
          period: { start: person.birthDate },
          prefix: [prefixFor(person, random)],
          given: [person.givenName, ...(random.chance(0.45) ? [random.pick(MIDDLE[person.gender])] : [])],
          family: person.familyName,
        },
      ],
      gender: person.gender,
      birthDate: person.birthDate,
      ...(death ? { deceasedDateTime: `${death}T00:00:00+00:00` } : {}),
    };
    // PDS removes location data from a restricted record before it leaves; so does the stub's data.
    if (restricted) return patient;
    return {
      ...patient,
      address: [{ use: 'home', period: { start: registeredSince }, line: addressLines(person, random), postalCode: person.postcode }],
      telecom: telecomFor(person, random),
      generalPractitioner: [
        {
          type: 'Organization',
          identifier: { system: ODS_ORGANISATION_SYSTEM, value: options.gpOdsCode, period: { start: registeredSince } },
        },
      ],
    };
  });
}

/** A demo NHS number that PDS merged into the second demo person's: reading it shows the merge. */
export function syntheticSupersession(people: readonly SyntheticPerson[]): ReadonlyMap<string, string> {
  const target = people[1];
  return target ? new Map([[testNhsNumber(people.length), target.nhsNumber]]) : new Map();
}

function prefixFor(person: SyntheticPerson, random: SeededRandom): string {
  if (random.chance(0.03)) return 'Dr';
  if (person.gender === 'male') return 'Mr';
  return random.pick(['Mrs', 'Mrs', 'Ms', 'Ms', 'Miss']);
}

function addressLines(person: SyntheticPerson, random: SeededRandom): string[] {
  const street = random.pick(STREETS);
  const premises = random.chance(0.3)
    ? [`Flat ${random.integer(1, 48)}`, random.pick(BUILDINGS), street]
    : [`${random.integer(1, 240)} ${street}`];
  return [...premises, person.borough, 'London'];
}

function telecomFor(person: SyntheticPerson, random: SeededRandom): NonNullable<FhirPatient['telecom']> {
  const telecom: NonNullable<FhirPatient['telecom']> = [];
  // Ofcom's drama ranges: 020 7946 0xxx and 07700 900xxx are never assigned to anyone.
  if (random.chance(0.8)) telecom.push({ system: 'phone', use: 'home', value: `020 7946 0${pad(random.integer(0, 999), 3)}` });
  if (random.chance(0.6)) telecom.push({ system: 'phone', use: 'mobile', value: `07700 900${pad(random.integer(0, 999), 3)}` });
  if (random.chance(0.2)) {
    telecom.push({
      system: 'email',
      use: 'home',
      value: `${person.givenName}.${person.familyName}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.com',
    });
  }
  return telecom;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
