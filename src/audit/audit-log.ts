import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import type { AuditEntry, AuditRecord } from './audit-record.js';
import { storableAuditRecord } from './storable-audit-record.js';

/**
 * Serialises appends across every server that shares the database. Without it two transactions
 * could read the same head and both link to it (a fork), or race for the same seq. Transaction-
 * scoped, so it is held until the caller's transaction commits or rolls back: the next appender
 * then reads the committed head (each READ COMMITTED statement takes a fresh snapshot, and the
 * head is read by a statement after the lock is granted). Any 64-bit number unique to this use.
 */
export const AUDIT_CHAIN_LOCK_KEY = 7_340_112_631;

// Time from the database clock, read under the lock, so that time order is seq order across
// servers; milliseconds, because that is what a JavaScript Date (and so the hash) holds.
const HEAD_SQL = `SELECT date_trunc('milliseconds', clock_timestamp()) AS now, head.seq, head.hash
  FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS head ON true`;

const INSERT_SQL = `INSERT INTO audit_log (seq, recorded_at, action, outcome, actor_id, actor_kind, actor_display_name,
  roles, ods_code, purpose_of_use, break_glass_reason, client_address, nhs_number, ehr_id, resource_type, resource_id,
  detail, prev_hash, hash)
  VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18, $19)`;

/**
 * Appends a record in the caller's transaction: it exists exactly when the write it records was
 * committed. Append it as the last step before commit, because the chain lock is held from here
 * to the end of the transaction and every other appender waits for it. Any failure throws an
 * `unavailable` AppError and leaves the transaction unusable, so the write cannot commit
 * without its record (fail closed).
 */
export async function appendAudit(tx: Queryable, record: AuditRecord): Promise<AuditEntry> {
  const [entry] = await appendAuditRecords(tx, [record]);
  if (!entry) throw auditUnavailable(new Error('no audit entry was appended'));
  return entry;
}

/**
 * Appends several records, in order, in the caller's transaction: the chain lock and head are
 * taken once for all of them (an AQL query records one row per person it returned).
 */
export async function appendAuditRecords(tx: Queryable, records: readonly AuditRecord[]): Promise<AuditEntry[]> {
  try {
    const storables = records.map(storableAuditRecord);
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
    const { rows } = await tx.query<{ now: Date | string; seq: number | string | null; hash: string | null }>(HEAD_SQL);
    const head = rows[0];
    if (!head) throw new Error('the audit log head query returned no row');
    const recordedAt = new Date(head.now).toISOString();
    let seq = head.seq === null ? 0 : Number(head.seq);
    let prevHash = head.hash ?? GENESIS_HASH;
    const entries: AuditEntry[] = [];
    for (const storable of storables) {
      const content = { ...storable, seq: ++seq, recordedAt, prevHash };
      const entry: AuditEntry = { ...content, hash: auditHash(content) };
      prevHash = entry.hash;
      await tx.query(INSERT_SQL, [
        entry.seq,
        entry.recordedAt,
        entry.action,
        entry.outcome,
        entry.actorId,
        entry.actorKind,
        entry.actorDisplayName ?? null,
        entry.roles,
        entry.odsCode ?? null,
        entry.purposeOfUse ?? null,
        entry.breakGlassReason ?? null,
        entry.clientAddress ?? null,
        entry.nhsNumber ?? null,
        entry.ehrId ?? null,
        entry.resourceType ?? null,
        entry.resourceId ?? null,
        JSON.stringify(entry.detail),
        entry.prevHash,
        entry.hash,
      ]);
      entries.push(entry);
    }
    return entries;
  } catch (error) {
    throw auditUnavailable(error);
  }
}

/**
 * Appends a record in a transaction of its own and resolves once it is committed: for reads,
 * whose record must be durable before the response leaves. Throws (fail closed) if it cannot.
 */
export async function appendAuditNow(db: Database, record: AuditRecord): Promise<AuditEntry> {
  try {
    return await db.transaction((tx) => appendAudit(tx, record));
  } catch (error) {
    throw auditUnavailable(error);
  }
}

function auditUnavailable(error: unknown): AppError {
  if (error instanceof AppError && error.code === 'unavailable') return error;
  return new AppError('unavailable', 'The audit log could not record this access, so it was refused.', { cause: error });
}
