import { AppError } from '../errors/app-error.js';

/** `YYYY-MM-DD` of a UTC date. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The latest review date a plan may have: `months` after `today`, clamped to the month's end. */
export function latestReviewDate(today: string, months: number): string {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return isoDate(target);
}

/**
 * A plan must name when it will next be reviewed: after today and no later than its pathways
 * allow. Refused with the latest allowed date, so the form can offer it.
 */
export function checkReviewDate(reviewDate: string | undefined, today: string, maxMonths: number): string {
  const latest = latestReviewDate(today, maxMonths);
  if (reviewDate === undefined || reviewDate.trim() === '') {
    throw new AppError(
      'unprocessable',
      `A plan needs a review date before it is submitted: at the latest ${latest} (${maxMonths} months).`,
      {
        issues: [{ path: '/reviewDate', message: `is required; at the latest ${latest}` }],
      },
    );
  }
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(reviewDate) ||
    Number.isNaN(Date.parse(`${reviewDate}T00:00:00Z`)) ||
    isoDate(new Date(`${reviewDate}T00:00:00Z`)) !== reviewDate
  ) {
    throw new AppError('bad-request', `The review date ${reviewDate} is not a date (YYYY-MM-DD).`, {
      issues: [{ path: '/reviewDate', message: 'must be YYYY-MM-DD' }],
    });
  }
  if (reviewDate <= today) {
    throw new AppError('unprocessable', `The review date ${reviewDate} must be after today (${today}).`, {
      issues: [{ path: '/reviewDate', message: 'must be in the future' }],
    });
  }
  if (reviewDate > latest) {
    throw new AppError(
      'unprocessable',
      `The review date ${reviewDate} is too far ahead: this plan must be reviewed within ${maxMonths} months, by ${latest}.`,
      {
        issues: [{ path: '/reviewDate', message: `must be ${latest} or earlier` }],
      },
    );
  }
  return reviewDate;
}
