import { AppError, type ErrorIssue } from '../errors/app-error.js';

/**
 * How long a plan's free text may be. A field is read at 3 a.m. on a phone: 4,000 characters
 * holds the longest narrative a ReSPECT form has room for, and a 1 MB field (issue #11) made a
 * 1 MB emergency summary. FLAT paths are generated from templates and never approach 500.
 */
export const FREE_TEXT_LIMIT = 4000;
export const FLAT_PATH_LIMIT = 500;

/** Refuses (400, naming each field and the limit) a section whose text or paths are too long, before anything is read or written. */
export function refuseOverlongText(flat: Readonly<Record<string, unknown>>): void {
  const issues: ErrorIssue[] = [];
  for (const [path, value] of Object.entries(flat)) {
    if (path.length > FLAT_PATH_LIMIT)
      issues.push({ path: `/flat/${path.slice(0, 80)}…`, message: `is a path of ${path.length} characters; at most ${FLAT_PATH_LIMIT}` });
    else if (typeof value === 'string' && value.length > FREE_TEXT_LIMIT)
      issues.push({ path: `/flat/${path}`, message: `is ${value.length} characters long; at most ${FREE_TEXT_LIMIT}` });
  }
  if (issues.length === 0) return;
  throw new AppError(
    'invalid-request',
    `Too long to save: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}. Shorten it (free text in a plan is limited to ${FREE_TEXT_LIMIT} characters); nothing was saved.`,
    { issues },
  );
}
