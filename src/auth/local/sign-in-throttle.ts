import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { lockoutDurationMs } from '../../users/lockout-policy.js';

/**
 * Sign-in throttling across every server of an installation (state in the shared database:
 * table sign_in_throttle), in two dimensions:
 *
 * - **Per username**, whether an account of that name exists or not, with the same back-off as
 *   an account's own lock-out (five failures, then 1, 2, 4 … 60 minutes). An unknown name is
 *   throttled exactly when a known one would be, with the same answer, so the answers cannot be
 *   used to find out which names exist. A success clears it.
 * - **Per client address**: more than ADDRESS_LIMIT failures within ADDRESS_WINDOW_MS blocks the
 *   address until the window ends, so one address cannot spray passwords across many names.
 *
 * A blocked attempt is refused before any password is checked, and costs the same for every name.
 */
export const ADDRESS_LIMIT = 30;
export const ADDRESS_WINDOW_MS = 15 * 60_000;
/** Failures of a username are forgotten a day after the first of them, as a success forgets them at once. */
const USERNAME_WINDOW_MS = 24 * 60 * 60_000;

type Kind = 'username' | 'address';

export interface SignInAttempt {
  username: string;
  clientAddress: string;
}

function keysOf(attempt: SignInAttempt): { kind: Kind; hash: string }[] {
  return [
    { kind: 'username', hash: hash(`username:${attempt.username.trim().toLowerCase()}`) },
    { kind: 'address', hash: hash(`address:${attempt.clientAddress}`) },
  ];
}

/** Refuses (429 with Retry-After) when the username or the address is blocked now. */
export async function checkSignInThrottle(db: Queryable, attempt: SignInAttempt, now: Date = new Date()): Promise<void> {
  const keys = keysOf(attempt);
  const { rows } = await db.query<{ blocked_until: Date | string }>(
    'SELECT blocked_until FROM sign_in_throttle WHERE key_hash = ANY($1) AND blocked_until > $2::timestamptz',
    [keys.map((key) => key.hash), now],
  );
  const until = rows.map((row) => new Date(row.blocked_until).getTime()).sort((a, b) => b - a)[0];
  if (until !== undefined) throw tooManyAttempts(new Date(until), now);
}

/** Counts a failed attempt against the username and the address; one statement each, so concurrent failures all count. */
export async function recordSignInFailure(db: Queryable, attempt: SignInAttempt, now: Date = new Date()): Promise<void> {
  for (const key of keysOf(attempt)) {
    const window = key.kind === 'username' ? USERNAME_WINDOW_MS : ADDRESS_WINDOW_MS;
    const { rows } = await db.query<{ failures: number; window_started_at: Date | string }>(
      `INSERT INTO sign_in_throttle (key_hash, kind, failures, window_started_at) VALUES ($1, $2, 1, $3::timestamptz)
       ON CONFLICT (key_hash) DO UPDATE SET
         failures = CASE WHEN sign_in_throttle.window_started_at <= $3::timestamptz - make_interval(secs => $4) THEN 1
                         ELSE sign_in_throttle.failures + 1 END,
         window_started_at = CASE WHEN sign_in_throttle.window_started_at <= $3::timestamptz - make_interval(secs => $4) THEN $3::timestamptz
                                  ELSE sign_in_throttle.window_started_at END
       RETURNING failures, window_started_at`,
      [key.hash, key.kind, now, window / 1000],
    );
    const row = rows[0];
    if (!row) continue;
    const blockedUntil =
      key.kind === 'username'
        ? lockoutDurationMs(row.failures) > 0
          ? new Date(now.getTime() + lockoutDurationMs(row.failures))
          : undefined
        : row.failures > ADDRESS_LIMIT
          ? new Date(new Date(row.window_started_at).getTime() + ADDRESS_WINDOW_MS)
          : undefined;
    if (blockedUntil) {
      await db.query('UPDATE sign_in_throttle SET blocked_until = greatest(blocked_until, $2::timestamptz) WHERE key_hash = $1', [
        key.hash,
        blockedUntil,
      ]);
    }
  }
}

/** A success forgets the username's failures (not the address's: one success does not excuse a spray). */
export async function clearUsernameThrottle(db: Queryable, username: string): Promise<void> {
  await db.query('DELETE FROM sign_in_throttle WHERE key_hash = $1', [hash(`username:${username.trim().toLowerCase()}`)]);
}

/** Forgets windows long over, so the table holds only what can still matter (run hourly by `SessionPurgeJob`). */
export async function purgeSignInThrottle(db: Queryable, now: Date = new Date()): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sign_in_throttle WHERE window_started_at < $1::timestamptz AND (blocked_until IS NULL OR blocked_until < $2::timestamptz)`,
    [new Date(now.getTime() - USERNAME_WINDOW_MS), now],
  );
  return rowCount;
}

/** The one answer to a throttled or locked sign-in, whatever the reason: it must not tell whether the name exists. */
export function tooManyAttempts(until: Date, now: Date = new Date()): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError('too-many-requests', `Too many failed attempts: try again in ${Math.ceil(seconds / 60)} minute(s).`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
