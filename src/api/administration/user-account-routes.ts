import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../http/schemas.js';
import { callerOf } from './administered-change.js';
import { UserParams, UserSummarySchema } from './administration-schemas.js';
import type { AccountChange, UserAccountAdministration } from './user-account-administration.js';
import { userSummaryJson } from './user-routes.js';

/** What each account change does, as the API describes it. */
const SUMMARIES: Record<AccountChange, string> = {
  disable: 'Disable a user: they cannot sign in, and every session they have ends at once',
  enable: 'Re-enable a disabled user (they sign in afresh; ended sessions stay ended)',
  unlock: 'End the lock-out of a local account after failed sign-ins (password and second factor unchanged)',
  'second-factor-reset': 'Remove the second factor (a lost phone): the user signs in with their password and enrols again',
};

/**
 * What an administrator does to a person's account: disable and re-enable it, end a lock-out,
 * remove a lost second factor, set a temporary password. Nobody does these to their own account.
 */
export const userAccountRoutes: FastifyPluginAsyncTypebox<{ accounts: UserAccountAdministration }> = async (app, { accounts }) => {
  const tags = ['administration'];
  const policy = { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } as const;

  for (const [change, summary] of Object.entries(SUMMARIES) as [AccountChange, string][]) {
    app.post(
      `/users/:userId/${change}`,
      {
        config: { policy },
        schema: { tags, summary, params: UserParams, response: { 200: UserSummarySchema, ...problemResponses } },
      },
      async (request) => userSummaryJson(await accounts.change(callerOf(request), request.params.userId, change)),
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
      await accounts.resetPassword(callerOf(request), request.params.userId, request.body.temporaryPassword);
      return reply.code(204).send(null);
    },
  );
};
