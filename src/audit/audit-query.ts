import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { AuditAction, AuditEntry } from './audit-record.js';
import { AUDIT_COLUMNS, auditEntryFromRow, type AuditRow } from './audit-row.js';

export interface AuditQuery {
  /** One entry, by its position. */
  seq?: number;
  nhsNumber?: string;
  actorId?: string;
  odsCode?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  action?: AuditAction;
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Present when there are older entries. */
  nextCursor: string | undefined;
}

export const MAX_AUDIT_PAGE_SIZE = 1000;

/**
 * The auditor's search: every filter given must match. Pages by seq (keyset), so a page is as
 * cheap deep in the log as at its head, and rows appended while an auditor pages through never
 * shift or repeat what follows.
 */
export async function queryAudit(db: Queryable, query: AuditQuery): Promise<AuditPage> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_AUDIT_PAGE_SIZE) {
    throw new AppError('bad-request', `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}`);
  }
  const conditions: string[] = [];
  const params: unknown[] = [];
  const where = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (query.cursor !== undefined) where((p) => `seq < ${p}`, cursorSeq(query.cursor));
  if (query.seq !== undefined) where((p) => `seq = ${p}`, query.seq);
  if (query.nhsNumber !== undefined) where((p) => `nhs_number = ${p}`, query.nhsNumber);
  if (query.actorId !== undefined) where((p) => `actor_id = ${p}`, query.actorId);
  if (query.odsCode !== undefined) where((p) => `ods_code = ${p}`, query.odsCode);
  if (query.action !== undefined) where((p) => `action = ${p}`, query.action);
  if (query.from !== undefined) where((p) => `recorded_at >= ${p}::timestamptz`, isoTime(query.from, 'from'));
  if (query.to !== undefined) where((p) => `recorded_at < ${p}::timestamptz`, isoTime(query.to, 'to'));
  params.push(query.limit + 1);
  const sql = `SELECT ${AUDIT_COLUMNS} FROM audit_log
    ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY seq DESC LIMIT $${params.length}`;
  const { rows } = await db.query<AuditRow>(sql, params);
  const entries = rows.slice(0, query.limit).map(auditEntryFromRow);
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > query.limit && last ? String(last.seq) : undefined };
}

function cursorSeq(cursor: string): number {
  const seq = /^[1-9]\d{0,15}$/.test(cursor) ? Number(cursor) : Number.NaN;
  if (!Number.isSafeInteger(seq)) throw new AppError('bad-request', 'cursor is not one this server gave out');
  return seq;
}

function isoTime(value: Date, name: string): string {
  if (Number.isNaN(value.getTime())) throw new AppError('bad-request', `${name} is not a valid time`);
  return value.toISOString();
}
