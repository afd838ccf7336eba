import { describe, expect, it } from 'vitest';
import { ROLES } from '../access/roles.js';
import { isTestRangeNhsNumber } from '../nhs/nhs-number.js';
import { DEMO_ORGANISATIONS, DEMO_SEED, DEMO_USERS, demoLoginLines } from './demo-people.js';
import { DEMO_PEOPLE } from './seed-demo-dataset.js';
import { syntheticLondoners } from './synthetic-londoners.js';

describe('demo people', () => {
  it('has a demo user for every role, each at a demo organisation', () => {
    expect(new Set(DEMO_USERS.flatMap((user) => user.roles))).toEqual(new Set(ROLES));
    const organisations = new Set(DEMO_ORGANISATIONS.map((organisation) => organisation.odsCode));
    for (const user of DEMO_USERS) expect(organisations.has(user.odsCode)).toBe(true);
    expect(new Set(DEMO_USERS.map((user) => user.username)).size).toBe(DEMO_USERS.length);
  });

  it('puts the roles at the kinds of organisation the brief names', () => {
    const kindOf = (username: string) => {
      const user = DEMO_USERS.find((candidate) => candidate.username === username);
      return DEMO_ORGANISATIONS.find((organisation) => organisation.odsCode === user?.odsCode)?.kind;
    };
    expect([kindOf('viewer'), kindOf('contributor'), kindOf('clinician'), kindOf('senior-clinician')]).toEqual([
      'ambulance-service',
      'care-home',
      'gp-practice',
      'hospice',
    ]);
  });

  it("names the patient's account as the demographics service names the person, so their own view and the banner agree", () => {
    const patient = DEMO_USERS.find((user) => user.username === 'patient');
    const person = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).find((candidate) => candidate.nhsNumber === patient?.nhsNumber);
    expect(person).toBeDefined();
    expect(patient?.displayName).toBe(`${person?.givenName} ${person?.familyName}`);
  });

  it('gives the patient a test-range NHS number and nobody else one', () => {
    const withNumbers = DEMO_USERS.filter((user) => user.nhsNumber !== undefined);
    expect(withNumbers.map((user) => user.username)).toEqual(['patient']);
    expect(isTestRangeNhsNumber(withNumbers[0]?.nhsNumber ?? '')).toBe(true);
  });

  it('describes each demo log-in on one line for the start-up banner', () => {
    const lines = demoLoginLines();
    expect(lines).toHaveLength(DEMO_USERS.length);
    expect(lines).toContain('viewer — Sam Viewer (paramedic), viewer at Demo Ambulance Service (DEMOAMB)');
  });
});
