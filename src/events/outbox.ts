import type { Queryable } from '../db/database.js';
import { settledPosition } from '../db/settled-position.js';

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
  // No lock: sequence numbers are handed out at insert, not at commit, so a listener reads only
  // up to the settled number (settledEventSeq), and no writer waits for another here.
  const { rows } = await tx.query<{ seq: number }>('INSERT INTO event_outbox (topic, payload) VALUES ($1, $2) RETURNING seq', [
    topic,
    JSON.stringify(payload),
  ]);
  const seq = Number(rows[0]?.seq);
  await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(seq)]);
  return seq;
}

/**
 * The number up to which every event is settled: committed, or rolled back for good (see
 * src/db/settled-position.ts). A listener reads no further, so it never skips an event that was
 * numbered before another but committed after it. Undefined when writers in flight did not end in time.
 */
export function settledEventSeq(db: Queryable, maxWaitMs = 1_000): Promise<number | undefined> {
  return settledPosition(db, { sequence: 'event_outbox_seq_seq', table: 'event_outbox' }, { maxWaitMs });
}

/** Events after `afterSeq` (up to `upTo`, when given), oldest first: how a listener catches up after a gap. */
export async function readEventsAfter(
  db: Queryable,
  afterSeq: number,
  limit = 500,
  upTo = Number.MAX_SAFE_INTEGER,
): Promise<OutboxEvent[]> {
  const { rows } = await db.query<{ seq: number; occurred_at: Date; topic: string; payload: unknown }>(
    'SELECT seq, occurred_at, topic, payload FROM event_outbox WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2',
    [afterSeq, limit, upTo],
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
