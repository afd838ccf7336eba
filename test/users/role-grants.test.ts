import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { callerForUser, membershipsOf } from '../../src/users/user-store.js';
import { decideRoleGrant, openRoleGrants, requestRoles } from '../../src/users/role-grants.js';
import { systemCaller } from '../../src/access/caller.js';
import { permissionsOf } from '../../src/access/roles.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';

/** Separation of duties in giving roles: privileged roles need a second person. */
describe(`privileged role grants on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
    for (const odsCode of ['GP001', 'GP002']) {
      await upsertOrganisation(test.database.db, {
        odsCode,
        name: odsCode,
        kind: 'gp-practice',
        ics: 'North Central London',
        dataSecurityStatus: 'standards-met',
      });
    }
  });
  afterAll(() => test.close());

  const tokenOf = (clientId: string, roles: Role[], odsCode: string) =>
    issueTestToken(test.services, test.database.db, { clientId, scopes: SCOPES, roles, organisationOdsCode: odsCode });
  const call = async (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    test.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const rolesOf = async (userId: string, odsCode: string) =>
    (await membershipsOf(test.database.db, userId)).find((membership) => membership.organisation.odsCode === odsCode)?.roles ?? [];

  it('gives ordinary roles at once and holds privileged ones until a second administrator approves', async () => {
    const first = await tokenOf('admin-one', ['org-admin'], 'GP001');
    const second = await tokenOf('admin-two', ['org-admin'], 'GP001');
    const created = await call(first, 'POST', '/api/users', {
      displayName: 'Dr Decider',
      email: 'decider@example.test',
      roles: ['clinician', 'senior-clinician'],
      username: 'dr.decider',
      temporaryPassword: 'a-temporary-passphrase-1',
    });
    expect(created.statusCode, created.body).toBe(201);
    const {
      id: userId,
      roles,
      pendingRoles,
    } = created.json<{ id: string; roles: string[]; pendingRoles: { id: string; role: string }[] }>();
    expect(roles).toEqual(['clinician']);
    expect(pendingRoles).toEqual([expect.objectContaining({ role: 'senior-clinician' })]);
    expect(await rolesOf(userId, 'GP001')).toEqual(['clinician']);

    const grantId = pendingRoles[0]?.id ?? '';
    // The one who asked cannot approve.
    expect((await call(first, 'POST', `/api/role-grants/${grantId}/approve`)).statusCode).toBe(403);
    // An administrator of another organisation cannot either.
    const foreign = await tokenOf('admin-elsewhere', ['org-admin'], 'GP002');
    expect((await call(foreign, 'POST', `/api/role-grants/${grantId}/approve`)).statusCode).toBe(403);
    expect(await rolesOf(userId, 'GP001')).toEqual(['clinician']);

    const listed = await call(second, 'GET', '/api/role-grants');
    expect(listed.json()).toEqual([expect.objectContaining({ id: grantId, role: 'senior-clinician', requestedBy: 'admin-one' })]);
    const approved = await call(second, 'POST', `/api/role-grants/${grantId}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await rolesOf(userId, 'GP001')).toEqual(['clinician', 'senior-clinician']);
    expect((await call(second, 'POST', `/api/role-grants/${grantId}/approve`)).statusCode).toBe(404);
  });

  it('lets a platform administrator of another organisation be the second person', async () => {
    const admin = await tokenOf('admin-three', ['org-admin'], 'GP002');
    const created = await call(admin, 'POST', '/api/users', {
      displayName: 'Ms Auditor',
      email: 'auditor@example.test',
      roles: ['auditor'],
      username: 'ms.auditor',
      temporaryPassword: 'a-temporary-passphrase-2',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id: userId, pendingRoles } = created.json<{ id: string; pendingRoles: { id: string }[] }>();
    // Every role asked for was privileged: until approved, the person has no membership at all.
    expect(await rolesOf(userId, 'GP002')).toEqual([]);
    const platformSameOrganisation = await tokenOf('platform-gp002', ['platform-admin'], 'GP002');
    const platformElsewhere = await tokenOf('platform-gp001', ['platform-admin'], 'GP001');
    const grant = pendingRoles[0]?.id ?? '';
    expect((await call(platformElsewhere, 'POST', `/api/role-grants/${grant}/refuse`)).statusCode).toBe(200);
    expect(await rolesOf(userId, 'GP002')).toEqual([]);
    // Asked again, approved by a platform administrator of the same organisation acting as its second administrator.
    const again = await call(admin, 'POST', `/api/users/${userId}/roles`, { roles: ['auditor'] });
    expect(again.statusCode, again.body).toBe(200);
    const second = again.json<{ pendingRoles: { id: string }[] }>().pendingRoles[0]?.id ?? '';
    expect((await call(platformSameOrganisation, 'POST', `/api/role-grants/${second}/approve`)).statusCode).toBe(200);
    expect(await rolesOf(userId, 'GP002')).toEqual(['auditor']);
  });

  it('refuses self-grants and platform-admin through the API', async () => {
    const admin = await tokenOf('admin-four', ['org-admin'], 'GP001');
    const created = await call(admin, 'POST', '/api/users', {
      displayName: 'Mr Admin',
      email: 'mr.admin@example.test',
      roles: ['viewer'],
      username: 'mr.admin',
      temporaryPassword: 'a-temporary-passphrase-3',
    });
    const userId = created.json<{ id: string }>().id;
    expect((await call(admin, 'POST', `/api/users/${userId}/roles`, { roles: ['platform-admin'] })).statusCode).toBe(403);
    expect((await call(admin, 'POST', `/api/users/${userId}/roles`, { roles: ['org-admin'] })).statusCode).toBe(200);
    expect(await rolesOf(userId, 'GP001')).toEqual(['viewer']);
    // Once an administrator, the person still cannot give themselves more, nor approve their own request.
    const grant = (
      await openRoleGrants(test.database.db, {
        ...systemCaller('x'),
        organisation: {
          odsCode: 'GP001',
          name: 'GP001',
          kind: 'gp-practice',
          ics: 'North Central London',
          dataSecurityStatus: 'standards-met',
        },
      })
    )[0];
    const asThemselves = await callerForUser(test.database.db, { id: userId }, 'GP001');
    const asAdmin = { ...asThemselves, roles: ['org-admin' as const], permissions: permissionsOf(['org-admin']) };
    await expect(requestRoles(test.database.db, asAdmin, userId, 'GP001', ['clinician'])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(decideRoleGrant(test.database.db, asAdmin, grant?.id ?? '', true)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
