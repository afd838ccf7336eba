import type { Caller } from '../access/caller.js';
import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { appendAudit } from './audit-log.js';
import { auditRecordFor, type AuditEntry } from './audit-record.js';
import { AUDIT_COLUMNS, auditEntryFromRow, type AuditRow } from './audit-row.js';

/**
 * Break-glass follow-up: an organisation's auditors see every break-glass access made for their
 * organisation and record, once, whether it was justified. A review is final and audited; nobody
 * reviews their own.
 */

export const REVIEW_OUTCOMES = ['justified', 'not-justified', 'referred'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface BreakGlassReview {
  outcome: ReviewOutcome;
  note: string;
  reviewedBy: string;
  reviewedAt: string;
}

export interface BreakGlassAccess {
  entry: AuditEntry;
  /** Absent while it waits for review. */
  review: BreakGlassReview | undefined;
}

export type ReviewFilter = 'open' | 'reviewed' | 'all';

type ReviewRow = AuditRow & {
  review_outcome: ReviewOutcome | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | string | null;
};

/** The organisation's break-glass accesses, newest first, filtered by review state. */
export async function listBreakGlass(
  db: Queryable,
  odsCode: string,
  filter: ReviewFilter,
  limit: number,
  beforeSeq?: number,
): Promise<{ accesses: BreakGlassAccess[]; nextCursor: string | undefined }> {
  const state = filter === 'open' ? 'AND r.audit_seq IS NULL' : filter === 'reviewed' ? 'AND r.audit_seq IS NOT NULL' : '';
  const columns = AUDIT_COLUMNS.split(',')
    .map((column) => `a.${column.trim()}`)
    .join(', ');
  const { rows } = await db.query<ReviewRow>(
    `SELECT ${columns}, r.outcome AS review_outcome, r.note AS review_note, r.reviewed_by, r.reviewed_at
     FROM audit_log a LEFT JOIN break_glass_review r ON r.audit_seq = a.seq
     WHERE a.action = 'break-glass' AND a.ods_code = $1 ${state} AND ($2::bigint IS NULL OR a.seq < $2)
     ORDER BY a.seq DESC LIMIT $3`,
    [odsCode, beforeSeq ?? null, limit + 1],
  );
  const accesses = rows.slice(0, limit).map((row) => ({
    entry: auditEntryFromRow(row),
    review:
      row.review_outcome === null
        ? undefined
        : {
            outcome: row.review_outcome,
            note: row.review_note ?? '',
            reviewedBy: row.reviewed_by ?? '',
            reviewedAt: new Date(row.reviewed_at ?? 0).toISOString(),
          },
  }));
  const last = accesses.at(-1);
  return { accesses, nextCursor: rows.length > limit && last ? String(last.entry.seq) : undefined };
}

/**
 * Records an auditor's review of one break-glass access of their organisation, with its audit
 * record, in one transaction. Not found unless it is a break-glass of the reviewer's
 * organisation; forbidden for the person who broke the glass; a conflict once reviewed.
 */
export function reviewBreakGlass(
  db: Database,
  reviewer: Caller,
  seq: number,
  review: { outcome: ReviewOutcome; note: string },
): Promise<BreakGlassReview> {
  const odsCode = reviewer.organisation?.odsCode;
  if (!odsCode) throw new AppError('forbidden', 'An auditor acts for an organisation; this caller acts for none.');
  const note = review.note.trim();
  if (note === '') throw new AppError('bad-request', 'Say what the review found.');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ actor_id: string; nhs_number: string | null }>(
      `SELECT actor_id, nhs_number FROM audit_log WHERE seq = $1 AND action = 'break-glass' AND ods_code = $2`,
      [seq, odsCode],
    );
    const access = rows[0];
    if (!access) throw new AppError('not-found', `There is no break-glass access ${seq} of your organisation.`);
    if (access.actor_id === reviewer.id) throw new AppError('forbidden', 'Another auditor must review your own break-glass access.');
    const inserted = await tx.query<{ reviewed_at: Date | string }>(
      `INSERT INTO break_glass_review (audit_seq, outcome, note, reviewed_by, reviewer_ods) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (audit_seq) DO NOTHING RETURNING reviewed_at`,
      [seq, review.outcome, note, reviewer.id, odsCode],
    );
    const reviewedAt = inserted.rows[0]?.reviewed_at;
    if (reviewedAt === undefined) throw new AppError('conflict', `The break-glass access ${seq} has been reviewed already.`);
    await appendAudit(
      tx,
      auditRecordFor(reviewer, {
        action: 'update',
        ...(access.nhs_number ? { nhsNumber: access.nhs_number } : {}),
        resource: { type: 'break-glass-review', id: String(seq) },
        detail: { outcome: review.outcome },
      }),
    );
    return { outcome: review.outcome, note, reviewedBy: reviewer.id, reviewedAt: new Date(reviewedAt).toISOString() };
  });
}
