import type { Queryable } from './database.js';

/**
 * Rows numbered by a sequence are numbered when they are inserted, not when they commit: a
 * reader that sees row 11 cannot tell whether row 10 is still to come or was rolled back. This
 * answers "up to which number is every row settled?" without serialising the writers:
 *
 * 1. read the last number the sequence handed out;
 * 2. list the transactions holding a lock on the table — every writer locks the table before it
 *    takes a number (an INSERT locks its table when it is parsed, before its defaults run; the
 *    audit log takes its lock in the same statement as its numbers) and keeps the lock to its end;
 * 3. wait until those transactions have ended.
 *
 * Then every number up to the one read is settled: its row is committed, or it never will be.
 * Returns undefined when the writers did not end within `maxWaitMs` (ask again later).
 */
export async function settledPosition(
  db: Queryable,
  target: { sequence: string; table: string },
  options: { maxWaitMs: number },
): Promise<number | undefined> {
  const { rows: positions } = await db.query<{ last_value: number | string; is_called: boolean }>(
    `SELECT last_value, is_called FROM ${target.sequence}`,
  );
  const position = positions[0];
  const lastTaken = position ? Number(position.last_value) - (position.is_called ? 0 : 1) : 0;
  if (lastTaken < 1) return 0;
  const { rows } = await db.query<{ holders: string[] }>(
    `SELECT coalesce(array_agg(DISTINCT virtualtransaction), '{}') AS holders FROM pg_locks
      WHERE locktype = 'relation' AND relation = $1::regclass AND granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND pid IS DISTINCT FROM pg_backend_pid()`,
    [target.table],
  );
  const holders = rows[0]?.holders ?? [];
  const deadline = Date.now() + options.maxWaitMs;
  while (holders.length > 0) {
    const { rows: running } = await db.query<{ running: number }>(
      `SELECT count(*)::int AS running FROM pg_locks WHERE locktype = 'virtualxid' AND virtualxid = ANY($1::text[])`,
      [holders],
    );
    if ((running[0]?.running ?? 0) === 0) break;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return lastTaken;
}

const POLL_MS = 2;
