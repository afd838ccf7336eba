import type { Database } from '../db/database.js';
import { newestEventSeq } from '../events/outbox.js';
import type { CursorRow, CursorStore } from '../delivery/outbox-consumer.js';

/**
 * The cursor of one named consumer (outbox_consumer). A consumer seen for the first time starts
 * after the newest event: it handles what happens from then on.
 */
export function namedCursorStore(db: Database, name: string): CursorStore<string> {
  return {
    async leaseDue(owner, leaseMs, newestSeq) {
      await db.query('INSERT INTO outbox_consumer (name, cursor_seq) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        await newestEventSeq(db),
      ]);
      const { rows } = await db.query<{ cursor_seq: string; failed_attempts: number }>(
        `UPDATE outbox_consumer SET lease_owner = $2, lease_until = now() + make_interval(secs => $3::double precision / 1000)
         WHERE name = $1 AND cursor_seq < $4 AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $2)
           AND (next_attempt_at IS NULL OR next_attempt_at <= now())
         RETURNING cursor_seq, failed_attempts`,
        [name, owner, leaseMs, newestSeq],
      );
      return rows.map((row): CursorRow & { key: string } => ({
        key: name,
        cursorSeq: Number(row.cursor_seq),
        failedAttempts: row.failed_attempts,
      }));
    },
    async advance(key, owner, seq) {
      await db.query(
        `UPDATE outbox_consumer SET cursor_seq = $3, failed_attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = now()
         WHERE name = $1 AND lease_owner = $2 AND cursor_seq < $3`,
        [key, owner, seq],
      );
    },
    async fail(key, owner, error, delayMs) {
      await db.query(
        `UPDATE outbox_consumer SET failed_attempts = failed_attempts + 1, last_error = $3,
           next_attempt_at = now() + make_interval(secs => $4::double precision / 1000), lease_owner = NULL, lease_until = NULL, updated_at = now()
         WHERE name = $1 AND lease_owner = $2`,
        [key, owner, error.slice(0, 1000), delayMs],
      );
    },
    async release(key, owner) {
      await db.query('UPDATE outbox_consumer SET lease_owner = NULL, lease_until = NULL WHERE name = $1 AND lease_owner = $2', [
        key,
        owner,
      ]);
    },
  };
}
