import { AUDIT_CHAIN_LOCK_KEY } from '../audit/audit-log.js';
import type { Queryable } from '../db/database.js';

/** The NOTIFY channel that announces new outbox rows; its payload is the row's sequence number. */
export const EVENTS_CHANNEL = 'ucp_events';

export interface OutboxEvent<P = unknown> {
  seq: number;
  occurredAt: string;
  topic: string;
  payload: P;
}

/**
 * Records an event in the caller's transaction: it exists exactly when the change it announces
 * was committed. The payload carries ids only (EHR id, NHS number, versions), never clinical
 * content or names: it is streamed to every client entitled to know that something changed.
 * The notification is delivered by PostgreSQL at commit, never before.
 */
export async function appendEvent(tx: Queryable, topic: string, payload: unknown): Promise<number> {
  // Sequence numbers are handed out when rows are inserted, not when they commit: without this
  // lock a transaction holding seq 10 could commit after one holding seq 11, and a listener that
  // had read up to 11 would never see 10. Held to commit, it makes commit order seq order. It is
  // the audit chain's lock, so that a writer appending both, in either order, cannot deadlock
  // with another; writers append their events and audit records as their last steps.
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
  const { rows } = await tx.query<{ seq: number }>('INSERT INTO event_outbox (topic, payload) VALUES ($1, $2) RETURNING seq', [
    topic,
    JSON.stringify(payload),
  ]);
  const seq = Number(rows[0]?.seq);
  await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(seq)]);
  return seq;
}

/** Events after `afterSeq`, oldest first: how a listener catches up after a gap. */
export async function readEventsAfter(db: Queryable, afterSeq: number, limit = 500): Promise<OutboxEvent[]> {
  const { rows } = await db.query<{ seq: number; occurred_at: Date; topic: string; payload: unknown }>(
    'SELECT seq, occurred_at, topic, payload FROM event_outbox WHERE seq > $1 ORDER BY seq LIMIT $2',
    [afterSeq, limit],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    topic: row.topic,
    payload: row.payload,
  }));
}

/** The sequence number of the newest event written so far (0 when there is none). */
export async function newestEventSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ seq: string | number | null }>('SELECT max(seq) AS seq FROM event_outbox');
  return Number(rows[0]?.seq ?? 0);
}
