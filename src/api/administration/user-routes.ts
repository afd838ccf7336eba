import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hasPermission, type Caller } from '../../access/caller.js';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { decideUserAdministration } from '../../users/user-administration-policy.js';
import type { UserSummary } from '../../users/user-directory.js';
import { actingOrganisation, callerOf } from './administered-change.js';
import type { UserAdministration } from './user-administration.js';
import {
  CreatedUserSchema,
  NewUserSchema,
  ODS_CODE_PATTERN,
  UserListSchema,
  UserParams,
  UserSummarySchema,
} from './administration-schemas.js';

const UserListQuery = Type.Object(
  {
    organisation: Type.Optional(
      Type.String({
        pattern: `${ODS_CODE_PATTERN.slice(0, -1)}|^all$`,
        description: 'ODS code (default: the organisation you act for); `all` for every user (platform administrators)',
      }),
    ),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name, email address or username' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

/** Dates as ISO strings, absent values left out: what the response schema serialises. */
export function userSummaryJson(user: UserSummary) {
  return {
    ...user,
    professionalRegistrationId: user.professionalRegistrationId,
    disabledAt: user.disabledAt?.toISOString(),
    lockedUntil: user.lockedUntil?.toISOString(),
  };
}

/** Which organisation's users a caller may list: their own; a platform administrator any, or all. */
function listedOrganisation(caller: Caller, wanted: string | undefined): string | undefined | { refused: string } {
  const own = caller.organisation?.odsCode;
  const target = wanted ?? own;
  if (target === undefined) return { refused: 'name the organisation whose users to list: you act for none' };
  if (target === own || hasPermission(caller, 'platform:admin')) return target === 'all' ? undefined : target;
  return { refused: `listing the users of ${target} needs platform:admin; you administer ${own ?? 'no organisation'}` };
}

/**
 * The users of an organisation: an organisation's administrators list and see its members (a
 * platform administrator anyone's) and add users with a local account whose temporary password
 * must be changed at first sign-in.
 */
export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserAdministration }> = async (app, { users }) => {
  const tags = ['administration'];
  const policy = { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } as const;

  app.get(
    '/users',
    {
      config: { policy },
      schema: {
        tags,
        summary: "The users of the organisation you administer (a platform administrator's: any, or all), by name",
        querystring: UserListQuery,
        response: { 200: UserListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const odsCode = listedOrganisation(caller, request.query.organisation);
      if (typeof odsCode === 'object') return request.repository.refuse(odsCode.refused, undefined, { type: 'user', id: 'list' });
      const page = await users.list({
        odsCode,
        search: request.query.q,
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      });
      return { users: page.users.map(userSummaryJson), total: page.total };
    },
  );

  app.get(
    '/users/:userId',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'One user: roles in each organisation, status, sign-in methods',
        params: UserParams,
        response: { 200: UserSummarySchema, ...problemResponses },
      },
    },
    async (request) => {
      const user = await users.find(request.params.userId);
      const caller = callerOf(request);
      const decision = decideUserAdministration(caller, { id: request.params.userId, memberships: user?.memberships ?? [] }, 'view');
      if (!decision.allowed) return request.repository.refuse(decision.explanation, undefined, { type: 'user', id: request.params.userId });
      if (!user) throw new AppError('not-found', `There is no user ${request.params.userId}.`);
      return userSummaryJson(user);
    },
  );

  app.post(
    '/users',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Add a user to the organisation you administer, with a local account',
        body: NewUserSchema,
        response: { 201: CreatedUserSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const odsCode = actingOrganisation(caller);
      const created = await users.create(caller, odsCode, request.body);
      const { id, roles: outcome } = created;
      return reply.code(201).send({
        id,
        odsCode,
        roles: outcome.granted,
        pendingRoles: outcome.pending.map((grant) => ({ ...grant, userId: id, odsCode })),
      });
    },
  );
};
