import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { checkReviewDate, latestReviewDate } from './review-date.js';

describe('review dates', () => {
  it('allows up to the pathway limit, clamping to the end of a shorter month', () => {
    expect(latestReviewDate('2026-12-04', 12)).toBe('2027-12-04');
    expect(latestReviewDate('2026-08-31', 6)).toBe('2027-02-28');
    expect(checkReviewDate('2027-12-04', '2026-12-04', 12)).toBe('2027-12-04');
  });

  it('refuses a missing, past, malformed or too distant date, naming the latest allowed', () => {
    const refusal = (date: string | undefined, months = 12) => {
      try {
        checkReviewDate(date, '2026-12-04', months);
      } catch (error) {
        return error instanceof AppError ? `${error.code}: ${error.detail}` : 'other';
      }
      return 'accepted';
    };
    expect(refusal(undefined)).toMatch(/unprocessable: .*at the latest 2027-12-04/);
    expect(refusal('2026-12-04')).toMatch(/after today/);
    expect(refusal('2026-02-30')).toMatch(/bad-request/);
    expect(refusal('2027-12-05')).toMatch(/too far ahead.*by 2027-12-04/);
    expect(refusal('2027-06-05', 6)).toMatch(/within 6 months, by 2027-06-04/);
  });
});
