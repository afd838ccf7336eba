import type { PurposeOfUse } from '../../access/caller.js';
import { databaseErrorCode } from '../../db/database-error-code.js';
import { accessCacheOf, accessChanged, type AccessCache } from '../../access/access-generation.js';
import { PreparedStatement, type Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import { isUuid } from '../../shared/uuid.js';
import { MEMBER_COLUMNS, type MemberRow } from '../../users/user-store.js';
import type { SessionSettings } from './session-settings.js';
import { isWellFormedSessionToken, newSessionToken, sessionIdOf } from './session-token.js';

/** A session as the server and its user may see it; the token is not part of it. */
export interface Session {
  /** SHA-256 of the token (hex); safe to show, log and audit. */
  id: string;
  userId: string;
  /** The organisation the user acts for. */
  odsCode: string;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  clientAddress: string | undefined;
  userAgent: string | undefined;
  launchContextNhsNumber: string | undefined;
  purposeOfUse: PurposeOfUse | undefined;
}

export interface NewSession {
  userId: string;
  odsCode: string;
  clientAddress?: string | undefined;
  userAgent?: string | undefined;
  /** The person in context when launched from a trusted record system. */
  launchContextNhsNumber?: string | undefined;
  /** Declared at sign-in; without it the caller's roles decide. */
  purposeOfUse?: PurposeOfUse | undefined;
}

export type SessionTimeouts = Pick<SessionSettings, 'idleTimeoutMs' | 'absoluteTimeoutMs'>;

/** Why a session no longer authenticates anyone. */
export type SessionEndReason = 'unknown' | 'revoked' | 'idle-timeout' | 'absolute-timeout' | 'user-disabled' | 'password-changed';

export type SessionResolution =
  | {
      status: 'active';
      session: Session;
      /** The user's membership of the session's organisation, read in the same statement (`callerForMember`). */
      member: MemberRow;
    }
  | { status: 'ended'; reason: SessionEndReason; session: Session | undefined };

/** Recorded with a revocation, for the user's list and for support. */
export type RevocationReason = 'signed-out' | 'signed-out-everywhere' | 'signed-in-again' | 'ended-by-user' | 'ended-by-administrator';

/**
 * A session's last activity is written at most this often: one write per request would load the
 * database for nothing. The idle timeout is thereby counted from a moment up to this much before
 * the last request, so it can end a session up to a minute early, never late.
 */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

const PURPOSES: readonly PurposeOfUse[] = ['direct-care', 'emergency-care', 'audit', 'administration', 'self'];
const MAX_CLIENT_ADDRESS_LENGTH = 100;
const MAX_USER_AGENT_LENGTH = 512;

type SessionRow = {
  id: string;
  user_id: string;
  ods_code: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  idle_expires_at: Date | string;
  absolute_expires_at: Date | string;
  client_address: string | null;
  user_agent: string | null;
  launch_context_nhs_number: string | null;
  purpose_of_use: string | null;
};

const SESSION_COLUMNS = `s.id, s.user_id, s.ods_code, s.created_at, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at,
  s.client_address, s.user_agent, s.launch_context_nhs_number, s.purpose_of_use`;

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Starts a session and returns its token, the only time the token exists outside the cookie.
 * The user's current password date is recorded with it, so that a later change ends it. Whether
 * the user may act for the organisation is the caller's to check (see `startSession`).
 */
export async function createSession(
  db: Queryable,
  input: NewSession,
  timeouts: SessionTimeouts,
  now: Date = new Date(),
): Promise<{ token: string; session: Session }> {
  if (input.launchContextNhsNumber !== undefined && !isValidNhsNumber(input.launchContextNhsNumber)) {
    throw new AppError('bad-request', `The launch context '${input.launchContextNhsNumber}' is not a valid NHS number.`);
  }
  if (!isUuid(input.userId)) throw new AppError('not-found', `There is no user ${input.userId}.`);
  const token = newSessionToken();
  const absoluteExpiresAt = new Date(now.getTime() + timeouts.absoluteTimeoutMs);
  const idleExpiresAt = new Date(Math.min(now.getTime() + timeouts.idleTimeoutMs, absoluteExpiresAt.getTime()));
  let rows: SessionRow[];
  try {
    ({ rows } = await db.query<SessionRow>(
      `INSERT INTO user_session AS s (id, user_id, ods_code, created_at, last_seen_at, idle_expires_at, absolute_expires_at,
         password_changed_at, client_address, user_agent, launch_context_nhs_number, purpose_of_use)
       SELECT $1::text, u.id, $3::text, $4::timestamptz, $4::timestamptz, $5::timestamptz, $6::timestamptz,
         c.password_changed_at, $7::text, $8::text, $9::text, $10::text
       FROM app_user u LEFT JOIN local_credential c ON c.user_id = u.id
       WHERE u.id = $2::uuid
       RETURNING ${SESSION_COLUMNS}`,
      [
        sessionIdOf(token),
        input.userId,
        input.odsCode,
        now,
        idleExpiresAt,
        absoluteExpiresAt,
        input.clientAddress?.slice(0, MAX_CLIENT_ADDRESS_LENGTH) ?? null,
        input.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
        input.launchContextNhsNumber ?? null,
        input.purposeOfUse ?? null,
      ],
    ));
  } catch (error) {
    if (databaseErrorCode(error) === FOREIGN_KEY_VIOLATION) {
      throw new AppError('not-found', `There is no organisation with ODS code ${input.odsCode}.`, { cause: error });
    }
    throw error;
  }
  const row = rows[0];
  if (!row) throw new AppError('not-found', `There is no user ${input.userId}.`);
  return { token, session: toSession(row) };
}

/**
 * The session a cookie's token stands for, if it still authenticates: not revoked, within its
 * absolute and idle expiry, its user not disabled, and the user's password unchanged since it
 * began. An active session's last activity and idle expiry move on, written at most once a
 * minute (`LAST_SEEN_WRITE_INTERVAL_MS`) and never past the absolute expiry. The user's membership
 * of the session's organisation comes in the same statement: one round trip makes the caller.
 */
// Every signed-in request runs it: prepared once per connection.
const RESOLVE_SESSION = new PreparedStatement(
  'ucp_resolve_session',
  `SELECT ${SESSION_COLUMNS}, s.revoked_at IS NOT NULL AS revoked, u.disabled_at IS NOT NULL AS user_disabled,
       s.password_changed_at IS DISTINCT FROM c.password_changed_at AS password_changed, ${MEMBER_COLUMNS}
     FROM user_session s JOIN app_user u ON u.id = s.user_id LEFT JOIN local_credential c ON c.user_id = s.user_id
       LEFT JOIN membership m ON m.user_id = s.user_id AND m.ods_code = s.ods_code
       LEFT JOIN organisation o ON o.ods_code = m.ods_code
     WHERE s.id = $1`,
);

export async function resolveSession(
  db: Queryable,
  token: string,
  timeouts: SessionTimeouts,
  now: Date = new Date(),
): Promise<SessionResolution> {
  if (!isWellFormedSessionToken(token)) return { status: 'ended', reason: 'unknown', session: undefined };
  const row = await readSessionRow(db, sessionIdOf(token));
  if (!row) return { status: 'ended', reason: 'unknown', session: undefined };
  const session = toSession(row);
  const ended = (reason: SessionEndReason): SessionResolution => ({ status: 'ended', reason, session });
  if (row.revoked) return ended('revoked');
  if (now >= session.absoluteExpiresAt) return ended('absolute-timeout');
  if (now >= session.idleExpiresAt) return ended('idle-timeout');
  if (row.user_disabled) return ended('user-disabled');
  if (row.password_changed) return ended('password-changed');
  if (now.getTime() - session.lastSeenAt.getTime() < LAST_SEEN_WRITE_INTERVAL_MS) return { status: 'active', session, member: row };
  sessionRowsOf(db).forget(session.id);
  return { status: 'active', session: await slide(db, session, timeouts, now), member: row };
}

type ResolvedRow = SessionRow & MemberRow & { revoked: boolean; user_disabled: boolean; password_changed: boolean };

/**
 * How long a session's row (with its user's membership) is reused without asking the database:
 * every request of a signed-in user needs it, and at a crew's pace of requests the database
 * would otherwise answer the same question many times a second. Every check (revoked, expired,
 * disabled, password changed) still runs on each request; what the cache may miss is a change
 * another server made within this long (one made through this server ends the entry at once,
 * access-generation.ts).
 */
export const SESSION_ROW_TTL_MS = 1_000;
const MAX_CACHED_SESSIONS = 10_000;

function readSessionRow(db: Queryable, sessionId: string): Promise<ResolvedRow | undefined> {
  return sessionRowsOf(db).read(sessionId, async () => (await db.query<ResolvedRow>(RESOLVE_SESSION, [sessionId])).rows[0]);
}

function sessionRowsOf(db: Queryable): AccessCache<ResolvedRow> {
  return accessCacheOf<ResolvedRow>(db, 'session-rows', SESSION_ROW_TTL_MS, MAX_CACHED_SESSIONS);
}

/**
 * Ends one live session (`userId` restricts it to that user's, for "end this session" in their
 * own list). False when there was no such live session.
 */
export async function revokeSession(
  db: Queryable,
  sessionId: string,
  options: { reason: RevocationReason; userId?: string | undefined; now?: Date | undefined },
): Promise<boolean> {
  if (options.userId !== undefined && !isUuid(options.userId)) return false;
  const now = options.now ?? new Date();
  const { rowCount } = await db.query(
    `UPDATE user_session SET revoked_at = $2::timestamptz, revoked_reason = $3
     WHERE id = $1 AND revoked_at IS NULL AND idle_expires_at > $2::timestamptz AND absolute_expires_at > $2::timestamptz
       AND ($4::uuid IS NULL OR user_id = $4::uuid)`,
    [sessionId, now, options.reason, options.userId ?? null],
  );
  accessChanged();
  return rowCount > 0;
}

/** "Sign out everywhere": ends every live session of a user, in every organisation; returns how many. */
export async function revokeAllSessions(
  db: Queryable,
  userId: string,
  options: { reason: RevocationReason; now?: Date | undefined },
): Promise<number> {
  if (!isUuid(userId)) return 0;
  const now = options.now ?? new Date();
  const { rowCount } = await db.query(
    `UPDATE user_session SET revoked_at = $2::timestamptz, revoked_reason = $3
     WHERE user_id = $1 AND revoked_at IS NULL AND idle_expires_at > $2::timestamptz AND absolute_expires_at > $2::timestamptz`,
    [userId, now, options.reason],
  );
  accessChanged();
  return rowCount;
}

/** A user's sessions that still authenticate, most recently active first (for "your sessions"). */
export async function listActiveSessions(db: Queryable, userId: string, now: Date = new Date()): Promise<Session[]> {
  if (!isUuid(userId)) return [];
  const { rows } = await db.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS}
     FROM user_session s JOIN app_user u ON u.id = s.user_id LEFT JOIN local_credential c ON c.user_id = s.user_id
     WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.idle_expires_at > $2::timestamptz
       AND s.absolute_expires_at > $2::timestamptz AND u.disabled_at IS NULL
       AND s.password_changed_at IS NOT DISTINCT FROM c.password_changed_at
     ORDER BY s.last_seen_at DESC, s.created_at DESC`,
    [userId, now],
  );
  return rows.map(toSession);
}

/**
 * Deletes sessions that ended (expired or revoked) before `before`; returns how many. Rows are
 * kept until then so support can see how a recent session ended; an installation schedules
 * this with a retention of its choosing.
 */
export async function purgeEndedSessions(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM user_session
     WHERE absolute_expires_at < $1::timestamptz OR idle_expires_at < $1::timestamptz OR revoked_at < $1::timestamptz`,
    [before],
  );
  return rowCount;
}

/**
 * Moves the last activity and idle expiry on. The condition makes the write happen once however
 * many servers see requests in the same minute, never revive a session revoked meanwhile, and
 * never move the idle expiry earlier (a server whose clock lags).
 */
async function slide(db: Queryable, session: Session, timeouts: SessionTimeouts, now: Date): Promise<Session> {
  const { rows } = await db.query<{ last_seen_at: Date | string; idle_expires_at: Date | string }>(
    `UPDATE user_session
     SET last_seen_at = $2::timestamptz, idle_expires_at = greatest(idle_expires_at, least($3::timestamptz, absolute_expires_at))
     WHERE id = $1 AND revoked_at IS NULL AND last_seen_at <= $4::timestamptz
     RETURNING last_seen_at, idle_expires_at`,
    [session.id, now, new Date(now.getTime() + timeouts.idleTimeoutMs), new Date(now.getTime() - LAST_SEEN_WRITE_INTERVAL_MS)],
  );
  const row = rows[0];
  if (!row) return session;
  return { ...session, lastSeenAt: new Date(row.last_seen_at), idleExpiresAt: new Date(row.idle_expires_at) };
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.user_id,
    odsCode: row.ods_code,
    createdAt: new Date(row.created_at),
    lastSeenAt: new Date(row.last_seen_at),
    idleExpiresAt: new Date(row.idle_expires_at),
    absoluteExpiresAt: new Date(row.absolute_expires_at),
    clientAddress: row.client_address ?? undefined,
    userAgent: row.user_agent ?? undefined,
    launchContextNhsNumber: row.launch_context_nhs_number ?? undefined,
    // A purpose a release no longer knows is dropped: the roles' default applies instead.
    purposeOfUse: PURPOSES.find((purpose) => purpose === row.purpose_of_use),
  };
}
