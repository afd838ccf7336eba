/**
 * NHS numbers: ten digits, the last a modulus 11 check digit over the first nine (weights 10..2).
 * Synthetic people get numbers from the range 999 000 0000 – 999 999 9999, which NHS England
 * reserves for testing and never issues to a real person.
 */

/** The identifier system (FHIR) and EHR subject namespace (openEHR) of NHS numbers. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** The check digit for nine digits, or undefined when no check digit exists (remainder gives 10). */
export function nhsCheckDigit(nineDigits: string): number | undefined {
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(nineDigits[index]), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\s/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

export function isTestRangeNhsNumber(value: string): boolean {
  return isValidNhsNumber(value) && value.replace(/\s/g, '').startsWith('999');
}

/**
 * The `serial`-th valid test-range NHS number (0-based), skipping the bodies that have no check
 * digit. Deterministic, so a seeded dataset always gets the same numbers.
 */
export function testNhsNumber(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0) throw new RangeError('serial must be a non-negative integer');
  let found = -1;
  for (const nhsNumber of testNhsNumbers()) if (++found === serial) return nhsNumber;
  throw new RangeError('the NHS test range is exhausted');
}

/** Every valid NHS number of the test range in order: `testNhsNumber(0)`, `testNhsNumber(1)` … without counting from 0 each time. */
export function* testNhsNumbers(): Generator<string, void, undefined> {
  for (let body = 0; body <= 999_999; body++) {
    const nine = `999${String(body).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== undefined) yield `${nine}${check}`;
  }
}
