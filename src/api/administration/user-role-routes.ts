import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../../access/roles.js';
import { literals, problemResponses } from '../../http/schemas.js';
import { actingOrganisation, callerOf } from './administered-change.js';
import { RoleGrantSchema, RolesOutcomeSchema, UserParams } from './administration-schemas.js';
import type { UserRoleAdministration } from './user-role-administration.js';

/** Roles: given by an organisation's administrators, privileged ones approved by a second (src/users/role-grants.ts). */
export const userRoleRoutes: FastifyPluginAsyncTypebox<{ roles: UserRoleAdministration }> = async (app, { roles }) => {
  const tags = ['administration'];
  const policy = { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } as const;

  app.post(
    '/users/:userId/roles',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Give a user of your organisation more roles (privileged ones wait for a second administrator)',
        params: UserParams,
        body: Type.Object({ roles: Type.Array(literals(ROLES), { minItems: 1 }) }, { additionalProperties: false }),
        response: { 200: RolesOutcomeSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const odsCode = actingOrganisation(caller);
      const { userId } = request.params;
      const outcome = await roles.give(caller, userId, odsCode, request.body.roles);
      return { roles: outcome.granted, pendingRoles: outcome.pending.map((grant) => ({ ...grant, userId, odsCode })) };
    },
  );

  app.delete(
    '/users/:userId/roles/:role',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Take a role away from a user of your organisation (the last role ends their membership)',
        params: Type.Object({ userId: UserParams.properties.userId, role: literals(ROLES) }),
        response: { 200: Type.Object({ roles: Type.Array(Type.String()) }), ...problemResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { userId, role } = request.params;
      return { roles: await roles.remove(caller, userId, role) };
    },
  );

  app.get(
    '/role-grants',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Privileged role requests of your organisation waiting for a second administrator',
        response: { 200: Type.Array(RoleGrantSchema), ...problemResponses },
      },
    },
    async (request) => roles.waiting(callerOf(request)),
  );

  app.post(
    '/role-grants/:grantId/:decision',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Approve or refuse a privileged role request (not your own, not for yourself)',
        params: Type.Object({ grantId: Type.String({ format: 'uuid' }), decision: literals(['approve', 'refuse'] as const) }),
        response: { 200: RoleGrantSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      actingOrganisation(caller);
      return roles.decide(caller, request.params.grantId, request.params.decision === 'approve');
    },
  );
};
