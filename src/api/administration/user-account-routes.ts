import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Caller } from '../../access/caller.js';
import { clearUsernameThrottle } from '../../auth/local/sign-in-throttle.js';
import { revokeAllSessions } from '../../auth/sessions/session-store.js';
import type { AuditDetail } from '../../audit/audit-record.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { removeTotp, resetPasswordByOrgAdmin, unlockLocalAccount } from '../../users/local-accounts.js';
import { decideUserAdministration, type UserAdministrationAction } from '../../users/user-administration-policy.js';
import { findUserSummary } from '../../users/user-directory.js';
import { disableUser, enableUser, findUser, membershipsOf } from '../../users/user-store.js';
import { administer, callerOf, refusal } from './administered-change.js';
import { UserParams, UserSummarySchema } from './administration-schemas.js';
import { userSummaryJson } from './user-routes.js';

/** Refuses (403, audited by `administer`) unless the caller may do `action` to the user; 404 for no such user. */
async function requireAdministration(tx: Queryable, caller: Caller, userId: string, action: UserAdministrationAction): Promise<void> {
  const memberships = (await membershipsOf(tx, userId)).map((membership) => ({
    odsCode: membership.organisation.odsCode,
    roles: membership.roles,
  }));
  const decision = decideUserAdministration(caller, { id: userId, memberships }, action);
  if (!decision.allowed) throw refusal(decision.explanation);
  if (!(await findUser(tx, userId))) throw new AppError('not-found', `There is no user ${userId}.`);
}

/** The account changes, each: who may (requireAdministration), what it does, what the audit says. */
const ACCOUNT_CHANGES: Record<
  'disable' | 'enable' | 'unlock' | 'second-factor-reset',
  { action: UserAdministrationAction; summary: string; apply: (tx: Queryable, userId: string) => Promise<AuditDetail> }
> = {
  disable: {
    action: 'disable',
    summary: 'Disable a user: they cannot sign in, and every session they have ends at once',
    apply: async (tx, userId) => {
      await disableUser(tx, userId);
      const sessionsEnded = await revokeAllSessions(tx, userId, { reason: 'ended-by-administrator' });
      return { change: 'disabled', sessionsEnded };
    },
  },
  enable: {
    action: 'enable',
    summary: 'Re-enable a disabled user (they sign in afresh; ended sessions stay ended)',
    apply: async (tx, userId) => {
      await enableUser(tx, userId);
      return { change: 'enabled' };
    },
  },
  unlock: {
    action: 'unlock',
    summary: 'End the lock-out of a local account after failed sign-ins (password and second factor unchanged)',
    apply: async (tx, userId) => {
      const username = await unlockLocalAccount(tx, userId);
      if (username === undefined) throw new AppError('not-found', `The user ${userId} has no local account to unlock.`);
      await clearUsernameThrottle(tx, username);
      return { change: 'unlocked' };
    },
  },
  'second-factor-reset': {
    action: 'reset-second-factor',
    summary: 'Remove the second factor (a lost phone): the user signs in with their password and enrols again',
    apply: async (tx, userId) => {
      if (!(await findUserSummary(tx, userId))?.localAccount)
        throw new AppError('not-found', `The user ${userId} has no local account, so no second factor here.`);
      return { change: 'second-factor-reset', hadSecondFactor: await removeTotp(tx, userId) };
    },
  },
};

/**
 * What an administrator does to a person's account: disable and re-enable it, end a lock-out,
 * remove a lost second factor, set a temporary password. Nobody does these to their own account.
 */
export const userAccountRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['administration'];
  const policy = { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } as const;

  for (const [path, change] of Object.entries(ACCOUNT_CHANGES)) {
    app.post(
      `/users/:userId/${path}`,
      {
        config: { policy },
        schema: { tags, summary: change.summary, params: UserParams, response: { 200: UserSummarySchema, ...problemResponses } },
      },
      async (request) => {
        const { userId } = request.params;
        await administer(
          db,
          callerOf(request),
          async (tx) => {
            await requireAdministration(tx, callerOf(request), userId, change.action);
            return change.apply(tx, userId);
          },
          { resource: { type: 'user', id: userId }, attempted: path, detail: (detail) => detail },
        );
        const user = await findUserSummary(db, userId);
        if (!user) throw new AppError('not-found', `There is no user ${userId}.`);
        return userSummaryJson(user);
      },
    );
  }

  app.post(
    '/users/:userId/password-reset',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Set a temporary password for a user of your organisation (changed at their next sign-in)',
        params: UserParams,
        body: Type.Object({ temporaryPassword: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { userId } = request.params;
      await administer(db, caller, (tx) => resetPasswordByOrgAdmin(tx, caller, userId, request.body.temporaryPassword), {
        resource: { type: 'user', id: userId },
        attempted: 'password-reset',
        detail: () => ({ change: 'password-reset' }),
      });
      return reply.code(204).send(null);
    },
  );
};
