import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';
import { GENESIS_HASH } from './audit-hash.js';
import { canonicalJson } from './canonical-json.js';
import { merkleTreeHead } from './merkle-tree.js';

/**
 * A seal closes a range of the audit log: it holds the Merkle tree head of the rows in the
 * range (in seq order) and the previous seal's hash, so the seals form a chain and each row is
 * bound, in its place, under one of them. Rows are appended without any lock (audit-log.ts);
 * sealing happens off the request path, one sealer at a time across every server.
 */
export interface AuditSeal {
  sealNo: number;
  fromSeq: number;
  toSeq: number;
  rowCount: number;
  treeHead: string;
  /** ISO 8601 UTC with milliseconds. */
  sealedAt: string;
  prevHash: string;
  hash: string;
}

/** Only sealers take it, never the request path: it keeps two sealers from racing for the next seal. */
export const AUDIT_SEAL_LOCK_KEY = 7_340_112_632;

/** The most rows one seal covers, so that a seal's transaction stays short. */
export const MAX_ROWS_PER_SEAL = 5_000;

const SEAL_FORMAT = 'ucp-audit-seal/1';

export const SEAL_COLUMNS = 'seal_no, from_seq, to_seq, row_count, tree_head, sealed_at, prev_hash, hash';

export interface SealRow {
  [column: string]: unknown;
  seal_no: number | string;
  from_seq: number | string;
  to_seq: number | string;
  row_count: number | string;
  tree_head: string;
  sealed_at: Date | string;
  prev_hash: string;
  hash: string;
}

export function sealFromRow(row: SealRow): AuditSeal {
  return {
    sealNo: Number(row.seal_no),
    fromSeq: Number(row.from_seq),
    toSeq: Number(row.to_seq),
    rowCount: Number(row.row_count),
    treeHead: row.tree_head,
    sealedAt: (row.sealed_at instanceof Date ? row.sealed_at : new Date(row.sealed_at)).toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** SHA-256 (hex) of a seal's canonical text: every field but the hash itself. */
export function sealHash(seal: Omit<AuditSeal, 'hash'>): string {
  const text = canonicalJson({
    format: SEAL_FORMAT,
    sealNo: seal.sealNo,
    fromSeq: seal.fromSeq,
    toSeq: seal.toSeq,
    rowCount: seal.rowCount,
    treeHead: seal.treeHead,
    sealedAt: seal.sealedAt,
    prevHash: seal.prevHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function latestSeal(db: Queryable): Promise<AuditSeal | undefined> {
  const { rows } = await db.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM audit_seal ORDER BY seal_no DESC LIMIT 1`);
  return rows[0] ? sealFromRow(rows[0]) : undefined;
}

/**
 * Seals the rows from the last seal up to `settledTo`, where every position up to `settledTo`
 * must be settled (committed, or never to be: see audit-sealer.ts), in seals of at most
 * MAX_ROWS_PER_SEAL rows. Returns the seals made; none when another sealer holds the lock.
 *
 * A seal binds the hashes the rows were appended with, which the database computed from their
 * content in the appending statement; it reads only positions and hashes. Recomputing each hash
 * here (as this once did) would detect nothing that `npm run audit:verify` does not: a row whose
 * content was changed after it was appended no longer gives its sealed hash, and a row changed
 * together with its hash before it was sealed would have matched the recomputation too. It cost
 * reading back, parsing and hashing every record the platform writes, on the database and here.
 */
export async function sealAuditRows(db: Database, settledTo: number): Promise<AuditSeal[]> {
  const made: AuditSeal[] = [];
  for (;;) {
    const seal = await db.transaction(async (tx) => {
      const { rows: locked } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_SEAL_LOCK_KEY]);
      if (!locked[0]?.locked) return undefined;
      const head = await latestSeal(tx);
      const fromSeq = (head?.toSeq ?? 0) + 1;
      if (settledTo < fromSeq) return undefined;
      const { rows } = await tx.query<{ seq: number | string; hash: string }>(
        'SELECT seq, hash FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3',
        [fromSeq, settledTo, MAX_ROWS_PER_SEAL],
      );
      const toSeq = rows.length === MAX_ROWS_PER_SEAL ? Number(rows.at(-1)?.seq) : settledTo;
      const leaves = rows.map((row) => row.hash);
      const { rows: clock } = await tx.query<{ now: Date | string }>("SELECT date_trunc('milliseconds', clock_timestamp()) AS now");
      const content = {
        sealNo: (head?.sealNo ?? 0) + 1,
        fromSeq,
        toSeq,
        rowCount: rows.length,
        treeHead: merkleTreeHead(leaves),
        sealedAt: new Date(clock[0]?.now ?? Date.now()).toISOString(),
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const sealed: AuditSeal = { ...content, hash: sealHash(content) };
      await tx.query(`INSERT INTO audit_seal (${SEAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7, $8)`, [
        sealed.sealNo,
        sealed.fromSeq,
        sealed.toSeq,
        sealed.rowCount,
        sealed.treeHead,
        sealed.sealedAt,
        sealed.prevHash,
        sealed.hash,
      ]);
      return sealed;
    });
    if (!seal) return made;
    made.push(seal);
    if (seal.toSeq >= settledTo) return made;
  }
}
