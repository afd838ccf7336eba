import { describe, expect, it } from 'vitest';
import { lockoutDurationMs } from './lockout-policy.js';

const MINUTE = 60_000;

describe('lock-out policy', () => {
  it('allows four failures in a row without a lock', () => {
    expect([0, 1, 2, 3, 4].map(lockoutDurationMs)).toEqual([0, 0, 0, 0, 0]);
  });

  it('locks for a minute at the fifth failure, doubling with each further one up to an hour', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 12].map(lockoutDurationMs)).toEqual([1, 2, 4, 8, 16, 32, 60, 60].map((minutes) => minutes * MINUTE));
    expect(lockoutDurationMs(10_000)).toBe(60 * MINUTE);
  });
});
