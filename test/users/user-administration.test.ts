import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import { parseOidcProviders } from '../../src/auth/oidc/provider-config.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { base32Decode } from '../../src/users/base32.js';
import { confirmTotp, createLocalAccount, enrolTotp } from '../../src/users/local-accounts.js';
import { totp } from '../../src/users/totp.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

const ORIGIN = 'http://127.0.0.1:8080';
const PASSWORD = 'a-long-enough-passphrase-42';
const organisation = (odsCode: string, name: string) =>
  ({ odsCode, name, kind: 'gp-practice', ics: 'North Central London', dataSecurityStatus: 'standards-met' }) as const;

interface Signed {
  cookie: string;
  csrf: string;
}
interface UserJson {
  id: string;
  status: string;
  localAccount?: { username: string; secondFactor: string };
  memberships: { odsCode: string; roles: string[] }[];
}

/** What an organisation's and the platform's administrators do to people's accounts, and what they may not. */
describe(`user administration on ${backend}`, () => {
  let test: TestApp;
  let counter = 0;

  beforeAll(async () => {
    test = await createTestApp();
    await upsertOrganisation(test.database.db, organisation('GP001', 'Riverside Practice'));
    await upsertOrganisation(test.database.db, organisation('GP002', 'Hillside Practice'));
  });
  afterAll(() => test.close());

  /** A person with a local account and these roles in one organisation. */
  async function person(roles: Role[], odsCode = 'GP001'): Promise<{ id: string; username: string }> {
    counter += 1;
    const username = `person.${counter}`;
    const user = await createUser(test.database.db, { displayName: `Person ${counter}`, email: `${username}@example.test` });
    await addMembership(test.database.db, user.id, odsCode, roles);
    await createLocalAccount(test.database.db, { userId: user.id, username, password: PASSWORD });
    return { id: user.id, username };
  }

  const signIn = (username: string, extra: Record<string, string> = {}) =>
    test.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { username, password: PASSWORD, ...extra },
    });

  async function session(username: string): Promise<Signed> {
    const response = await signIn(username);
    expect(response.statusCode, response.body).toBe(200);
    return { cookie: String(response.headers['set-cookie']).split(';')[0] ?? '', csrf: response.json<{ csrfToken: string }>().csrfToken };
  }

  const as = (signed: Signed, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse> =>
    test.app.inject({
      method,
      url,
      headers: { cookie: signed.cookie, origin: ORIGIN, 'x-csrf-token': signed.csrf },
      ...(payload ? { payload } : {}),
    });

  const tokenOf = (roles: Role[], odsCode: string | undefined) =>
    issueTestToken(test.services, test.database.db, {
      clientId: `admin-${roles.join('-')}-${odsCode ?? 'none'}`,
      scopes: SCOPES,
      roles,
      organisationOdsCode: odsCode,
    });
  const withToken = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    test.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  const auditOf = async (resourceId: string) =>
    (
      await test.database.db.query<{ action: string; outcome: string; actor_id: string; detail: Record<string, unknown> }>(
        'SELECT action, outcome, actor_id, detail FROM audit_log WHERE resource_id = $1 ORDER BY seq',
        [resourceId],
      )
    ).rows;

  it("lists the organisation's users with roles, status and second factor; other organisations only for a platform admin", async () => {
    const admin = await session((await person(['org-admin'])).username);
    const colleague = await person(['clinician', 'viewer']);
    const elsewhere = await person(['clinician'], 'GP002');
    const listed = await as(admin, 'GET', '/api/users');
    expect(listed.statusCode, listed.body).toBe(200);
    const users = listed.json<{ users: UserJson[]; total: number }>().users;
    expect(users.find((user) => user.id === colleague.id)).toMatchObject({
      status: 'active',
      localAccount: { username: colleague.username, secondFactor: 'none' },
      memberships: [{ odsCode: 'GP001', roles: ['viewer', 'clinician'] }],
    });
    expect(users.some((user) => user.id === elsewhere.id)).toBe(false);
    expect(JSON.stringify(listed.json())).not.toMatch(/scrypt|password_hash|totp_secret/);
    const searched = await as(admin, 'GET', `/api/users?q=${colleague.username.toUpperCase()}`);
    expect(searched.json<{ users: UserJson[] }>().users.map((user) => user.id)).toEqual([colleague.id]);

    const foreign = await as(admin, 'GET', '/api/users?organisation=GP002');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<{ detail: string }>().detail).toContain('platform:admin');
    expect((await as(admin, 'GET', `/api/users/${elsewhere.id}`)).statusCode).toBe(403);

    const platform = await tokenOf(['platform-admin'], 'GP001');
    const other = await withToken(platform, 'GET', '/api/users?organisation=GP002');
    expect(other.json<{ users: UserJson[] }>().users.map((user) => user.id)).toContain(elsewhere.id);
    const all = await withToken(platform, 'GET', '/api/users?organisation=all&limit=200');
    expect(all.json<{ users: UserJson[] }>().users.map((user) => user.id)).toEqual(expect.arrayContaining([colleague.id, elsewhere.id]));
    expect((await withToken(platform, 'GET', `/api/users/${elsewhere.id}`)).statusCode).toBe(200);
  });

  it('disables a user: their session ends at once, they cannot sign in, and re-enabling lets them sign in afresh', async () => {
    const admin = await session((await person(['org-admin'])).username);
    const clinician = await person(['clinician']);
    const theirs = await session(clinician.username);
    expect((await as(theirs, 'GET', '/auth/session')).statusCode).toBe(200);

    const disabled = await as(admin, 'POST', `/api/users/${clinician.id}/disable`);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json<UserJson>().status).toBe('disabled');
    expect((await as(theirs, 'GET', '/api/organisations')).statusCode).toBe(401);
    const refused = await signIn(clinician.username);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain('disabled');

    const enabled = await as(admin, 'POST', `/api/users/${clinician.id}/enable`);
    expect(enabled.json<UserJson>().status).toBe('active');
    // The session the disabling ended stays ended; a new sign-in works.
    expect((await as(theirs, 'GET', '/api/organisations')).statusCode).toBe(401);
    expect((await signIn(clinician.username)).statusCode).toBe(200);

    const trail = await auditOf(clinician.id);
    expect(trail.map((entry) => [entry.action, entry.outcome, entry.detail['change']])).toEqual([
      ['update', 'success', 'disabled'],
      ['update', 'success', 'enabled'],
    ]);
    expect(trail[0]?.detail['sessionsEnded']).toBe(1);
  });

  it('unlocks an account locked by failed sign-ins', async () => {
    const admin = await session((await person(['org-admin'])).username);
    const locked = await person(['viewer']);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await test.app.inject({
        method: 'POST',
        url: '/auth/sign-in',
        headers: { origin: ORIGIN },
        payload: { username: locked.username, password: 'not-the-right-passphrase' },
      });
    }
    expect((await signIn(locked.username)).statusCode).toBe(429);
    expect((await as(admin, 'GET', `/api/users/${locked.id}`)).json<UserJson>().status).toBe('locked');
    const unlocked = await as(admin, 'POST', `/api/users/${locked.id}/unlock`);
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json<UserJson>().status).toBe('active');
    expect((await signIn(locked.username)).statusCode).toBe(200);
    expect((await auditOf(locked.id)).map((entry) => entry.detail['change'])).toEqual(['unlocked']);
  });

  it('resets a lost second factor: the person signs in with their password alone and may enrol again', async () => {
    const admin = await session((await person(['org-admin'])).username);
    const enrolled = await person(['clinician']);
    const { secret } = await enrolTotp(test.database.db, testSecrets, enrolled.id);
    expect(await confirmTotp(test.database.db, testSecrets, enrolled.id, totp(base32Decode(secret), new Date()))).toBe(true);
    expect((await signIn(enrolled.username)).statusCode).toBe(401);
    expect((await as(admin, 'GET', `/api/users/${enrolled.id}`)).json<UserJson>().localAccount?.secondFactor).toBe('enrolled');

    const reset = await as(admin, 'POST', `/api/users/${enrolled.id}/second-factor-reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json<UserJson>().localAccount?.secondFactor).toBe('none');
    expect((await signIn(enrolled.username)).statusCode).toBe(200);
    expect((await auditOf(enrolled.id)).map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ change: 'second-factor-reset', hadSecondFactor: true }),
    ]);
  });

  it('takes a role away; the last role ends the membership', async () => {
    const admin = await session((await person(['org-admin'])).username);
    const target = await person(['viewer', 'contributor']);
    const removed = await as(admin, 'DELETE', `/api/users/${target.id}/roles/contributor`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ roles: ['viewer'] });
    expect((await as(admin, 'DELETE', `/api/users/${target.id}/roles/contributor`)).statusCode).toBe(404);
    expect((await as(admin, 'DELETE', `/api/users/${target.id}/roles/viewer`)).json()).toEqual({ roles: [] });
    expect((await signIn(target.username)).statusCode).toBe(403);
  });

  it('refuses anyone changing their own account, with a clear 403, audited, and changes nothing', async () => {
    const self = await person(['org-admin']);
    const admin = await session(self.username);
    for (const [method, path] of [
      ['POST', 'disable'],
      ['POST', 'unlock'],
      ['POST', 'second-factor-reset'],
      ['DELETE', 'roles/org-admin'],
    ] as const) {
      const response = await as(admin, method, `/api/users/${self.id}/${path}`);
      expect(response.statusCode, path).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<{ detail: string }>().detail).toMatch(/nobody changes their own account/);
    }
    expect((await as(admin, 'POST', `/api/users/${self.id}/roles`, { roles: ['viewer'] })).statusCode).toBe(403);
    expect((await as(admin, 'GET', `/api/users/${self.id}`)).json<UserJson>()).toMatchObject({
      status: 'active',
      memberships: [{ odsCode: 'GP001', roles: ['org-admin'] }],
    });
    const refusals = (await auditOf(self.id)).filter((entry) => entry.action === 'access-denied');
    expect(refusals.map((entry) => entry.detail['attempted'])).toEqual(
      expect.arrayContaining(['disable', 'unlock', 'second-factor-reset', 'role-removal', 'roles']),
    );
    expect(refusals.every((entry) => entry.outcome === 'denied' && entry.actor_id === self.id)).toBe(true);
  });

  it("keeps an organisation's administrators to their own members, and away from platform administrators", async () => {
    const admin = await session((await person(['org-admin'])).username);
    const elsewhere = await person(['viewer'], 'GP002');
    const operator = await person(['platform-admin']);
    const foreign = await as(admin, 'POST', `/api/users/${elsewhere.id}/disable`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<{ detail: string }>().detail).toContain('not a member of GP001');
    const platformTarget = await as(admin, 'POST', `/api/users/${operator.id}/disable`);
    expect(platformTarget.statusCode).toBe(403);
    expect(platformTarget.json<{ detail: string }>().detail).toContain('only a platform administrator');
    expect((await signIn(operator.username)).statusCode).toBe(200);
    // A platform administrator may stop an account anywhere.
    const platform = await tokenOf(['platform-admin'], 'GP001');
    expect((await withToken(platform, 'POST', `/api/users/${elsewhere.id}/disable`)).statusCode).toBe(200);
    expect((await signIn(elsewhere.username)).statusCode).toBe(403);
  });
});

/** Machine clients: platform administrators register, rotate and disable them. */
describe(`machine client administration on ${backend}`, () => {
  let test: TestApp;
  const FORM = 'application/x-www-form-urlencoded';
  beforeAll(async () => {
    test = await createTestApp({ env: { UCP_BOOTSTRAP_CLIENT_ID: 'installer', UCP_BOOTSTRAP_CLIENT_SECRET: 'x'.repeat(32) } });
    await upsertOrganisation(test.database.db, organisation('GP001', 'Riverside Practice'));
  });
  afterAll(() => test.close());

  const platformToken = (clientId = 'platform-operator') =>
    issueTestToken(test.services, test.database.db, { clientId, scopes: SCOPES, roles: ['platform-admin'], organisationOdsCode: 'GP001' });
  const call = async (method: 'GET' | 'POST', url: string, payload?: object, token?: string) =>
    test.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token ?? (await platformToken())}` },
      ...(payload ? { payload } : {}),
    });
  const tokenRequest = (clientId: string, secret: string, scope?: string) =>
    test.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
      payload: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
    });

  it('registers a client with limited scopes, shows its secret once, rotates it (the old one is refused) and disables it', async () => {
    const created = await call('POST', '/api/clients', {
      clientId: 'gp-record-feed',
      name: 'Riverside record system feed',
      organisation: 'GP001',
      roles: ['viewer'],
      scopes: ['plan:read', 'fhir:read'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { client, secret } = created.json<{ client: { scopes: string[]; status: string }; secret: string }>();
    expect(client).toMatchObject({ scopes: ['plan:read', 'fhir:read'], status: 'active', bootstrap: false });
    expect((await tokenRequest('gp-record-feed', secret)).statusCode).toBe(200);
    expect((await tokenRequest('gp-record-feed', secret, 'admin')).json()).toMatchObject({ error: 'invalid_scope' });

    const listed = await call('GET', '/api/clients');
    expect(listed.json<{ clientId: string }[]>().map((each) => each.clientId)).toContain('gp-record-feed');
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain('scrypt');

    const rotated = await call('POST', '/api/clients/gp-record-feed/secret-rotation');
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json<{ secret: string }>().secret;
    expect(fresh).not.toBe(secret);
    expect((await tokenRequest('gp-record-feed', secret)).json()).toMatchObject({ error: 'invalid_client' });
    expect((await tokenRequest('gp-record-feed', fresh)).statusCode).toBe(200);

    const disabled = await call('POST', '/api/clients/gp-record-feed/disable');
    expect(disabled.json()).toMatchObject({ status: 'disabled', disabledAt: expect.any(String) });
    expect((await tokenRequest('gp-record-feed', fresh)).json()).toMatchObject({ error: 'invalid_client' });
    expect((await call('POST', '/api/clients/gp-record-feed/secret-rotation')).statusCode).toBe(409);

    const { rows } = await test.database.db.query<{ action: string; detail: Record<string, unknown> }>(
      "SELECT action, detail FROM audit_log WHERE resource_type = 'client' AND resource_id = 'gp-record-feed' ORDER BY seq",
    );
    expect(rows.map((row) => row.action)).toEqual(['create', 'update', 'update']);
    expect(rows[0]?.detail).toMatchObject({ organisation: 'GP001', roles: ['viewer'], scopes: ['plan:read', 'fhir:read'] });
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('refuses bad input with a clear problem and registers nothing', async () => {
    const base = { name: 'Feed', organisation: 'GP001', roles: ['viewer'], scopes: ['plan:read'] };
    const platformRole = await call('POST', '/api/clients', { ...base, roles: ['platform-admin'] });
    expect(platformRole.statusCode).toBe(400);
    expect((await call('POST', '/api/clients', { ...base, scopes: [] })).statusCode).toBe(400);
    const unknownOrganisation = await call('POST', '/api/clients', { ...base, clientId: 'orphan', organisation: 'NOWHERE1' });
    expect(unknownOrganisation.statusCode).toBe(422);
    expect(unknownOrganisation.json<{ errors: { path: string }[] }>().errors).toEqual([expect.objectContaining({ path: '/organisation' })]);
    expect((await call('POST', '/api/clients/orphan/disable')).statusCode).toBe(404);
  });

  it('is for platform administrators only; a client does not change itself; the bootstrap client is changed in the environment', async () => {
    const orgAdmin = await issueTestToken(test.services, test.database.db, {
      clientId: 'org-admin-client',
      scopes: SCOPES,
      roles: ['org-admin'],
      organisationOdsCode: 'GP001',
    });
    expect((await call('GET', '/api/clients', undefined, orgAdmin)).statusCode).toBe(403);
    const self = await platformToken('self-rotator');
    const own = await call('POST', '/api/clients/self-rotator/secret-rotation', undefined, self);
    expect(own.statusCode).toBe(403);
    expect(own.json<{ detail: string }>().detail).toContain('does not rotate the secret of itself');
    await test.database.db.query(
      "INSERT INTO oauth_client (client_id, name, secret_hash) VALUES ('installer', 'Bootstrap', 'x') ON CONFLICT DO NOTHING",
    );
    const bootstrap = await call('POST', '/api/clients/installer/disable');
    expect(bootstrap.statusCode).toBe(409);
    expect(bootstrap.json<{ detail: string }>().detail).toContain('UCP_BOOTSTRAP_CLIENT_ID');
  });
});

describe(`identity providers on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    const providers = parseOidcProviders([
      {
        id: 'trust-entra',
        displayName: 'Riverside Trust (Microsoft Entra ID)',
        issuer: 'https://login.example.test/tenant/v2.0',
        clientId: 'ucp-web',
        clientSecret: 'very-secret-client-secret-value',
        claims: {
          organisation: { from: 'fixed', odsCode: 'GP001' },
          roles: { from: 'claim-table', claim: 'groups', table: { g1: ['clinician'] } },
        },
      },
    ]);
    test = await createTestApp({ identityProviders: providers });
  });
  afterAll(() => test.close());

  it('lists the configured providers for platform administrators, never with a secret', async () => {
    const token = async (roles: Role[], clientId: string) =>
      issueTestToken(test.services, test.database.db, { clientId, scopes: SCOPES, roles, organisationOdsCode: undefined });
    const listed = await test.app.inject({
      method: 'GET',
      url: '/api/identity-providers',
      headers: { authorization: `Bearer ${await token(['platform-admin'], 'operator')}` },
    });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toEqual([
      expect.objectContaining({
        id: 'trust-entra',
        clientAuthentication: 'client_secret_basic',
        organisationFrom: 'fixed: GP001',
        roleTable: { g1: ['clinician'] },
        loginPath: '/auth/oidc/trust-entra/login',
      }),
    ]);
    expect(listed.body).not.toContain('very-secret-client-secret-value');
    const orgAdmin = await test.app.inject({
      method: 'GET',
      url: '/api/identity-providers',
      headers: { authorization: `Bearer ${await token(['org-admin'], 'org-admin')}` },
    });
    expect(orgAdmin.statusCode).toBe(403);
  });
});
