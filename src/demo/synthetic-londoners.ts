import { BOROUGHS, type IntegratedCareSystem } from '../nhs/london.js';
import { testNhsNumbers } from '../nhs/nhs-number.js';
import { SeededRandom } from './seeded-random.js';

/** A made-up person for the demo dataset. Never a real person: NHS numbers are in the test range. */
export interface SyntheticPerson {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  gender: 'female' | 'male';
  birthDate: string;
  borough: string;
  ics: IntegratedCareSystem;
  postcode: string;
}

const GIVEN_NAMES = {
  female: [
    'Olivia',
    'Amelia',
    'Ada',
    'Grace',
    'Fatima',
    'Priya',
    'Chloe',
    'Aisha',
    'Margaret',
    'Joan',
    'Ngozi',
    'Mei',
    'Zofia',
    'Irene',
    'Blessing',
    'Hannah',
    'Sofia',
    'Eileen',
    'Ruth',
    'Yasmin',
  ],
  male: [
    'Oliver',
    'George',
    'Mohammed',
    'Arjun',
    'Kwame',
    'Thomas',
    'Harry',
    'Tariq',
    'Albert',
    'Wei',
    'Jakub',
    'Samuel',
    'Dennis',
    'Kofi',
    'Ravi',
    'Patrick',
    'Leon',
    'Ibrahim',
    'Stanley',
    'David',
  ],
} as const;

const FAMILY_NAMES = [
  'Smith',
  'Jones',
  'Patel',
  'Khan',
  'Williams',
  'Brown',
  'Okafor',
  'Taylor',
  'Ahmed',
  'Davies',
  'Nguyen',
  'Evans',
  'Mensah',
  'Wilson',
  'Kowalski',
  'Thomas',
  'Begum',
  'Roberts',
  'Chen',
  'Walker',
  "O'Brien",
  'Hussain',
  'Green',
  'Adeyemi',
];

/**
 * `count` synthetic Londoners from `seed`: the same seed always gives the same people, spread
 * over the boroughs, with ages weighted towards the older people who most often have a plan.
 */
export function syntheticLondoners(count: number, seed: number): SyntheticPerson[] {
  const random = new SeededRandom(seed);
  const people: SyntheticPerson[] = [];
  const nhsNumbers = testNhsNumbers();
  for (let index = 0; index < count; index++) {
    const nhsNumber = nhsNumbers.next().value;
    if (nhsNumber === undefined) throw new RangeError(`the NHS test range holds fewer than ${count} numbers`);
    const gender = random.chance(0.55) ? 'female' : 'male';
    const borough = random.pick(BOROUGHS);
    const age = random.chance(0.75) ? random.integer(65, 99) : random.integer(18, 64);
    const birthYear = 2026 - age;
    const birthDate = `${birthYear}-${String(random.integer(1, 12)).padStart(2, '0')}-${String(random.integer(1, 28)).padStart(2, '0')}`;
    people.push({
      nhsNumber,
      givenName: random.pick(GIVEN_NAMES[gender]),
      familyName: random.pick(FAMILY_NAMES),
      gender,
      birthDate,
      borough: borough.name,
      ics: borough.ics,
      postcode: `${borough.postcodeArea}${random.integer(1, 20)} ${random.integer(1, 9)}${random.pick(['AB', 'DN', 'EW', 'HQ', 'LT', 'PX', 'RZ', 'SU'])}`,
    });
  }
  return people;
}
