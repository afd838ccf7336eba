import { hasPermission, type Caller } from '../access/caller.js';
import { accessChanged } from '../access/access-generation.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { base32Decode, base32Encode } from './base32.js';
import { databaseErrorCode, UNIQUE_VIOLATION } from '../db/database-error-code.js';
import { lockoutDurationMs } from './lockout-policy.js';
import { otpauthUri } from './otpauth-uri.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password-hashing.js';
import { checkPassword } from './password-policy.js';
import { generateTotpSecret, matchTotpStep } from './totp.js';
import { findUser, membershipsOf, type User } from './user-store.js';
import { isUuid } from '../shared/uuid.js';
import { secretContext, type SecretBox } from '../secrets/secret-box.js';

/**
 * Local accounts: a username and password, and optionally a TOTP second factor, for people
 * whose organisation has no single sign-on. Library only: the routes map the outcomes to
 * responses and audit records. src/users/README.md states the rules.
 */

/** What the person and the route may know about a local account; the hashes stay in here. */
export interface LocalAccount {
  userId: string;
  username: string;
  passwordChangedAt: Date;
  mustChangePassword: boolean;
  failedAttempts: number;
  lockedUntil: Date | undefined;
  totpEnabled: boolean;
  totpEnrolmentPending: boolean;
}

export interface NewLocalAccount {
  userId: string;
  username: string;
  password: string;
  /** True when someone other than the person chose the password. */
  mustChangePassword?: boolean;
}

/**
 * What a sign-in attempt came to. Only `ok` signs the person in; `password-change-required`
 * allows nothing but choosing a new password. `userId` is there for the audit record: a route
 * must not tell the person whether a username exists (answer `bad-credentials`, `locked`'s
 * "try again later", `disabled` and the TOTP outcomes as the product decides).
 */
export type LoginOutcome =
  | { outcome: 'ok'; user: User }
  | { outcome: 'password-change-required'; user: User }
  /** Unknown username or wrong password; `lockedUntil` when this failure locked the account. */
  | { outcome: 'bad-credentials'; userId: string | undefined; lockedUntil: Date | undefined }
  /** Refused without looking at the password; no failure is counted. */
  | { outcome: 'locked'; userId: string; until: Date }
  /** The password was right; ask for the code and try again with both. */
  | { outcome: 'totp-required'; userId: string }
  /** The password was right, the code was not (or was used already); counted as a failure. */
  | { outcome: 'totp-invalid'; userId: string; replayed: boolean; lockedUntil: Date | undefined }
  /** The password was right but the user is disabled. */
  | { outcome: 'disabled'; userId: string };

export const DEFAULT_TOTP_ISSUER = 'Urgent Care Plan';

const USERNAME = /^[A-Za-z0-9._@+'-]{3,254}$/;

type CredentialRow = {
  user_id: string;
  username: string;
  email: string;
  password_hash: string;
  password_changed_at: Date | string;
  must_change_password: boolean;
  failed_attempts: number;
  locked_until: Date | string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  disabled: boolean;
};

const CREDENTIAL_COLUMNS = `c.user_id, c.username, u.email, c.password_hash, c.password_changed_at, c.must_change_password,
  c.failed_attempts, c.locked_until, c.totp_secret, c.totp_pending_secret, u.disabled_at IS NOT NULL AS disabled`;

/** Gives a user a local account. A username taken in any case, or a second account, is a conflict. */
export async function createLocalAccount(db: Queryable, input: NewLocalAccount, now: Date = new Date()): Promise<LocalAccount> {
  const username = input.username.trim();
  if (!USERNAME.test(username)) {
    throw new AppError('bad-request', `'${username}' is not a valid username: use 3 to 254 letters, digits and . _ @ + ' -.`);
  }
  const user = await findUser(db, input.userId);
  if (!user) throw new AppError('not-found', `There is no user ${input.userId}.`);
  if (await findCredential(db, user.id)) throw new AppError('conflict', `The user ${user.id} already has a local account.`);
  enforcePolicy(input.password, username, user.email);
  try {
    await db.query(
      `INSERT INTO local_credential (user_id, username, password_hash, password_changed_at, must_change_password)
       VALUES ($1, $2, $3, $4::timestamptz, $5)`,
      [user.id, username, await hashPassword(input.password), now, input.mustChangePassword ?? false],
    );
  } catch (error) {
    if (databaseErrorCode(error) === UNIQUE_VIOLATION) {
      throw new AppError('conflict', `The username ${username} is taken, or the user already has a local account.`, { cause: error });
    }
    throw error;
  }
  // A session begun before the user had a password ends now (its password date differs).
  accessChanged();
  const account = await findLocalAccount(db, user.id);
  if (!account) throw new Error('local account insert left no row');
  return account;
}

export async function findLocalAccount(db: Queryable, userId: string): Promise<LocalAccount | undefined> {
  const row = await findCredential(db, userId);
  return row && toLocalAccount(row);
}

/**
 * The person sets a password they chose (after signing in, or when a reset requires it): the
 * policy applies, it must differ from the current one, and the lock-out and the must-change flag
 * clear. The route must have authenticated the person, with their current password unless they
 * are completing a required change.
 */
export async function setPassword(db: Queryable, userId: string, password: string, now: Date = new Date()): Promise<void> {
  const row = await findCredential(db, userId);
  if (!row) throw new AppError('not-found', `The user ${userId} has no local account.`);
  enforcePolicy(password, row.username, row.email);
  if (await verifyPassword(password, row.password_hash)) {
    throw new AppError('unprocessable', 'The new password is the same as the current one; choose a different one.', {
      issues: [{ path: '/password', message: 'Choose a password different from the current one.' }],
    });
  }
  await db.query(
    `UPDATE local_credential SET password_hash = $2, password_changed_at = $3::timestamptz, must_change_password = false,
       failed_attempts = 0, locked_until = NULL
     WHERE user_id = $1`,
    [row.user_id, await hashPassword(password), now],
  );
  accessChanged();
}

/**
 * Checks a sign-in attempt and records its effect on the lock-out. Every path that reaches a
 * verdict on the password costs one scrypt verification — against a decoy hash for an unknown
 * username, and against the real hash even while locked — so the time taken does not tell
 * which usernames exist. `now` is the time of the attempt (tests pass their own clock).
 */
export async function verifyLogin(
  db: Queryable,
  box: SecretBox,
  username: string,
  password: string,
  totpCode?: string,
  now: Date = new Date(),
): Promise<LoginOutcome> {
  const trimmed = username.trim();
  const row = USERNAME.test(trimmed) ? await findCredentialByUsername(db, trimmed) : undefined;
  if (!row) {
    await verifyPassword(password, await decoyPasswordHash());
    return { outcome: 'bad-credentials', userId: undefined, lockedUntil: undefined };
  }
  const userId = row.user_id;
  const lockedUntil = row.locked_until === null ? undefined : new Date(row.locked_until);
  if (lockedUntil && lockedUntil > now) {
    await verifyPassword(password, row.password_hash);
    return { outcome: 'locked', userId, until: lockedUntil };
  }
  if (!(await verifyPassword(password, row.password_hash))) {
    return { outcome: 'bad-credentials', userId, lockedUntil: await recordFailure(db, userId, now) };
  }
  if (row.disabled) return { outcome: 'disabled', userId };
  if (row.totp_secret !== null) {
    if (totpCode === undefined || totpCode.trim() === '') return { outcome: 'totp-required', userId };
    const step = matchTotpStep(openTotpSecret(box, row.user_id, row.totp_secret), totpCode, now);
    const accepted = step !== undefined && (await claimTotpStep(db, userId, step));
    if (!accepted) {
      return { outcome: 'totp-invalid', userId, replayed: step !== undefined, lockedUntil: await recordFailure(db, userId, now) };
    }
  }
  await db.query(
    `UPDATE local_credential SET failed_attempts = 0, locked_until = NULL
     WHERE user_id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)`,
    [userId],
  );
  const user = await findUser(db, userId);
  if (!user) throw new Error(`user ${userId} vanished during sign-in`);
  return row.must_change_password ? { outcome: 'password-change-required', user } : { outcome: 'ok', user };
}

/**
 * Proves it is the person, not just their session, before the second factor is changed or
 * removed: the current password and, when a factor is active, a current code from it (claimed,
 * so it cannot be replayed). A wrong answer counts towards the lock-out like a failed sign-in,
 * so a stolen session cannot be used to guess the password. False when the proof fails.
 */
export async function confirmIdentity(
  db: Queryable,
  box: SecretBox,
  userId: string,
  password: string,
  totpCode: string | undefined,
  now: Date = new Date(),
): Promise<boolean> {
  const row = await findCredential(db, userId);
  if (!row) throw new AppError('not-found', `The user ${userId} has no local account.`);
  const lockedUntil = row.locked_until === null ? undefined : new Date(row.locked_until);
  if (lockedUntil && lockedUntil > now) return false;
  let proven = await verifyPassword(password, row.password_hash);
  if (proven && row.totp_secret !== null) {
    const step = totpCode === undefined ? undefined : matchTotpStep(openTotpSecret(box, row.user_id, row.totp_secret), totpCode, now);
    proven = step !== undefined && (await claimTotpStep(db, row.user_id, step));
  }
  if (!proven) await recordFailure(db, row.user_id, now);
  return proven;
}

export interface TotpEnrolment {
  /** Base32, unpadded, for typing into an app by hand. */
  secret: string;
  /** `otpauth://totp/…`, for a QR code. */
  uri: string;
}

/**
 * Starts enrolling a TOTP authenticator: a fresh secret, pending until `confirmTotp` sees a code
 * from it. An active second factor stays in force meanwhile, and starting again replaces the
 * pending secret. The route must show the secret only to the signed-in person.
 */
export async function enrolTotp(db: Queryable, box: SecretBox, userId: string, options: { issuer?: string } = {}): Promise<TotpEnrolment> {
  const secret = generateTotpSecret();
  const encoded = base32Encode(secret, { padding: false });
  const { rows } = isUuid(userId)
    ? await db.query<{ username: string }>('UPDATE local_credential SET totp_pending_secret = $2 WHERE user_id = $1 RETURNING username', [
        userId,
        box.seal(encoded, secretContext.totp(userId)),
      ])
    : { rows: [] };
  const row = rows[0];
  if (!row) throw new AppError('not-found', `The user ${userId} has no local account.`);
  return { secret: encoded, uri: otpauthUri({ secret, issuer: options.issuer ?? DEFAULT_TOTP_ISSUER, accountName: row.username }) };
}

/**
 * Completes enrolment when `code` comes from the pending secret (one step either side): from
 * then on sign-in needs a code. The confirming code counts as used. False for a wrong code;
 * `conflict` when no enrolment is in progress.
 */
export async function confirmTotp(db: Queryable, box: SecretBox, userId: string, code: string, now: Date = new Date()): Promise<boolean> {
  const row = await findCredential(db, userId);
  if (!row) throw new AppError('not-found', `The user ${userId} has no local account.`);
  const pending = row.totp_pending_secret;
  if (pending === null) throw new AppError('conflict', 'No TOTP enrolment is in progress; start one first.');
  const step = matchTotpStep(openTotpSecret(box, row.user_id, pending), code, now);
  if (step === undefined) return false;
  const { rowCount } = await db.query(
    `UPDATE local_credential SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_used_step = $3
     WHERE user_id = $1 AND totp_pending_secret = $2`,
    [row.user_id, pending, step],
  );
  if (rowCount === 0) throw new AppError('conflict', 'The TOTP enrolment was restarted meanwhile; use the newest secret.');
  return true;
}

/** The stored secret is sealed to its user (src/secrets): the pending one moves to active as it is. */
function openTotpSecret(box: SecretBox, userId: string, sealed: string): Uint8Array {
  return base32Decode(box.open(sealed, secretContext.totp(userId)));
}

/**
 * Removes the second factor (active and pending). The route decides who may: the person after
 * signing in with it, or an administrator when the device is lost. False when there was none.
 */
export async function removeTotp(db: Queryable, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const { rowCount } = await db.query(
    `UPDATE local_credential SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_used_step = NULL
     WHERE user_id = $1 AND (totp_secret IS NOT NULL OR totp_pending_secret IS NOT NULL)`,
    [userId],
  );
  return rowCount > 0;
}

/**
 * Ends a lock-out at once (an administrator who has checked who is asking): the failure count
 * and the lock clear; the password and the second factor stay. The username of the account, for
 * clearing its sign-in throttle too; undefined when the user has no local account.
 */
export async function unlockLocalAccount(db: Queryable, userId: string): Promise<string | undefined> {
  if (!isUuid(userId)) return undefined;
  const { rows } = await db.query<{ username: string }>(
    'UPDATE local_credential SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1 RETURNING username',
    [userId],
  );
  return rows[0]?.username;
}

/**
 * An administrator sets a temporary password for someone who has forgotten theirs. Only an
 * administrator (`org:manage-users`) acting for an organisation **the person belongs to** may:
 * a password reset lets whoever chose the temporary password sign in as the person, so it is
 * kept within the person's own organisation, where the reset is audited and seen. Platform
 * rights give no reset elsewhere — a platform administrator never signs in as someone of
 * another organisation. A platform admin's own account is reset only by another platform admin
 * of the same organisation (else an org-admin could take over platform rights); nobody resets
 * their own password this way. The password policy applies; the person must change the password
 * at the next sign-in; the lock-out clears. The second factor is kept.
 */
export async function resetPasswordByOrgAdmin(
  db: Queryable,
  admin: Caller,
  targetUserId: string,
  temporaryPassword: string,
  now: Date = new Date(),
): Promise<void> {
  if (!hasPermission(admin, 'org:manage-users')) {
    throw new AppError(
      'forbidden',
      `Resetting a password needs org:manage-users, which the role(s) ${admin.roles.join(', ') || '(none)'} do not grant.`,
    );
  }
  const organisation = admin.organisation;
  if (!organisation) throw new AppError('forbidden', 'Resetting a password needs an organisation to act for.');
  if (admin.kind === 'user' && admin.id === targetUserId) {
    throw new AppError('forbidden', 'Change your own password with your current one, not by a reset.');
  }
  const memberships = await membershipsOf(db, targetUserId);
  if (!memberships.some((membership) => membership.organisation.odsCode === organisation.odsCode)) {
    throw new AppError('forbidden', `The user ${targetUserId} is not a member of ${organisation.name} (${organisation.odsCode}).`);
  }
  if (memberships.some((membership) => membership.roles.includes('platform-admin')) && !hasPermission(admin, 'platform:admin')) {
    throw new AppError('forbidden', `The user ${targetUserId} is a platform admin; only a platform admin may reset their password.`);
  }
  const row = await findCredential(db, targetUserId);
  if (!row) throw new AppError('not-found', `The user ${targetUserId} has no local account.`);
  enforcePolicy(temporaryPassword, row.username, row.email);
  await db.query(
    `UPDATE local_credential SET password_hash = $2, password_changed_at = $3::timestamptz, must_change_password = true,
       failed_attempts = 0, locked_until = NULL
     WHERE user_id = $1`,
    [row.user_id, await hashPassword(temporaryPassword), now],
  );
  accessChanged();
}

/**
 * Counts a failure and, from the threshold on, extends the lock. The increment is one atomic
 * statement, so concurrent failures are all counted; the lock only ever moves later.
 */
async function recordFailure(db: Queryable, userId: string, now: Date): Promise<Date | undefined> {
  const { rows } = await db.query<{ failed_attempts: number }>(
    'UPDATE local_credential SET failed_attempts = failed_attempts + 1 WHERE user_id = $1 RETURNING failed_attempts',
    [userId],
  );
  const duration = lockoutDurationMs(rows[0]?.failed_attempts ?? 0);
  if (duration === 0) return undefined;
  const until = new Date(now.getTime() + duration);
  await db.query('UPDATE local_credential SET locked_until = greatest(locked_until, $2::timestamptz) WHERE user_id = $1', [userId, until]);
  return until;
}

/** Records `step` as used unless it or a later one was: two requests with one code cannot both win. */
async function claimTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE local_credential SET totp_last_used_step = $2
     WHERE user_id = $1 AND (totp_last_used_step IS NULL OR totp_last_used_step < $2)`,
    [userId, step],
  );
  return rowCount > 0;
}

function enforcePolicy(password: string, username: string, email: string): void {
  const problems = checkPassword(password, { username, email });
  if (problems.length === 0) return;
  throw new AppError('unprocessable', `The password is not acceptable: ${problems.map((problem) => problem.message).join(' ')}`, {
    issues: problems.map((problem) => ({ path: '/password', message: problem.message })),
  });
}

async function findCredential(db: Queryable, userId: string): Promise<CredentialRow | undefined> {
  if (!isUuid(userId)) return undefined;
  const { rows } = await db.query<CredentialRow>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM local_credential c JOIN app_user u ON u.id = c.user_id WHERE c.user_id = $1`,
    [userId],
  );
  return rows[0];
}

async function findCredentialByUsername(db: Queryable, username: string): Promise<CredentialRow | undefined> {
  const { rows } = await db.query<CredentialRow>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM local_credential c JOIN app_user u ON u.id = c.user_id WHERE lower(c.username) = lower($1)`,
    [username],
  );
  return rows[0];
}

function toLocalAccount(row: CredentialRow): LocalAccount {
  return {
    userId: row.user_id,
    username: row.username,
    passwordChangedAt: new Date(row.password_changed_at),
    mustChangePassword: row.must_change_password,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until === null ? undefined : new Date(row.locked_until),
    totpEnabled: row.totp_secret !== null,
    totpEnrolmentPending: row.totp_pending_secret !== null,
  };
}
