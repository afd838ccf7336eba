import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePersonAccess, type PersonAccessFacts } from '../../src/access/access-policy.js';
import type { Caller, CallerOrganisation } from '../../src/access/caller.js';
import { permissionsOf, ROLES, type Permission, type Role } from '../../src/access/roles.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { createLocalAccount } from '../../src/users/local-accounts.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import type { RoutePolicy } from '../../src/http/route-policy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { unknownToPds } from '../support/test-pds.js';
import { ehrStatusFor, nextTestNhsNumber, readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';

const ORIGIN = 'http://127.0.0.1:8080';
const ambulance: CallerOrganisation = {
  odsCode: 'AMB01',
  name: 'Ambulance',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
const gp: CallerOrganisation = {
  odsCode: 'GP001',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'North Central London',
  dataSecurityStatus: 'standards-met',
};
const hospice: CallerOrganisation = {
  odsCode: 'HOSP1',
  name: 'Thames Hospice',
  kind: 'hospice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};

describe(`the policy point on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  let nhsNumber: string;

  const tokenFor = async (roles: Role[], organisation: CallerOrganisation) =>
    await issueTestToken(test.services, test.database.db, {
      clientId: `client-${roles.join('-')}-${organisation.odsCode}`,
      scopes: SCOPES,
      roles,
      organisationOdsCode: organisation.odsCode,
    });
  const as = (token: string, options: InjectOptions) =>
    test.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    test = await createTestApp();
    const { db } = test.database;
    for (const organisation of [ambulance, gp, hospice]) await upsertOrganisation(db, organisation);
    // A number the tests' PDS does not know: a PDS answer would replace the registration set here
    // (access follows the registered GP that PDS holds), and the matrix needs this one to stay.
    nhsNumber = unknownToPds();
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    await db.query("INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, 'GP001', 'registered-gp')", [nhsNumber]);
  });
  afterAll(() => test.close());

  it('refuses to start when a route declares no policy', async () => {
    await expect(createTestApp({ extend: (app) => app.get('/api/undeclared', async () => ({})) })).rejects.toThrow(
      /routes without an access policy.*GET \/api\/undeclared/,
    );
  });

  it('answers 401 without credentials and with a forged token', async () => {
    const none = await test.app.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}` });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const forged = await test.app.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}`,
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await tokenFor(['viewer'], ambulance);
    expect((await as(viewer, { method: 'GET', url: `/openehr/v1/ehr/${ehrId}/ehr_status` })).statusCode).toBe(200);
    const write = await as(viewer, {
      method: 'POST',
      url: `/openehr/v1/ehr/${ehrId}/directory`,
      payload: { _type: 'FOLDER', archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1', name: { value: 'root' } },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json<{ message: string }>().message).toContain('plan:write-clinical');
  });

  it("refuses a clinician with no relationship until they break the glass, and shows it in the audit and the person's access report", async () => {
    const stranger = await tokenFor(['clinician'], hospice);
    const refused = await as(stranger, { method: 'GET', url: `/openehr/v1/ehr/${ehrId}` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ message: string }>().message).toContain('x-ucp-break-glass-reason');
    const allowed = await as(stranger, {
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}`,
      headers: { 'x-ucp-break-glass-reason': 'unable-to-consent: Patient admitted unconscious to our inpatient unit' },
    });
    expect(allowed.statusCode).toBe(200);
    const report = await queryAudit(test.database.db, { nhsNumber, limit: 50 });
    const actions = report.entries.map((entry) => [entry.action, entry.outcome, entry.odsCode]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['access-denied', 'denied', 'HOSP1'],
        ['break-glass', 'success', 'HOSP1'],
        ['read', 'success', 'HOSP1'],
      ]),
    );
    expect(report.entries.find((entry) => entry.action === 'break-glass')?.breakGlassReason).toBe(
      'unable-to-consent: Patient admitted unconscious to our inpatient unit',
    );
  });

  it('holds a token to its scopes: a read-only token cannot write, whatever its roles', async () => {
    const readOnly = await issueTestToken(test.services, test.database.db, {
      clientId: 'reader',
      scopes: ['openehr:read'],
      roles: ['clinician'],
      organisationOdsCode: 'GP001',
    });
    expect((await as(readOnly, { method: 'GET', url: `/openehr/v1/ehr/${ehrId}` })).statusCode).toBe(200);
    const write = await as(readOnly, {
      method: 'POST',
      url: `/openehr/v1/ehr/${ehrId}/directory`,
      payload: { _type: 'FOLDER', archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1', name: { value: 'root' } },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json<{ message: string }>().message).toContain('openehr:write');
  });

  it("lets the registered GP's clinician write", async () => {
    const clinician = await tokenFor(['clinician'], gp);
    const response = await as(clinician, { method: 'GET', url: `/openehr/v1/ehr/${ehrId}/directory` });
    expect(response.statusCode).toBe(404);
  });

  it('lets a person sign in and read only their own record', async () => {
    const { db } = test.database;
    const person = await createUser(db, { displayName: 'The Person', email: 'person@example.test', nhsNumber });
    await addMembership(db, person.id, 'GP001', ['patient']);
    await createLocalAccount(db, { userId: person.id, username: 'the.person', password: 'a-long-enough-passphrase-42' });
    const signIn = await test.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { username: 'the.person', password: 'a-long-enough-passphrase-42' },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    expect((await test.app.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}`, headers: { cookie } })).statusCode).toBe(200);
    const other = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nextTestNhsNumber()) });
    const otherEhr = String(other.headers['location']).split('/ehr/')[1] ?? '';
    expect((await test.app.inject({ method: 'GET', url: `/openehr/v1/ehr/${otherEhr}`, headers: { cookie } })).statusCode).toBe(403);
  });

  // Generated from the route table: every route × every role a machine client can hold × with and
  // without a relationship to the person. The expected outcome follows from the route's declared
  // policy alone; the request goes through the real authentication and policy point.
  it('decides every route for every role, with and without a relationship, as its policy says', async () => {
    const routes = test.app.accessRoutes.filter((route) => route.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((route) => route.url)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/api/system', '/auth/sign-in', '/oauth2/token']),
    );
    const clientRoles = ROLES.filter((role) => role !== 'patient');
    const mismatches: string[] = [];
    for (const route of routes) {
      const policy = route.config?.policy as RoutePolicy | undefined;
      expect(policy, `${String(route.method)} ${route.url}`).toBeDefined();
      if (!policy) continue;
      for (const role of clientRoles) {
        for (const related of [true, false]) {
          const organisation = related ? gp : hospice;
          const expected = expectedOutcome(policy, role, organisation, related);
          const url = route.url
            .replace(':ehr_id', ehrId)
            .replace(':nhs_number', nhsNumber)
            .replace(/:[a-z_]+/g, 'x')
            .replace('/*', '/x');
          const method = String(route.method) as InjectOptions['method'];
          const response = await as(await tokenFor([role], organisation), {
            method,
            url,
            headers: { origin: ORIGIN },
            ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
            // Resolve at the status line: an event stream's body never ends by itself.
            payloadAsStream: true,
          });
          const actual = response.statusCode === 401 || response.statusCode === 403 ? 'refused' : 'allowed';
          if (actual !== expected)
            mismatches.push(
              `${String(route.method)} ${route.url} as ${role} (${related ? 'related' : 'unrelated'}): expected ${expected}, got ${response.statusCode}`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);

    function expectedOutcome(policy: RoutePolicy, role: Role, organisation: CallerOrganisation, related: boolean): 'allowed' | 'refused' {
      const permissions = permissionsOf([role]);
      switch (policy.kind) {
        case 'public':
        case 'authenticated':
          return 'allowed';
        // An embedded form answers its own session's cookie only, never a token.
        case 'session':
        case 'embedded':
          return 'refused';
        case 'permission': {
          const wanted: readonly Permission[] = typeof policy.permission === 'string' ? [policy.permission] : policy.permission;
          return wanted.some((permission) => permissions.has(permission)) ? 'allowed' : 'refused';
        }
        case 'person': {
          const caller: Caller = {
            kind: 'client',
            id: 'x',
            displayName: 'x',
            organisation,
            roles: [role],
            permissions,
            scopes: SCOPES,
            launchContextNhsNumber: undefined,
            ownNhsNumber: undefined,
            breakGlassReason: undefined,
            purposeOfUse: 'direct-care',
            clientAddress: undefined,
            sessionId: undefined,
          };
          const facts: PersonAccessFacts = {
            nhsNumber,
            careTeamOdsCodes: new Set(),
            registeredGpOdsCode: related ? 'GP001' : undefined,
            consentToShare: true,
          };
          return decidePersonAccess(caller, policy.action, facts).allowed ? 'allowed' : 'refused';
        }
      }
    }
    // Every route × every client role × two relationships: hundreds of requests, slow on a busy machine.
  }, 180_000);
});

describe(`audit reports on ${backend}`, () => {
  let test: TestApp;
  const nhsNumber = nextTestNhsNumber();
  beforeAll(async () => {
    test = await createTestApp();
    for (const organisation of [ambulance, hospice]) await upsertOrganisation(test.database.db, organisation);
  });
  afterAll(() => test.close());

  const token = async (roles: Role[], organisation: CallerOrganisation) =>
    await issueTestToken(test.services, test.database.db, {
      clientId: `c-${roles.join('-')}`,
      scopes: SCOPES,
      roles,
      organisationOdsCode: organisation.odsCode,
    });

  it("filters an auditor's trail by the person it is about, and refuses a number that is not one", async () => {
    const someone = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(someone) });
    const ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    // The ambulance service reads with its standing emergency access: no break-glass for the other tests to see.
    const clinician = await token(['clinician'], ambulance);
    await test.app.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}`,
      headers: { authorization: `Bearer ${clinician}` },
    });
    const auditor = await token(['auditor'], ambulance);
    const as = (url: string) => test.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${auditor}` } });
    const filtered = await as(`/api/audit?nhsNumber=${someone}`);
    expect(filtered.statusCode).toBe(200);
    const entries = filtered.json<{ entries: { nhsNumber?: string }[] }>().entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.nhsNumber === someone)).toBe(true);
    expect((await as(`/api/audit?nhsNumber=${nextTestNhsNumber()}`)).json<{ entries: unknown[] }>().entries).toEqual([]);
    expect((await as('/api/audit?nhsNumber=1234567890')).statusCode).toBe(400);
  });

  it("shows an auditor their organisation's break-glass accesses, and any person's access report, also as FHIR AuditEvents", async () => {
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    const ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    const clinician = await token(['clinician'], hospice);
    const read = await test.app.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}`,
      headers: {
        authorization: `Bearer ${clinician}`,
        'x-ucp-break-glass-reason': 'unable-to-consent: Admitted unconscious, no records to hand',
      },
    });
    expect(read.statusCode).toBe(200);

    const auditor = await token(['auditor'], hospice);
    const flags = await test.app.inject({
      method: 'GET',
      url: '/api/audit?action=break-glass',
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(flags.statusCode).toBe(200);
    expect(flags.json<{ entries: { odsCode: string; breakGlassReason: string }[] }>().entries).toEqual([
      expect.objectContaining({ odsCode: 'HOSP1', breakGlassReason: 'unable-to-consent: Admitted unconscious, no records to hand' }),
    ]);

    const report = await test.app.inject({
      method: 'GET',
      url: `/api/people/${nhsNumber}/access-report`,
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(report.json<{ entries: { action: string }[] }>().entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['read', 'break-glass']),
    );
    expect(JSON.stringify(report.json())).not.toContain('prevHash');

    const fhir = await test.app.inject({
      method: 'GET',
      url: `/api/people/${nhsNumber}/access-report`,
      headers: { authorization: `Bearer ${auditor}`, accept: 'application/fhir+json' },
    });
    expect(fhir.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(fhir.json()).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: expect.arrayContaining([expect.objectContaining({ resource: expect.objectContaining({ resourceType: 'AuditEvent' }) })]),
    });
  });

  it("limits an auditor to what their own organisation did in a person's report, unless trusted with a wider scope", async () => {
    const ambulanceAuditor = await issueTestToken(test.services, test.database.db, {
      clientId: 'ambulance-auditor',
      scopes: ['plan:read'],
      roles: ['auditor'],
      organisationOdsCode: ambulance.odsCode,
    });
    const own = await test.app.inject({
      method: 'GET',
      url: `/api/people/${nhsNumber}/access-report`,
      headers: { authorization: `Bearer ${ambulanceAuditor}` },
    });
    expect(own.statusCode).toBe(200);
    // The hospice read this person's record; the ambulance service did not.
    expect(own.json<{ entries: { odsCode?: string }[] }>().entries.every((entry) => entry.odsCode === 'RRU')).toBe(true);
    expect(own.json<{ entries: { odsCode?: string }[] }>().entries.some((entry) => entry.odsCode === 'HOSP1')).toBe(false);
    const national = await issueTestToken(test.services, test.database.db, {
      clientId: 'national-ig-service',
      scopes: ['audit:all-organisations'],
      roles: ['auditor'],
      organisationOdsCode: ambulance.odsCode,
    });
    const wide = await test.app.inject({
      method: 'GET',
      url: `/api/people/${nhsNumber}/access-report`,
      headers: { authorization: `Bearer ${national}` },
    });
    expect(wide.json<{ entries: { odsCode?: string }[] }>().entries.some((entry) => entry.odsCode === 'HOSP1')).toBe(true);
  });

  it('refuses the reports to callers who are neither auditors nor the person', async () => {
    const viewer = await token(['viewer'], ambulance);
    expect((await test.app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${viewer}` } })).statusCode).toBe(
      403,
    );
    expect(
      (
        await test.app.inject({
          method: 'GET',
          url: `/api/people/${nhsNumber}/access-report`,
          headers: { authorization: `Bearer ${viewer}` },
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe(`senior clinical decisions on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  beforeAll(async () => {
    test = await createTestApp({ env: { UCP_MAX_BODY_BYTES: String(10 * 1024 * 1024) } });
    await upsertOrganisation(test.database.db, gp);
    const nhsNumber = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    await test.database.db.query("INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, 'GP001', 'registered-gp')", [
      nhsNumber,
    ]);
    const opt = await readOpenEhrFixture(`${SDK}operationaltemplate/ReSPECT-3.v0.opt`);
    expect(
      (
        await test.inject({
          method: 'POST',
          url: '/openehr/v1/definition/template/adl1.4',
          headers: { 'content-type': 'application/xml' },
          payload: opt,
        })
      ).statusCode,
    ).toBe(201);
  });
  afterAll(() => test.close());

  it('refuses a CPR recommendation from a clinician and takes it from a senior clinician', async () => {
    const flat = await readOpenEhrJson(`${SDK}composition/flat/simSDT/ReSPECT.json`);
    const post = async (role: Role) => {
      const token = await issueTestToken(test.services, test.database.db, {
        clientId: role,
        scopes: SCOPES,
        roles: [role],
        organisationOdsCode: 'GP001',
      });
      return test.app.inject({
        method: 'POST',
        url: `/openehr/v1/ehr/${ehrId}/composition?templateId=ReSPECT-3.v0&format=FLAT`,
        headers: { authorization: `Bearer ${token}` },
        payload: flat,
      });
    };
    const byClinician = await post('clinician');
    expect(byClinician.statusCode).toBe(403);
    expect(byClinician.json<{ message: string }>().message).toContain('plan:approve');
    expect((await post('senior-clinician')).statusCode).toBe(201);
    const denied = await test.database.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'access-denied' AND detail->>'explanation' LIKE '%CPR%'",
    );
    expect(denied.rows).toEqual([{ n: 1 }]);
  });
});

describe(`administration on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  const token = async (roles: Role[], odsCode: string | undefined) =>
    await issueTestToken(test.services, test.database.db, {
      clientId: `admin-${roles.join('-')}-${odsCode ?? 'none'}`,
      scopes: SCOPES,
      roles,
      organisationOdsCode: odsCode,
    });

  it('lets a platform admin add organisations, an org admin add users and reset their passwords, and nobody else', async () => {
    const platform = await token(['platform-admin'], undefined);
    for (const organisation of [gp, hospice]) {
      const put = await test.app.inject({
        method: 'PUT',
        url: `/api/organisations/${organisation.odsCode}`,
        headers: { authorization: `Bearer ${platform}` },
        payload: organisation,
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    const viewer = await token(['viewer'], 'GP001');
    expect(
      (
        await test.app.inject({
          method: 'PUT',
          url: '/api/organisations/GP001',
          headers: { authorization: `Bearer ${viewer}` },
          payload: gp,
        })
      ).statusCode,
    ).toBe(403);

    const gpAdmin = await token(['org-admin'], 'GP001');
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${gpAdmin}` },
      payload: {
        displayName: 'Dr New',
        email: 'new@example.test',
        roles: ['clinician'],
        username: 'dr.new',
        temporaryPassword: 'temporary-passphrase-2026',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const userId = created.json<{ id: string }>().id;

    const signIn = (body: Record<string, string>) =>
      test.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { origin: ORIGIN }, payload: body });
    expect((await signIn({ username: 'dr.new', password: 'temporary-passphrase-2026' })).statusCode).toBe(403);
    const changed = await signIn({ username: 'dr.new', password: 'temporary-passphrase-2026', newPassword: 'my-own-secret-passphrase-7' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ organisation: { odsCode: 'GP001' }, roles: ['clinician'] });

    const hospiceAdmin = await token(['org-admin'], 'HOSP1');
    const foreign = await test.app.inject({
      method: 'POST',
      url: `/api/users/${userId}/password-reset`,
      headers: { authorization: `Bearer ${hospiceAdmin}` },
      payload: { temporaryPassword: 'another-temporary-pass-1' },
    });
    expect(foreign.statusCode).toBe(403);
    const reset = await test.app.inject({
      method: 'POST',
      url: `/api/users/${userId}/password-reset`,
      headers: { authorization: `Bearer ${gpAdmin}` },
      payload: { temporaryPassword: 'another-temporary-pass-1' },
    });
    expect(reset.statusCode, reset.body).toBe(204);
    expect((await signIn({ username: 'dr.new', password: 'another-temporary-pass-1' })).statusCode).toBe(403);

    // The creation, the other organisation's refused reset, and the reset.
    const audit = await test.database.db.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_log WHERE resource_type = 'user' AND resource_id = $1 ORDER BY seq",
      [userId],
    );
    expect(audit.rows).toEqual([
      { action: 'create', outcome: 'success' },
      { action: 'access-denied', outcome: 'denied' },
      { action: 'update', outcome: 'success' },
    ]);
  });
});

describe(`writes and their audit records on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  beforeAll(async () => {
    test = await createTestApp();
    await upsertOrganisation(test.database.db, gp);
    const nhsNumber = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    await test.database.db.query("INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, 'GP001', 'registered-gp')", [
      nhsNumber,
    ]);
  });
  afterAll(() => test.close());

  const folder = { _type: 'FOLDER', archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1', name: { _type: 'DV_TEXT', value: 'root' } };
  const asClinician = async () =>
    await issueTestToken(test.services, test.database.db, {
      clientId: 'gp-clinician',
      scopes: SCOPES,
      roles: ['clinician'],
      organisationOdsCode: 'GP001',
    });

  it('records a write in the same transaction: no audit record, no write', async () => {
    const { db } = test.database;
    // Make every audit append fail, as a full disk would; then put it back.
    const { rows: saved } = await db.query<{ definition: string }>(
      "SELECT pg_get_functiondef('audit_log_check_positions'::regproc) AS definition",
    );
    await db.exec(`CREATE OR REPLACE FUNCTION audit_log_check_positions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit store unavailable'; END; $$`);
    const refused = await test.app.inject({
      method: 'POST',
      url: `/openehr/v1/ehr/${ehrId}/directory`,
      headers: { authorization: `Bearer ${await asClinician()}` },
      payload: folder,
    });
    expect(refused.statusCode).toBe(503);
    expect(
      (await db.query('SELECT count(*)::int AS n FROM object_version WHERE ehr_id = $1 AND object_type = $2', [ehrId, 'FOLDER'])).rows,
    ).toEqual([{ n: 0 }]);
    await db.exec(saved[0]?.definition ?? '');

    const written = await test.app.inject({
      method: 'POST',
      url: `/openehr/v1/ehr/${ehrId}/directory`,
      headers: { authorization: `Bearer ${await asClinician()}` },
      payload: folder,
    });
    expect(written.statusCode, written.body).toBe(201);
    const { rows } = await db.query<{ action: string; ods_code: string; resource_type: string }>(
      "SELECT action, ods_code, resource_type FROM audit_log WHERE ehr_id = $1 AND action = 'create' AND detail->>'route' LIKE '%/directory'",
      [ehrId],
    );
    expect(rows).toEqual([{ action: 'create', ods_code: 'GP001', resource_type: 'CONTRIBUTION' }]);
  });
});
