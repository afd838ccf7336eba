import type { FastifyReply } from 'fastify';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor, auditRecordForAnonymous } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { setPassword, verifyLogin, type LoginOutcome } from '../../users/local-accounts.js';
import { membershipsOf, type User } from '../../users/user-store.js';
import type { SessionSettings } from '../sessions/session-settings.js';
import { startSession, type StartedSession } from '../sessions/start-session.js';
import { checkSignInThrottle, clearUsernameThrottle, recordSignInFailure, tooManyAttempts } from './sign-in-throttle.js';

export interface LocalSignInAttempt {
  username: string;
  password: string;
  /** One-time code, when the account has a second factor. */
  totp?: string | undefined;
  /** ODS code to act for, when the user belongs to several. */
  organisation?: string | undefined;
  /** Required when the password must be changed. */
  newPassword?: string | undefined;
  clientAddress: string;
}

/**
 * Sign-in with a local account: the fallback where single sign-on is not available. Throttled by
 * username and address; every attempt is audited; a refusal never says whether a username exists.
 */
export class LocalSignInService {
  constructor(
    private readonly db: Database,
    /** Opens the stored second-factor secrets. */
    private readonly secrets: SecretBox,
    private readonly settings: SessionSettings,
  ) {}

  /** Verifies the attempt and starts a session, setting its cookie on `reply`; answers the session and the organisation acted for. */
  async signIn(reply: FastifyReply, attempt: LocalSignInAttempt): Promise<{ started: StartedSession; odsCode: string }> {
    const { db } = this;
    const { username, password, totp, organisation, newPassword, clientAddress } = attempt;
    const throttled = { username, clientAddress };
    await checkSignInThrottle(db, throttled);
    let outcome = await verifyLogin(db, this.secrets, username, password, totp);
    if (outcome.outcome === 'password-change-required' && newPassword !== undefined) {
      await setPassword(db, outcome.user.id, newPassword);
      outcome = { outcome: 'ok', user: outcome.user };
    }
    if (outcome.outcome !== 'ok') {
      if (outcome.outcome === 'bad-credentials' || outcome.outcome === 'totp-invalid') await recordSignInFailure(db, throttled);
      const refusal = refusalFor(outcome);
      await appendAuditNow(
        db,
        auditRecordForAnonymous({
          action: 'sign-in-failed',
          outcome: 'denied',
          claimedId: 'userId' in outcome && outcome.userId ? outcome.userId : username,
          clientAddress,
          detail: { reason: outcome.outcome },
        }),
      );
      throw refusal;
    }
    await clearUsernameThrottle(db, username);
    const odsCode = await chooseOrganisation(db, outcome.user, organisation);
    const started = await startSession(reply, db, outcome.user.id, odsCode, { settings: this.settings });
    await appendAuditNow(db, auditRecordFor(started.caller, { action: 'sign-in', detail: { method: 'local-password' } }));
    return { started, odsCode };
  }
}

function refusalFor(outcome: Exclude<LoginOutcome, { outcome: 'ok' }>): AppError {
  switch (outcome.outcome) {
    case 'bad-credentials':
      return new AppError('unauthenticated', 'The username or password is wrong.');
    case 'locked':
      return tooManyAttempts(outcome.until);
    case 'totp-required':
      return new AppError('unauthenticated', 'Enter the one-time code from your authenticator app.', {
        issues: [{ path: 'totp', message: 'a one-time code is required for this account' }],
      });
    case 'totp-invalid':
      return new AppError('unauthenticated', 'The one-time code is wrong or has been used already.', {
        issues: [{ path: 'totp', message: 'wrong or already used' }],
      });
    case 'password-change-required':
      return new AppError('forbidden', 'The password must be changed before signing in: send newPassword with the sign-in.', {
        issues: [{ path: 'newPassword', message: 'required' }],
      });
    case 'disabled':
      return new AppError('forbidden', 'This account is disabled; ask your organisation administrator.');
  }
}

async function chooseOrganisation(db: Database, user: User, wanted: string | undefined): Promise<string> {
  const memberships = await membershipsOf(db, user.id);
  if (wanted !== undefined) return wanted;
  const only = memberships.length === 1 ? memberships[0] : undefined;
  if (only) return only.organisation.odsCode;
  if (memberships.length === 0)
    throw new AppError('forbidden', 'This account belongs to no organisation; ask your organisation administrator.');
  throw new AppError(
    'bad-request',
    `Choose the organisation to act for: ${memberships.map((m) => `${m.organisation.odsCode} (${m.organisation.name})`).join(', ')}.`,
    {
      issues: [{ path: 'organisation', message: 'required: the account belongs to several organisations' }],
    },
  );
}
