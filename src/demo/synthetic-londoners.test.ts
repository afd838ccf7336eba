import { describe, expect, it } from 'vitest';
import { INTEGRATED_CARE_SYSTEMS } from '../nhs/london.js';
import { isTestRangeNhsNumber } from '../nhs/nhs-number.js';
import { syntheticLondoners } from './synthetic-londoners.js';

describe('syntheticLondoners', () => {
  it('gives the same people for the same seed and different people for another', () => {
    expect(syntheticLondoners(50, 7)).toEqual(syntheticLondoners(50, 7));
    expect(syntheticLondoners(50, 7)).not.toEqual(syntheticLondoners(50, 8));
  });

  it('only makes test-range NHS numbers, all distinct', () => {
    const people = syntheticLondoners(300, 1);
    expect(new Set(people.map((person) => person.nhsNumber)).size).toBe(300);
    for (const person of people) expect(isTestRangeNhsNumber(person.nhsNumber)).toBe(true);
  });

  it('spreads people over every integrated care system, with plausible birth dates', () => {
    const people = syntheticLondoners(300, 1);
    expect(new Set(people.map((person) => person.ics))).toEqual(new Set(INTEGRATED_CARE_SYSTEMS));
    for (const person of people) {
      expect(person.birthDate).toMatch(/^(19[2-9]\d|200[0-8])-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(person.birthDate))).toBe(false);
    }
  });
});
