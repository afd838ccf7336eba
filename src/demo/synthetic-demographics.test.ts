import { describe, expect, it } from 'vitest';
import { mapPdsPatient } from '../demographics/map-pds-patient.js';
import { DEMO_PEOPLE, DEMO_SEED } from './seed-demo-dataset.js';
import { syntheticPdsPatients, syntheticSupersession } from './synthetic-demographics.js';
import { syntheticLondoners } from './synthetic-londoners.js';
import { syntheticPlans } from './synthetic-plans.js';

const TODAY = '2026-12-07';
const people = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED);
const deaths = new Map(
  syntheticPlans(people, { seed: DEMO_SEED, today: TODAY }).flatMap((plan) =>
    plan.death ? [[plan.nhsNumber, plan.death.date] as const] : [],
  ),
);
const options = { seed: DEMO_SEED, gpOdsCode: 'DEMOGP1', today: TODAY, deaths };
const demographics = syntheticPdsPatients(people, options).map((patient) => mapPdsPatient(patient, TODAY));

describe('the demo people as PDS holds them', () => {
  it('are the demo people: the same numbers, names, dates of birth and postcodes', () => {
    expect(demographics).toHaveLength(DEMO_PEOPLE);
    demographics.forEach((person, index) => {
      const own = people[index];
      expect(person).toMatchObject({ nhsNumber: own?.nhsNumber, birthDate: own?.birthDate, gender: own?.gender });
      expect(person.name?.family).toBe(own?.familyName);
      expect(person.name?.given[0]).toBe(own?.givenName);
      expect(person.name?.text).toMatch(/^(Mr|Mrs|Ms|Miss|Dr) [A-Z][a-z]+( [A-Z][a-z]+)? [A-Z' ]+$/);
      expect(person.nhsNumberStatus?.code).toBe('01');
    });
    expect(syntheticPdsPatients(people, options)).toEqual(syntheticPdsPatients(people, options));
  });

  it('live at a London address, are registered with the demo practice and have only drama-range telephone numbers', () => {
    const open = demographics.filter((person) => !person.restricted);
    expect(open.length).toBeGreaterThan(290);
    for (const person of open) {
      const own = people.find((candidate) => candidate.nhsNumber === person.nhsNumber);
      expect(person.address?.lines.slice(-2)).toEqual([own?.borough, 'London']);
      expect(person.address?.lines[0]).toMatch(/^(\d+ [A-Z]|Flat \d+$)/);
      expect(person.address?.postalCode).toBe(own?.postcode);
      expect(person.registeredGpOdsCode).toBe('DEMOGP1');
      for (const contact of person.telecom) {
        expect(contact.value).toMatch(contact.system === 'email' ? /@example\.com$/ : /^(020 7946 0\d{3}|07700 900\d{3})$/);
      }
    }
    expect(new Set(open.map((person) => person.address?.lines.join(', '))).size).toBeGreaterThan(280);
  });

  it('include a few S-flagged people, whose location PDS never gives', () => {
    const restricted = demographics.filter((person) => person.restricted);
    expect(restricted.length).toBe(5);
    for (const person of restricted) expect(person).toMatchObject({ address: null, telecom: [], registeredGpOdsCode: null });
  });

  it('have died when and only when their plan records a death, on the same day', () => {
    expect(deaths.size).toBeGreaterThan(0);
    for (const person of demographics) expect(person.deceased?.date ?? null).toBe(deaths.get(person.nhsNumber) ?? null);
  });

  it('include a number merged into a demo person', () => {
    const merges = [...syntheticSupersession(people)];
    expect(merges).toEqual([[expect.stringMatching(/^999/), people[1]?.nhsNumber]]);
    expect(people.some((person) => person.nhsNumber === merges[0]?.[0])).toBe(false);
  });
});
