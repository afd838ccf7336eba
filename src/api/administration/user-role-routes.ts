import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Caller } from '../../access/caller.js';
import { ROLES, type Role } from '../../access/roles.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { decideRoleGrant, openRoleGrants, requestRoles } from '../../users/role-grants.js';
import { decideUserAdministration } from '../../users/user-administration-policy.js';
import { addMembership, membershipsOf, removeMembership } from '../../users/user-store.js';
import { actingOrganisation, administer, callerOf, refusal } from './administered-change.js';
import { literals, RoleGrantSchema, UserParams } from './administration-schemas.js';

const RolesOutcomeSchema = Type.Object({ roles: Type.Array(Type.String()), pendingRoles: Type.Array(RoleGrantSchema) });

/**
 * Takes one role away in the organisation the caller acts for (no second person needed: it
 * takes rights away). The last role ends the membership. `platform-admin` is the installation's.
 */
async function removeRole(tx: Queryable, caller: Caller, userId: string, role: Role): Promise<Role[]> {
  const odsCode = actingOrganisation(caller);
  const memberships = await membershipsOf(tx, userId);
  const decision = decideUserAdministration(
    caller,
    { id: userId, memberships: memberships.map((m) => ({ odsCode: m.organisation.odsCode, roles: m.roles })) },
    'remove-role',
  );
  if (!decision.allowed) throw refusal(decision.explanation);
  if (role === 'platform-admin') throw refusal('platform-admin is given and taken by the installation, not through the API');
  const held = memberships.find((membership) => membership.organisation.odsCode === odsCode)?.roles ?? [];
  if (!held.includes(role)) throw new AppError('not-found', `The user ${userId} does not hold the role ${role} in ${odsCode}.`);
  const remaining = held.filter((each) => each !== role);
  if (remaining.length === 0) await removeMembership(tx, userId, odsCode);
  else await addMembership(tx, userId, odsCode, remaining);
  return remaining;
}

/** Roles: given by an organisation's administrators, privileged ones approved by a second (src/users/role-grants.ts). */
export const userRoleRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
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
      const outcome = await administer(db, caller, (tx) => requestRoles(tx, caller, userId, odsCode, request.body.roles), {
        resource: { type: 'user', id: userId },
        attempted: 'roles',
        detail: (result) => ({ change: 'roles', roles: result.granted, pendingRoles: result.pending.map((grant) => grant.role) }),
      });
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
      const roles = await administer(db, caller, (tx) => removeRole(tx, caller, userId, role), {
        resource: { type: 'user', id: userId },
        attempted: 'role-removal',
        detail: (remaining) => ({ change: 'role-removed', role, roles: remaining }),
      });
      return { roles };
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
    async (request) => openRoleGrants(db, callerOf(request)),
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
      const approve = request.params.decision === 'approve';
      return administer(db, caller, (tx) => decideRoleGrant(tx, caller, request.params.grantId, approve), {
        // Recorded against the person whose roles change; a refusal, before the request is read, names the request.
        resource: { type: 'user', id: (grant) => grant.userId },
        refusedId: `role-grant:${request.params.grantId}`,
        attempted: `role-${request.params.decision}`,
        detail: (grant) => ({
          change: approve ? 'role-approved' : 'role-refused',
          grantId: grant.id,
          role: grant.role,
          odsCode: grant.odsCode,
          requestedBy: grant.requestedBy,
        }),
      });
    },
  );
};
