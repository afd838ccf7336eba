import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.js';
import { auditRecordFor, auditRecordForAnonymous } from '../../audit/audit-record.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { setPassword, verifyLogin, type LoginOutcome } from '../../users/local-accounts.js';
import { membershipsOf, type User } from '../../users/user-store.js';
import { checkSameOrigin } from '../sessions/csrf-check.js';
import type { SessionSettings } from '../sessions/session-settings.js';
import { startSession } from '../sessions/start-session.js';
import { checkSignInThrottle, clearUsernameThrottle, recordSignInFailure, tooManyAttempts } from './sign-in-throttle.js';

export interface LocalSignInOptions {
  db: Database;
  settings: SessionSettings;
  /** Opens the stored second-factor secrets. */
  secrets: SecretBox;
}

const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totp: Type.Optional(Type.String({ maxLength: 16, description: 'one-time code, when the account has a second factor' })),
    organisation: Type.Optional(Type.String({ description: 'ODS code to act for, when the user belongs to several' })),
    newPassword: Type.Optional(Type.String({ maxLength: 1024, description: 'required when the password must be changed' })),
  },
  { additionalProperties: false },
);

const SignedIn = Type.Object({
  displayName: Type.String(),
  organisation: Type.Object({ odsCode: Type.String(), name: Type.String() }),
  roles: Type.Array(Type.String()),
  csrfToken: Type.String({ description: 'send as x-csrf-token on every state-changing request' }),
  expiresAt: Type.String(),
});

/**
 * Sign-in with a local account: the fallback where single sign-on is not available. Every
 * attempt is audited; the answer never says whether a username exists.
 */
export const localSignInRoutes: FastifyPluginAsyncTypebox<LocalSignInOptions> = async (app, { db, settings, secrets }) => {
  app.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['authentication'],
        summary: 'Sign in with a local account (username, password, and a one-time code if enrolled)',
        body: SignInBody,
        response: { 200: SignedIn, ...problemResponses },
      },
    },
    async (request, reply) => {
      // There is no session yet to hold a CSRF token, so the origin is what stops a forged sign-in.
      checkSameOrigin(request, settings.publicOrigin);
      const { username, password, totp, organisation, newPassword } = request.body;
      const attempt = { username, clientAddress: request.ip };
      await checkSignInThrottle(db, attempt);
      let outcome = await verifyLogin(db, secrets, username, password, totp);
      if (outcome.outcome === 'password-change-required' && newPassword !== undefined) {
        await setPassword(db, outcome.user.id, newPassword);
        outcome = { outcome: 'ok', user: outcome.user };
      }
      if (outcome.outcome !== 'ok') {
        if (outcome.outcome === 'bad-credentials' || outcome.outcome === 'totp-invalid') await recordSignInFailure(db, attempt);
        const refusal = refusalFor(outcome);
        await appendAuditNow(
          db,
          auditRecordForAnonymous({
            action: 'sign-in-failed',
            outcome: 'denied',
            claimedId: 'userId' in outcome && outcome.userId ? outcome.userId : username,
            clientAddress: request.ip,
            detail: { reason: outcome.outcome },
          }),
        );
        throw refusal;
      }
      await clearUsernameThrottle(db, username);
      const odsCode = await chooseOrganisation(db, outcome.user, organisation);
      const started = await startSession(reply, db, outcome.user.id, odsCode, { settings });
      await appendAuditNow(db, auditRecordFor(started.caller, { action: 'sign-in', detail: { method: 'local-password' } }));
      reply.header('cache-control', 'no-store');
      return {
        displayName: started.caller.displayName,
        organisation: { odsCode, name: started.caller.organisation?.name ?? odsCode },
        roles: [...started.caller.roles],
        csrfToken: started.csrfToken,
        expiresAt: started.session.absoluteExpiresAt.toISOString(),
      };
    },
  );
};

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
