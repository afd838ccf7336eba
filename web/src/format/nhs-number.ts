import { isValidNhsNumber } from '../../../src/nhs/nhs-number';

export { isValidNhsNumber };

/** The digits of what was typed: spaces and dashes as people type them are dropped. */
export function nhsDigits(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/** An NHS number as people read it: 3-3-4 (`999 000 0018`). */
export function formatNhsNumber(value: string): string {
  const digits = nhsDigits(value);
  if (!/^\d{10}$/.test(digits)) return value;
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/**
 * What is wrong with a typed NHS number, in the NHS content style, or undefined when it is a
 * valid one. `complete` is false while the person is still typing: only a definite mistake shows.
 */
export function nhsNumberProblem(typed: string, complete: boolean): string | undefined {
  const digits = nhsDigits(typed);
  if (digits === '') return complete ? 'Enter an NHS number' : undefined;
  if (!/^\d+$/.test(digits)) return 'NHS number must only include numbers 0 to 9';
  if (digits.length > 10) return 'NHS number must be 10 digits';
  if (digits.length < 10) return complete ? 'NHS number must be 10 digits' : undefined;
  if (!isValidNhsNumber(digits)) return 'This is not a valid NHS number. Check the number and try again';
  return undefined;
}
