import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ORGANISATION_KINDS, type Caller } from '../access/caller.js';
import { ROLES } from '../access/roles.js';
import { appendAudit } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { INTEGRATED_CARE_SYSTEMS } from '../nhs/london.js';
import { listOrganisations, upsertOrganisation } from '../organisations/organisation-store.js';
import { problemResponses } from '../http/schemas.js';
import { createLocalAccount, resetPasswordByOrgAdmin } from '../users/local-accounts.js';
import { createUser } from '../users/user-store.js';
import { decideRoleGrant, openRoleGrants, requestRoles } from '../users/role-grants.js';

export interface AdministrationRoutesOptions {
  db: Database;
}

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

const OrganisationSchema = Type.Object(
  {
    odsCode: Type.String({ pattern: '^[A-Z0-9]{3,10}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: literals(ORGANISATION_KINDS),
    ics: literals(INTEGRATED_CARE_SYSTEMS),
    dataSecurityStatus: literals(['standards-met', 'approaching-standards', 'standards-not-met'] as const),
  },
  { additionalProperties: false },
);

const NewUserSchema = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 254 }),
    professionalRegistrationId: Type.Optional(Type.String({ maxLength: 50 })),
    roles: Type.Array(literals(ROLES.filter((role) => role !== 'platform-admin')), { minItems: 1 }),
    username: Type.String({ minLength: 3, maxLength: 254 }),
    temporaryPassword: Type.String({ minLength: 1, maxLength: 1024, description: 'to be changed at first sign-in' }),
  },
  { additionalProperties: false },
);

const RoleGrantSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  odsCode: Type.String(),
  role: Type.String(),
  requestedBy: Type.Optional(Type.String()),
  requestedAt: Type.Optional(Type.String()),
});

function actingOrganisation(caller: Caller | undefined): { caller: Caller; odsCode: string } {
  if (!caller?.organisation)
    throw new AppError('forbidden', 'User administration is done for the organisation you act for; you act for none.');
  return { caller, odsCode: caller.organisation.odsCode };
}

/**
 * Administration: platform admins manage organisations; an organisation's admins add its users
 * (with a local account whose password must be changed at first sign-in) and reset their
 * passwords. Every change is audited in its own transaction.
 */
export const administrationRoutes: FastifyPluginAsyncTypebox<AdministrationRoutesOptions> = async (app, { db }) => {
  const tags = ['administration'];

  app.get(
    '/organisations',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: { tags, summary: 'The organisations taking part', response: { 200: Type.Array(OrganisationSchema), ...problemResponses } },
    },
    async () => listOrganisations(db),
  );

  app.put(
    '/organisations/:odsCode',
    {
      config: { policy: { kind: 'permission', permission: 'platform:admin', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Add or update an organisation (its data-security status decides whether it may see plans)',
        params: Type.Object({ odsCode: Type.String({ pattern: '^[A-Z0-9]{3,10}$' }) }),
        body: OrganisationSchema,
        response: { 200: OrganisationSchema, ...problemResponses },
      },
    },
    async (request) => {
      if (request.body.odsCode !== request.params.odsCode)
        throw new AppError('bad-request', 'The ODS code in the body must match the one in the path.');
      const caller = request.caller;
      return db.transaction(async (tx) => {
        const organisation = await upsertOrganisation(tx, request.body);
        if (caller)
          await appendAudit(tx, auditRecordFor(caller, { action: 'update', resource: { type: 'organisation', id: organisation.odsCode } }));
        return organisation;
      });
    },
  );

  app.post(
    '/users',
    {
      config: { policy: { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Add a user to the organisation you administer, with a local account',
        body: NewUserSchema,
        response: {
          201: Type.Object({
            id: Type.String(),
            odsCode: Type.String(),
            roles: Type.Array(Type.String({ description: 'held now' })),
            pendingRoles: Type.Array(RoleGrantSchema, { description: 'privileged roles waiting for a second administrator' }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { caller, odsCode } = actingOrganisation(request.caller);
      const body = request.body;
      const user = await db.transaction(async (tx) => {
        const created = await createUser(tx, {
          displayName: body.displayName,
          email: body.email,
          ...(body.professionalRegistrationId ? { professionalRegistrationId: body.professionalRegistrationId } : {}),
        });
        const roles = await requestRoles(tx, caller, created.id, odsCode, body.roles);
        await createLocalAccount(tx, {
          userId: created.id,
          username: body.username,
          password: body.temporaryPassword,
          mustChangePassword: true,
        });
        await appendAudit(
          tx,
          auditRecordFor(caller, {
            action: 'create',
            resource: { type: 'user', id: created.id },
            detail: { roles: roles.granted, pendingRoles: roles.pending.map((grant) => grant.role) },
          }),
        );
        return { created, roles };
      });
      return reply.code(201).send({
        id: user.created.id,
        odsCode,
        roles: user.roles.granted,
        pendingRoles: user.roles.pending.map((grant) => ({ ...grant, userId: user.created.id, odsCode })),
      });
    },
  );

  app.post(
    '/users/:userId/roles',
    {
      config: { policy: { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Give a user of your organisation more roles (privileged ones wait for a second administrator)',
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ roles: Type.Array(literals(ROLES), { minItems: 1 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ roles: Type.Array(Type.String()), pendingRoles: Type.Array(RoleGrantSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { caller, odsCode } = actingOrganisation(request.caller);
      const { userId } = request.params;
      const outcome = await db.transaction(async (tx) => {
        const result = await requestRoles(tx, caller, userId, odsCode, request.body.roles);
        await appendAudit(
          tx,
          auditRecordFor(caller, {
            action: 'update',
            resource: { type: 'user', id: userId },
            detail: { change: 'roles', roles: result.granted, pendingRoles: result.pending.map((grant) => grant.role) },
          }),
        );
        return result;
      });
      return { roles: outcome.granted, pendingRoles: outcome.pending.map((grant) => ({ ...grant, userId, odsCode })) };
    },
  );

  app.get(
    '/role-grants',
    {
      config: { policy: { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Privileged role requests of your organisation waiting for a second administrator',
        response: { 200: Type.Array(RoleGrantSchema), ...problemResponses },
      },
    },
    async (request) => openRoleGrants(db, actingOrganisation(request.caller).caller),
  );

  app.post(
    '/role-grants/:grantId/:decision',
    {
      config: { policy: { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Approve or refuse a privileged role request (not your own, not for yourself)',
        params: Type.Object({ grantId: Type.String({ format: 'uuid' }), decision: literals(['approve', 'refuse'] as const) }),
        response: { 200: RoleGrantSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { caller } = actingOrganisation(request.caller);
      const approve = request.params.decision === 'approve';
      return db.transaction(async (tx) => {
        const grant = await decideRoleGrant(tx, caller, request.params.grantId, approve);
        await appendAudit(
          tx,
          auditRecordFor(caller, {
            action: 'update',
            resource: { type: 'user', id: grant.userId },
            detail: {
              change: approve ? 'role-approved' : 'role-refused',
              role: grant.role,
              odsCode: grant.odsCode,
              requestedBy: grant.requestedBy,
            },
          }),
        );
        return grant;
      });
    },
  );

  app.post(
    '/users/:userId/password-reset',
    {
      config: { policy: { kind: 'permission', permission: 'org:manage-users', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Set a temporary password for a user of your organisation (changed at their next sign-in)',
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ temporaryPassword: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { caller } = actingOrganisation(request.caller);
      await db.transaction(async (tx) => {
        await resetPasswordByOrgAdmin(tx, caller, request.params.userId, request.body.temporaryPassword);
        await appendAudit(
          tx,
          auditRecordFor(caller, {
            action: 'update',
            resource: { type: 'user', id: request.params.userId },
            detail: { change: 'password-reset' },
          }),
        );
      });
      return reply.code(204).send(null);
    },
  );
};
