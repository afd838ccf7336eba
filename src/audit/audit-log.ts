import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { auditHash } from './audit-hash.js';
import type { AuditEntry, AuditRecord } from './audit-record.js';
import { groupCommitterFor } from './audit-group-commit.js';
import { storableAuditRecord } from './storable-audit-record.js';

/**
 * Takes positions (seq) and the database clock for `$1` rows. No lock is taken on the chain: the
 * sequence hands out positions to any number of transactions at once. The unused `held` query
 * makes the transaction hold a lock on audit_log from before its positions are taken until it
 * ends, which is how the sealer knows which positions may still be filled (audit-seal.ts).
 */
const POSITIONS_SQL = `WITH held AS (SELECT 1 FROM audit_log LIMIT 0)
  SELECT date_trunc('milliseconds', clock_timestamp()) AS now, nextval('audit_log_seq') AS seq
  FROM generate_series(1, $1::int) ORDER BY 2`;

// One statement for any number of rows (an AQL query records one per person it returned).
const INSERT_SQL = `INSERT INTO audit_log (seq, recorded_at, action, outcome, actor_id, actor_kind, actor_display_name,
  roles, ods_code, purpose_of_use, break_glass_reason, client_address, nhs_number, ehr_id, resource_type, resource_id,
  detail, prev_hash, hash)
  SELECT r.seq, r.recorded_at, r.action, r.outcome, r.actor_id, r.actor_kind, r.actor_display_name,
    ARRAY(SELECT jsonb_array_elements_text(r.roles)), r.ods_code, r.purpose_of_use, r.break_glass_reason, r.client_address,
    r.nhs_number, r.ehr_id, r.resource_type, r.resource_id, r.detail, NULL, r.hash
  FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, recorded_at timestamptz, action text, outcome text, actor_id text,
    actor_kind text, actor_display_name text, roles jsonb, ods_code text, purpose_of_use text, break_glass_reason text,
    client_address text, nhs_number text, ehr_id text, resource_type text, resource_id text, detail jsonb, hash text)`;

/**
 * Appends a record in the caller's transaction: it exists exactly when the write it records was
 * committed. No lock is held for other appenders: the row is sealed into the log's tree after
 * the transaction ends (audit-seal.ts). Any failure throws an `unavailable` AppError and leaves
 * the transaction unusable, so the write cannot commit without its record (fail closed).
 */
export async function appendAudit(tx: Queryable, record: AuditRecord): Promise<AuditEntry> {
  const [entry] = await appendAuditRecords(tx, [record]);
  if (!entry) throw auditUnavailable(new Error('no audit entry was appended'));
  return entry;
}

/**
 * Appends several records, in order, in the caller's transaction, in two statements whatever
 * their number (an AQL query records one row per person it returned).
 */
export async function appendAuditRecords(tx: Queryable, records: readonly AuditRecord[]): Promise<AuditEntry[]> {
  if (records.length === 0) return [];
  try {
    const storables = records.map(storableAuditRecord);
    const { rows } = await tx.query<{ now: Date | string; seq: number | string }>(POSITIONS_SQL, [storables.length]);
    const entries = storables.map((storable, index): AuditEntry => {
      const position = rows[index];
      if (!position) throw new Error('the audit log handed out fewer positions than asked for');
      const content = { ...storable, seq: Number(position.seq), recordedAt: new Date(position.now).toISOString(), prevHash: undefined };
      return { ...content, hash: auditHash(content) };
    });
    await tx.query(INSERT_SQL, [JSON.stringify(entries.map(rowJson))]);
    return entries;
  } catch (error) {
    throw auditUnavailable(error);
  }
}

/**
 * Appends a record and resolves once it is committed: for reads, whose record must be durable
 * before the response leaves. Records arriving together are committed together (one transaction
 * and one WAL flush for many reads, audit-group-commit.ts). Throws (fail closed) if it cannot.
 */
export async function appendAuditNow(db: Database, record: AuditRecord): Promise<AuditEntry> {
  try {
    return await groupCommitterFor(db, (batch) => db.transaction((tx) => appendAuditRecords(tx, batch))).append(record);
  } catch (error) {
    throw auditUnavailable(error);
  }
}

function rowJson(entry: AuditEntry): Record<string, unknown> {
  return {
    seq: entry.seq,
    recorded_at: entry.recordedAt,
    action: entry.action,
    outcome: entry.outcome,
    actor_id: entry.actorId,
    actor_kind: entry.actorKind,
    actor_display_name: entry.actorDisplayName ?? null,
    roles: entry.roles,
    ods_code: entry.odsCode ?? null,
    purpose_of_use: entry.purposeOfUse ?? null,
    break_glass_reason: entry.breakGlassReason ?? null,
    client_address: entry.clientAddress ?? null,
    nhs_number: entry.nhsNumber ?? null,
    ehr_id: entry.ehrId ?? null,
    resource_type: entry.resourceType ?? null,
    resource_id: entry.resourceId ?? null,
    detail: entry.detail,
    hash: entry.hash,
  };
}

function auditUnavailable(error: unknown): AppError {
  if (error instanceof AppError && error.code === 'unavailable') return error;
  return new AppError('unavailable', 'The audit log could not record this access, so it was refused.', { cause: error });
}
