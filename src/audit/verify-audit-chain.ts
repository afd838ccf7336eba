import type { Queryable } from '../db/database.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import { AUDIT_COLUMNS, auditEntryFromRow, UnreadableAuditRowError, type AuditRow } from './audit-row.js';

export interface VerifyAuditChainOptions {
  /** Start here instead of at row 1; the row before it is trusted as it stands. */
  fromSeq?: number;
  batchSize?: number;
  /**
   * A head recorded earlier (e.g. printed by a previous run and kept elsewhere). The chain alone
   * cannot show that its newest rows were removed; a kept anchor can.
   */
  anchor?: { seq: number; hash: string };
}

export type AuditChainProblem =
  /** A row is missing before this one (rows were deleted, or the numbering was changed). */
  | 'sequence-gap'
  /** This row's prev_hash is not the previous row's hash: the previous row was changed and re-hashed, or this one was. */
  | 'link-broken'
  /** The row's content does not give its stored hash: the row was changed. */
  | 'content-altered'
  /** The row cannot be read as an audit entry at all. */
  | 'unreadable'
  /** The anchor row is gone or differs: rows at the end of the chain were removed or rewritten. */
  | 'anchor-mismatch';

export type AuditChainVerification =
  | {
      ok: true;
      /** Rows checked. */
      checked: number;
      /** The newest row checked, to keep as the next run's anchor. */
      head: { seq: number; hash: string } | undefined;
    }
  | {
      ok: false;
      checked: number;
      /** The seq of the first row found wrong. */
      seq: number;
      problem: AuditChainProblem;
      message: string;
    };

const DEFAULT_BATCH_SIZE = 1000;

/**
 * Reads the log in seq order, a batch at a time, and recomputes every link: the numbering has
 * no gap, each row names its predecessor's hash, and each row's content gives its own hash.
 * Stops at the first broken link. Rows appended after the run starts are left for the next run.
 */
export async function verifyAuditChain(db: Queryable, options: VerifyAuditChainOptions = {}): Promise<AuditChainVerification> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const fromSeq = options.fromSeq ?? 1;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive whole number');
  if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw new RangeError('fromSeq must be a positive whole number');

  const { rows: heads } = await db.query<{ seq: number | string | null }>('SELECT max(seq) AS seq FROM audit_log');
  const lastSeq = Number(heads[0]?.seq ?? 0);

  let previous = { seq: 0, hash: GENESIS_HASH };
  if (fromSeq > 1) {
    const { rows } = await db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [fromSeq - 1]);
    const start = rows[0];
    if (!start) {
      return { ok: false, checked: 0, seq: fromSeq - 1, problem: 'sequence-gap', message: `row ${fromSeq - 1} is missing` };
    }
    previous = { seq: fromSeq - 1, hash: start.hash };
  }

  let checked = 0;
  let anchorSeen = false;
  while (previous.seq < lastSeq) {
    const { rows } = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, [
      previous.seq,
      lastSeq,
      batchSize,
    ]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (problem: AuditChainProblem, message: string): AuditChainVerification => ({
        ok: false,
        checked,
        seq,
        problem,
        message,
      });
      if (seq !== previous.seq + 1) {
        const missing = seq - previous.seq - 1 === 1 ? `row ${previous.seq + 1} is` : `rows ${previous.seq + 1}–${seq - 1} are`;
        return broken('sequence-gap', `${missing} missing before row ${seq}`);
      }
      if (row.prev_hash !== previous.hash) {
        return broken(
          'link-broken',
          `row ${seq} names ${row.prev_hash} as the previous hash, but row ${previous.seq} has ${previous.hash}`,
        );
      }
      let computed: string;
      try {
        computed = auditHash(auditEntryFromRow(row));
      } catch (error) {
        if (!(error instanceof UnreadableAuditRowError)) throw error;
        return broken('unreadable', `row ${seq} cannot be read: ${error.message}`);
      }
      if (computed !== row.hash) {
        return broken('content-altered', `row ${seq} was changed: its content hashes to ${computed}, but it stores ${row.hash}`);
      }
      if (options.anchor?.seq === seq) {
        if (options.anchor.hash !== row.hash) {
          return broken('anchor-mismatch', `row ${seq} has hash ${row.hash}, not the anchored ${options.anchor.hash}`);
        }
        anchorSeen = true;
      }
      checked += 1;
      previous = { seq, hash: row.hash };
    }
  }

  const anchor = options.anchor;
  if (anchor && !anchorSeen && anchor.seq >= fromSeq) {
    return {
      ok: false,
      checked,
      seq: anchor.seq,
      problem: 'anchor-mismatch',
      message: `anchored row ${anchor.seq} is gone: the log now ends at row ${previous.seq}`,
    };
  }
  return { ok: true, checked, head: previous.seq === 0 ? undefined : previous };
}
