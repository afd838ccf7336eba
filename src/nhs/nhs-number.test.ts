import { describe, expect, it } from 'vitest';
import { isTestRangeNhsNumber, isValidNhsNumber, nhsCheckDigit, testNhsNumber, testNhsNumbers } from './nhs-number.js';

describe('NHS numbers', () => {
  it('accepts numbers whose check digit is right', () => {
    // Published worked example of the modulus 11 algorithm.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
  });

  it('refuses a wrong check digit, wrong length or non-digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347659a9')).toBe(false);
  });

  it('has no check digit when the remainder gives 10, and skips such numbers', () => {
    // 9·10 + 9·9 + 9·8 = 243 and 243 mod 11 = 1, so 11 - 1 = 10: not a valid body.
    expect(nhsCheckDigit('999000000')).toBeUndefined();
    expect(testNhsNumber(0).startsWith('999000001')).toBe(true);
  });

  it('makes distinct, valid, test-range numbers deterministically', () => {
    const numbers = [...Array(500).keys()].map(testNhsNumber);
    expect(new Set(numbers).size).toBe(500);
    for (const number of numbers) expect(isTestRangeNhsNumber(number)).toBe(true);
    expect(testNhsNumber(42)).toBe(numbers[42]);
  });

  it('gives the same numbers in order from the series as one by one, and ends with the range', () => {
    const series = testNhsNumbers();
    for (let serial = 0; serial < 300; serial++) expect(series.next().value).toBe(testNhsNumber(serial));
    const all = [...testNhsNumbers()];
    expect(all.length).toBeGreaterThan(900_000);
    expect(new Set(all).size).toBe(all.length);
    expect(all.at(-1)?.startsWith('999999')).toBe(true);
  });
});
