import { PreparedStatement, type Database, type Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { auditHashAtPosition, auditTextAroundPosition } from './audit-hash.js';
import type { AuditEntry, AuditRecord } from './audit-record.js';
import { groupCommitterFor } from './audit-group-commit.js';
import { storableAuditRecord, type StorableAuditRecord } from './storable-audit-record.js';

/**
 * The INSERT that appends one audit row per record of `records`: a FROM item with the columns
 * `r` (a record as `AuditAppend.rows` writes it) and `n` (its order). Each row takes its position
 * from the sequence and its time from the database clock, and its hash is computed in the same
 * statement from the canonical text the server sent with holes for those two
 * (`auditTextAroundPosition`). The INSERT locks audit_log from before its positions are taken
 * until its transaction ends, which is how the sealer knows which positions may still be filled
 * (settled-position.ts); no lock is taken that another appender waits for. Positions follow the
 * records' order. It returns `seq, recorded_at, hash` for `AuditAppend.entries`. A statement that
 * reads what it records (the emergency summary) puts it in a WITH clause of its own.
 */
export function appendAuditSql(records: string): string {
  return `INSERT INTO audit_log (seq, recorded_at, action, outcome, actor_id, actor_kind, actor_display_name,
    roles, ods_code, purpose_of_use, break_glass_reason, client_address, nhs_number, ehr_id, resource_type, resource_id,
    detail, prev_hash, hash)
  SELECT p.seq, p.recorded_at, p.r->>'action', p.r->>'outcome', p.r->>'actor_id', p.r->>'actor_kind', p.r->>'actor_display_name',
    ARRAY(SELECT jsonb_array_elements_text(p.r->'roles')), p.r->>'ods_code', p.r->>'purpose_of_use', p.r->>'break_glass_reason',
    p.r->>'client_address', p.r->>'nhs_number', p.r->>'ehr_id', p.r->>'resource_type', p.r->>'resource_id', p.r->'detail', NULL,
    encode(sha256(convert_to(p.r->>'before_recorded_at' || '"' || to_char(p.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      || '"' || (p.r->>'before_seq') || p.seq::text || (p.r->>'after'), 'UTF8')), 'hex')
  FROM (SELECT e.r, nextval('audit_log_seq') AS seq, date_trunc('milliseconds', clock_timestamp()) AS recorded_at
        FROM (SELECT r, n FROM ${records} ORDER BY n) e) p
  RETURNING seq, recorded_at, hash`;
}

/** Prepared once per connection: every read's record goes through it. */
const APPEND_SQL = new PreparedStatement('ucp_append_audit', appendAuditSql('jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(r, n)'));

/** What an appending statement returns for each row. */
export interface AppendedRow {
  [column: string]: unknown;
  seq: number | string;
  recorded_at: Date | string;
  hash: string;
}

/**
 * Records made ready for an appending statement: `rows`, the JSON its records are read from, and
 * `entries`, which checks what it appended and gives each record its entry.
 */
export class AuditAppend {
  readonly #storables: StorableAuditRecord[];
  readonly #texts: ReturnType<typeof auditTextAroundPosition>[];
  readonly rows: Record<string, unknown>[];

  constructor(records: readonly AuditRecord[]) {
    this.#storables = records.map(storableAuditRecord);
    this.#texts = this.#storables.map((storable) => auditTextAroundPosition(storable));
    this.rows = this.#storables.map((storable, index) => rowJson(storable, this.#texts[index]));
  }

  /**
   * The entries of the records at `indexes` (all of them by default; in order), from the rows the
   * statement appended for exactly those records: positions follow the records' order.
   */
  entries(appended: readonly AppendedRow[], indexes: readonly number[] = this.rows.map((_row, index) => index)): AuditEntry[] {
    if (appended.length !== indexes.length) throw new Error('the audit log appended fewer rows than asked for');
    const positions = appended
      .map((row) => ({ seq: Number(row.seq), recordedAt: new Date(row.recorded_at).toISOString(), hash: row.hash }))
      .sort((a, b) => a.seq - b.seq);
    return indexes.map((recordIndex, index) => {
      const position = positions[index];
      const storable = this.#storables[recordIndex];
      const text = this.#texts[recordIndex];
      if (!position || !storable || !text) throw new Error('the audit log appended fewer rows than asked for');
      // The database computed the hash; a difference from ours would be a row that fails verification.
      // Ours is computed from the same text the INSERT was sent, not from a second serialisation.
      if (auditHashAtPosition(text, position.seq, position.recordedAt) !== position.hash) {
        throw new Error(`the audit row ${position.seq} was hashed differently by the database`);
      }
      return { ...storable, ...position, prevHash: undefined };
    });
  }
}

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
 * Appends several records, in order, in the caller's transaction, in one statement whatever
 * their number (an AQL query records one row per person it returned).
 */
export async function appendAuditRecords(tx: Queryable, records: readonly AuditRecord[]): Promise<AuditEntry[]> {
  if (records.length === 0) return [];
  try {
    const append = new AuditAppend(records);
    const { rows } = await tx.query<AppendedRow>(APPEND_SQL, [JSON.stringify(append.rows)]);
    return append.entries(rows);
  } catch (error) {
    throw auditUnavailable(error);
  }
}

/**
 * Appends a record and resolves once it is committed: for reads, whose record must be durable
 * before the response leaves. Records arriving together are committed together (one statement,
 * committed on its own, and one WAL flush for many reads, audit-group-commit.ts). Throws (fail
 * closed) if it cannot.
 */
export async function appendAuditNow(db: Database, record: AuditRecord): Promise<AuditEntry> {
  try {
    return await groupCommitterFor(db, 'audit-records', (batch: readonly AuditRecord[]) => appendAuditRecords(db, batch)).append(record);
  } catch (error) {
    throw auditUnavailable(error);
  }
}

function rowJson(record: StorableAuditRecord, text = auditTextAroundPosition(record)): Record<string, unknown> {
  return {
    action: record.action,
    outcome: record.outcome,
    actor_id: record.actorId,
    actor_kind: record.actorKind,
    actor_display_name: record.actorDisplayName ?? null,
    roles: record.roles,
    ods_code: record.odsCode ?? null,
    purpose_of_use: record.purposeOfUse ?? null,
    break_glass_reason: record.breakGlassReason ?? null,
    client_address: record.clientAddress ?? null,
    nhs_number: record.nhsNumber ?? null,
    ehr_id: record.ehrId ?? null,
    resource_type: record.resourceType ?? null,
    resource_id: record.resourceId ?? null,
    detail: record.detail,
    before_recorded_at: text.beforeRecordedAt,
    before_seq: text.beforeSeq,
    after: text.after,
  };
}

/** The error every failure to record turns into: the access it was for is refused (fail closed). */
export function auditUnavailable(error: unknown): AppError {
  if (error instanceof AppError && error.code === 'unavailable') return error;
  return new AppError('unavailable', 'The audit log could not record this access, so it was refused.', { cause: error });
}
