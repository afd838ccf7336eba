/**
 * When repeated sign-in failures lock a local account, and for how long. Five failures in a row
 * are allowed (typos, a forgotten password), then each further failure locks the account for
 * twice as long as the one before, from one minute up to an hour: an online guesser gets a few
 * dozen tries a day instead of thousands, while the owner is never locked out for long. A
 * success resets the count. Pure.
 */

export const LOCKOUT_THRESHOLD = 5;
export const FIRST_LOCKOUT_MS = 60_000;
export const MAX_LOCKOUT_MS = 3_600_000;

/** How long the account locks after `consecutiveFailures` failures in a row; 0 for no lock. */
export function lockoutDurationMs(consecutiveFailures: number): number {
  if (consecutiveFailures < LOCKOUT_THRESHOLD) return 0;
  // The exponent is capped so that a very long run of failures cannot overflow to Infinity.
  const doublings = Math.min(consecutiveFailures - LOCKOUT_THRESHOLD, 32);
  return Math.min(FIRST_LOCKOUT_MS * 2 ** doublings, MAX_LOCKOUT_MS);
}
