import type { Queryable } from '../db/database.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import { AUDIT_COLUMNS, auditEntryFromRow, UnreadableAuditRowError, type AuditRow } from './audit-row.js';
import { sealFromRow, sealHash, SEAL_COLUMNS, type AuditSeal, type SealRow } from './audit-seal.js';
import { merkleTreeHead } from './merkle-tree.js';

export interface VerifyAuditChainOptions {
  /** Start at the seal that holds this row instead of at row 1; the seals before it are trusted as they stand. */
  fromSeq?: number;
  batchSize?: number;
  /**
   * A row recorded earlier (e.g. the head printed by a previous run and kept elsewhere). The log
   * alone cannot show that its newest rows were removed; a kept anchor can.
   */
  anchor?: { seq: number; hash: string };
}

export type AuditChainProblem =
  /** A row of the old linked format is missing before this one. */
  | 'sequence-gap'
  /** This row of the old linked format does not name the previous row's hash. */
  | 'link-broken'
  /** The row's content does not give its stored hash: the row was changed. */
  | 'content-altered'
  /** The row cannot be read as an audit entry at all. */
  | 'unreadable'
  /** A seal was changed, removed or inserted: the seals no longer form a chain. */
  | 'seal-broken'
  /** The rows in a seal's range are not the rows it sealed: one was removed, inserted, moved or re-hashed. */
  | 'seal-mismatch'
  /** The anchor row is gone or differs: rows at the end of the log were removed or rewritten. */
  | 'anchor-mismatch';

export type AuditChainVerification =
  | {
      ok: true;
      /** Rows checked. */
      checked: number;
      /** The newest row checked, to keep as the next run's anchor. */
      head: { seq: number; hash: string } | undefined;
      /** Seals checked, and the newest one. */
      seals: number;
      sealHead: { sealNo: number; toSeq: number; hash: string } | undefined;
      /** Rows after the newest seal: their content was checked, but their place is not yet sealed. */
      unsealed: number;
    }
  | {
      ok: false;
      checked: number;
      /** The seq of the first row found wrong (for a seal problem, the first row of its range). */
      seq: number;
      problem: AuditChainProblem;
      message: string;
    };

const DEFAULT_BATCH_SIZE = 1000;

type Broken = Extract<AuditChainVerification, { ok: false }>;

/**
 * Checks the whole log: each seal extends the chain of seals and its Merkle tree head is that of
 * the rows in its range as they are now; each row's content gives its own hash; rows of the old
 * linked format name their predecessor. Rows after the newest seal are checked for content only
 * (the sealing window, src/audit/README.md). Stops at the first problem.
 */
export async function verifyAuditChain(db: Queryable, options: VerifyAuditChainOptions = {}): Promise<AuditChainVerification> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const fromSeq = options.fromSeq ?? 1;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive whole number');
  if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw new RangeError('fromSeq must be a positive whole number');

  const { rows: heads } = await db.query<{ seq: number | string | null }>('SELECT max(seq) AS seq FROM audit_log');
  const lastSeq = Number(heads[0]?.seq ?? 0);
  const rows = new RowChecker(options.anchor);

  let previousSeal = await sealBefore(db, fromSeq);
  let seals = 0;
  for (;;) {
    const { rows: batch } = await db.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM audit_seal WHERE seal_no > $1 ORDER BY seal_no LIMIT $2`, [
      previousSeal?.sealNo ?? 0,
      batchSize,
    ]);
    if (batch.length === 0) break;
    for (const row of batch) {
      const seal = sealFromRow(row);
      const broken = checkSealLink(seal, previousSeal, rows.checked);
      if (broken) return broken;
      const leaves: string[] = [];
      const problem = await rows.checkRange(db, seal.fromSeq, seal.toSeq, batchSize, (hash) => leaves.push(hash));
      if (problem) return problem;
      if (leaves.length !== seal.rowCount || merkleTreeHead(leaves) !== seal.treeHead) {
        return {
          ok: false,
          checked: rows.checked,
          seq: seal.fromSeq,
          problem: 'seal-mismatch',
          message:
            `the rows ${seal.fromSeq}–${seal.toSeq} are not those seal ${seal.sealNo} sealed ` +
            `(${leaves.length} rows now, ${seal.rowCount} sealed): a row was removed, inserted or moved`,
        };
      }
      previousSeal = seal;
      seals += 1;
    }
  }

  const sealedTo = previousSeal?.toSeq ?? 0;
  const beforeUnsealed = rows.checked;
  if (lastSeq > sealedTo) {
    const problem = await rows.checkRange(db, Math.max(sealedTo + 1, fromSeq), lastSeq, batchSize, () => undefined);
    if (problem) return problem;
  }
  const anchorProblem = rows.anchorProblem(fromSeq);
  if (anchorProblem) return anchorProblem;
  return {
    ok: true,
    checked: rows.checked,
    head: rows.head,
    seals,
    sealHead: previousSeal ? { sealNo: previousSeal.sealNo, toSeq: previousSeal.toSeq, hash: previousSeal.hash } : undefined,
    unsealed: rows.checked - beforeUnsealed,
  };
}

/** The seal before the one that holds `fromSeq`: trusted as it stands when verification starts later. */
async function sealBefore(db: Queryable, fromSeq: number): Promise<AuditSeal | undefined> {
  if (fromSeq <= 1) return undefined;
  const { rows } = await db.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM audit_seal WHERE to_seq < $1 ORDER BY seal_no DESC LIMIT 1`, [
    fromSeq,
  ]);
  return rows[0] ? sealFromRow(rows[0]) : undefined;
}

function checkSealLink(seal: AuditSeal, previous: AuditSeal | undefined, checked: number): Broken | undefined {
  const expected = { sealNo: (previous?.sealNo ?? 0) + 1, fromSeq: (previous?.toSeq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  const broken = (message: string): Broken => ({ ok: false, checked, seq: seal.fromSeq, problem: 'seal-broken', message });
  if (seal.sealNo !== expected.sealNo) return broken(`seal ${expected.sealNo} is missing before seal ${seal.sealNo}`);
  if (seal.fromSeq !== expected.fromSeq || seal.prevHash !== expected.prevHash) {
    return broken(`seal ${seal.sealNo} does not follow seal ${previous?.sealNo ?? 0}: its range or previous hash differs`);
  }
  const { hash, ...content } = seal;
  if (sealHash(content) !== hash) return broken(`seal ${seal.sealNo} was changed: its content hashes to ${sealHash(content)}, not ${hash}`);
  return undefined;
}

/** Reads rows in seq order and checks each one's content, links of the old format, and the anchor. */
class RowChecker {
  checked = 0;
  head: { seq: number; hash: string } | undefined;
  #previous: { seq: number; hash: string } | undefined;
  #anchorSeen = false;

  constructor(private readonly anchor: { seq: number; hash: string } | undefined) {}

  async checkRange(
    db: Queryable,
    from: number,
    to: number,
    batchSize: number,
    onLeaf: (hash: string) => void,
  ): Promise<Broken | undefined> {
    let after = from - 1;
    while (after < to) {
      const { rows } = await db.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
        [after, to, batchSize],
      );
      if (rows.length === 0) return undefined;
      for (const row of rows) {
        const problem = this.#check(row);
        if (problem) return problem;
        onLeaf(row.hash);
        after = Number(row.seq);
      }
    }
    return undefined;
  }

  anchorProblem(fromSeq: number): Broken | undefined {
    const anchor = this.anchor;
    if (!anchor || this.#anchorSeen || anchor.seq < fromSeq) return undefined;
    const end = this.head ? `the log now ends at row ${this.head.seq}` : 'the log is empty';
    return {
      ok: false,
      checked: this.checked,
      seq: anchor.seq,
      problem: 'anchor-mismatch',
      message: `anchored row ${anchor.seq} is gone: ${end}`,
    };
  }

  #check(row: AuditRow): Broken | undefined {
    const seq = Number(row.seq);
    const broken = (problem: AuditChainProblem, message: string): Broken => ({ ok: false, checked: this.checked, seq, problem, message });
    if (row.prev_hash !== null) {
      // The old linked format: each row names its predecessor, with no gap.
      const previous = this.#previous ?? (seq === 1 ? { seq: 0, hash: GENESIS_HASH } : undefined);
      if (previous && seq !== previous.seq + 1) {
        const missing = seq - previous.seq - 1 === 1 ? `row ${previous.seq + 1} is` : `rows ${previous.seq + 1}–${seq - 1} are`;
        return broken('sequence-gap', `${missing} missing before row ${seq}`);
      }
      if (previous && row.prev_hash !== previous.hash) {
        return broken(
          'link-broken',
          `row ${seq} names ${row.prev_hash} as the previous hash, but row ${previous.seq} has ${previous.hash}`,
        );
      }
    }
    let computed: string;
    try {
      computed = auditHash(auditEntryFromRow(row));
    } catch (error) {
      if (!(error instanceof UnreadableAuditRowError)) throw error;
      return broken('unreadable', `row ${seq} cannot be read: ${error.message}`);
    }
    if (computed !== row.hash)
      return broken('content-altered', `row ${seq} was changed: its content hashes to ${computed}, but it stores ${row.hash}`);
    if (this.anchor?.seq === seq) {
      if (this.anchor.hash !== row.hash)
        return broken('anchor-mismatch', `row ${seq} has hash ${row.hash}, not the anchored ${this.anchor.hash}`);
      this.#anchorSeen = true;
    }
    this.checked += 1;
    this.#previous = { seq, hash: row.hash };
    this.head = this.#previous;
    return undefined;
  }
}
