import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerOrganisation } from '../../src/access/caller.js';
import type { Role } from '../../src/access/roles.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { PdsStub } from '../../src/demographics/stub/pds-stub.js';
import { SANDBOX_NHS_NUMBERS as SANDBOX, sandboxStubData } from '../../src/demographics/stub/sandbox-patients.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { nhsCheckDigit } from '../../src/nhs/nhs-number.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { createLocalAccount } from '../../src/users/local-accounts.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { ehrStatusFor } from '../support/fixtures.js';
import { startPdsStubServer, type PdsStubServer } from '../support/pds-stub-server.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';

const ORIGIN = 'http://127.0.0.1:8080';
const ambulance: CallerOrganisation = {
  odsCode: 'AMB01',
  name: 'Ambulance',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
// The practice PDS (the local stub) has the demo people registered with.
const practice: CallerOrganisation = {
  odsCode: 'DEMOGP1',
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

// Demo people are in the local stub's PDS (src/demo/synthetic-demographics.ts).
const [, , , ada, bea] = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED);

/** The contract's fields (docs/demographics.md); nothing else leaves. */
const PERSON_FIELDS = [
  'address',
  'birthDate',
  'deceased',
  'gender',
  'name',
  'nhsNumber',
  'nhsNumberStatus',
  'plan',
  'registeredGp',
  'restricted',
  'retrievedAt',
  'source',
  'supersededBy',
  'telecom',
  'verification',
  'version',
];

interface PersonBody {
  nhsNumber: string;
  verification: string;
  restricted: boolean;
  name: { text: string; given: string[]; family: string } | null;
  birthDate: string | null;
  address: { lines: string[]; postalCode: string | null } | null;
  telecom: { system: string; value: string }[];
  registeredGp: { odsCode: string; name: string | null } | null;
  deceased: { date: string } | null;
  supersededBy: string | null;
  source: string;
  retrievedAt: string;
  version: number | null;
  plan: { ehrId: string; status: string; reviewDate?: string | null } | null;
}

describe(`the people API on ${backend}`, () => {
  let test: TestApp;
  const tokenFor = async (roles: Role[], organisation: CallerOrganisation) =>
    issueTestToken(test.services, test.database.db, {
      clientId: `client-${roles.join('-')}-${organisation.odsCode}`,
      scopes: SCOPES,
      roles,
      organisationOdsCode: organisation.odsCode,
    });
  const as = async (roles: Role[], organisation: CallerOrganisation, options: InjectOptions) =>
    test.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${await tokenFor(roles, organisation)}` } });
  const audit = async (nhsNumber: string) =>
    (
      await test.database.db.query<{
        action: string;
        outcome: string;
        ods_code: string;
        basis: string | null;
        resource_type: string | null;
      }>("SELECT action, outcome, ods_code, detail->>'basis' AS basis, resource_type FROM audit_log WHERE nhs_number = $1 ORDER BY seq", [
        nhsNumber,
      ])
    ).rows;

  beforeAll(async () => {
    test = await createTestApp();
    for (const organisation of [ambulance, practice, hospice]) await upsertOrganisation(test.database.db, organisation);
    // The registered GP relationship comes from the demographics service, as in the running system.
    await test.services.demographics.lookup(ada?.nhsNumber ?? '');
  });
  afterAll(() => test.close());

  it("shows a crew member with standing emergency access the person's identity, and audits the read", async () => {
    const response = await as(['viewer'], ambulance, { method: 'GET', url: `/api/people/${ada?.nhsNumber}` });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<PersonBody>();
    expect(Object.keys(body).sort()).toEqual(PERSON_FIELDS);
    expect(body).toMatchObject({
      nhsNumber: ada?.nhsNumber,
      verification: 'verified',
      restricted: false,
      birthDate: ada?.birthDate,
      gender: ada?.gender,
      registeredGp: { odsCode: 'DEMOGP1', name: 'Riverside Practice' },
      deceased: null,
      supersededBy: null,
      source: 'pds-stub',
      version: 1,
      plan: null,
    });
    expect(body.name?.family).toBe(ada?.familyName);
    expect(body.name?.given[0]).toBe(ada?.givenName);
    expect(body.address?.postalCode).toBe(ada?.postcode);
    expect(body.address?.lines.at(-1)).toBe('London');
    expect(await audit(ada?.nhsNumber ?? '')).toEqual([
      { action: 'read', outcome: 'success', ods_code: 'AMB01', basis: 'emergency-access', resource_type: 'route' },
    ]);
  });

  it('lets the registered practice read, refuses a clinician with no relationship (learning nothing, storing nothing) until they break the glass', async () => {
    expect((await as(['clinician'], practice, { method: 'GET', url: `/api/people/${ada?.nhsNumber}` })).statusCode).toBe(200);

    const nhsNumber = bea?.nhsNumber ?? '';
    const refused = await as(['clinician'], hospice, { method: 'GET', url: `/api/people/${nhsNumber}` });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json<{ detail: string }>().detail).toContain('x-ucp-break-glass-reason');
    const stored = await test.database.db.query('SELECT 1 FROM person_demographics WHERE nhs_number = $1', [nhsNumber]);
    expect(stored.rows).toEqual([]);

    const broken = await as(['clinician'], hospice, {
      method: 'GET',
      url: `/api/people/${nhsNumber}`,
      headers: { 'x-ucp-break-glass-reason': 'unable-to-consent: Admitted to our inpatient unit unconscious, no referral yet' },
    });
    expect(broken.statusCode).toBe(200);
    expect(broken.json<PersonBody>().name?.family).toBe(bea?.familyName);
    expect(await audit(nhsNumber)).toEqual([
      { action: 'access-denied', outcome: 'denied', ods_code: 'HOSP1', basis: null, resource_type: 'route' },
      { action: 'break-glass', outcome: 'success', ods_code: 'HOSP1', basis: null, resource_type: null },
      { action: 'read', outcome: 'success', ods_code: 'HOSP1', basis: 'break-glass', resource_type: 'route' },
    ]);
  });

  it('lets a person read their own identity and nobody else’s', async () => {
    const { db } = test.database;
    const person = await createUser(db, { displayName: 'Ada', email: 'ada@example.test', nhsNumber: ada?.nhsNumber ?? '' });
    await addMembership(db, person.id, practice.odsCode, ['patient']);
    await createLocalAccount(db, { userId: person.id, username: 'ada.person', password: 'a-long-enough-passphrase-42' });
    const signIn = await test.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { username: 'ada.person', password: 'a-long-enough-passphrase-42' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    expect((await test.app.inject({ method: 'GET', url: `/api/people/${ada?.nhsNumber}`, headers: { cookie } })).statusCode).toBe(200);
    expect((await test.app.inject({ method: 'GET', url: `/api/people/${bea?.nhsNumber}`, headers: { cookie } })).statusCode).toBe(403);
    expect(
      (await test.app.inject({ method: 'GET', url: `/api/people?family=Smith&given=Jane&birthdate=2010-10-22`, headers: { cookie } }))
        .statusCode,
    ).toBe(403);
  });

  it('refuses a typo with 404 and a malformed number with 400, and records nothing', async () => {
    // One digit changed (the check digit recomputed): a valid number nobody has. A change in the
    // last digits of a demo number would land on another demo person, as a real typo can.
    const number = ada?.nhsNumber ?? '';
    const typo =
      [5, 6, 7, 8]
        .map((digit) => `${number.slice(0, 3)}${digit}${number.slice(4, 9)}`)
        .map((nine) => `${nine}${nhsCheckDigit(nine) ?? 'x'}`)
        .find((candidate) => !candidate.endsWith('x')) ?? '';
    const notFound = await as(['viewer'], ambulance, { method: 'GET', url: `/api/people/${typo}` });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'not-found',
      detail: expect.stringContaining('does not know'),
    });
    for (const malformed of [SANDBOX.invalid, '12345', 'abcdefghij']) {
      const response = await as(['viewer'], ambulance, { method: 'GET', url: `/api/people/${malformed}` });
      expect(response.statusCode, malformed).toBe(400);
    }
    const { rows } = await test.database.db.query('SELECT nhs_number FROM person_demographics WHERE nhs_number = ANY($1)', [
      [typo, SANDBOX.invalid],
    ]);
    expect(rows).toEqual([]);
  });

  it('serves each PDS sandbox case: restricted withholds address and contacts, a death, a merged number', async () => {
    const read = async (nhsNumber: string) =>
      (await as(['viewer'], ambulance, { method: 'GET', url: `/api/people/${nhsNumber}` })).json<PersonBody>();
    expect(await read(SANDBOX.restricted)).toMatchObject({
      restricted: true,
      address: null,
      telecom: [],
      registeredGp: null,
      name: { text: 'Mrs Janet SMYTHE MBE' },
    });
    expect(await read(SANDBOX.full)).toMatchObject({
      restricted: false,
      deceased: { date: '2010-10-22' },
      name: { text: 'Mrs Jane SMITH MBE' },
    });
    expect(await read(SANDBOX.minimal)).toMatchObject({ name: null, birthDate: null, gender: 'unknown' });
    const merged = await read(SANDBOX.superseded);
    expect(merged).toMatchObject({ nhsNumber: SANDBOX.superseded, supersededBy: SANDBOX.full, name: { text: 'Mrs Jane SMITH MBE' } });
    const versions = await test.database.db.query('SELECT nhs_number FROM person_demographics_version WHERE nhs_number = ANY($1)', [
      [SANDBOX.full, SANDBOX.superseded],
    ]);
    expect(versions.rows).toEqual([{ nhs_number: SANDBOX.full }]);
  });

  it("points to the person's plan without showing its content", async () => {
    const nhsNumber = ada?.nhsNumber ?? '';
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    const ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    await test.database.db.query(
      "INSERT INTO care_plan (ehr_id, nhs_number, status, review_date) VALUES ($1, $2, 'published', '2027-06-01')",
      [ehrId, nhsNumber],
    );
    const read = await as(['viewer'], ambulance, { method: 'GET', url: `/api/people/${nhsNumber}` });
    expect(read.json<PersonBody>().plan).toEqual({ ehrId, status: 'published', reviewDate: '2027-06-01' });
    const found = await as(['viewer'], ambulance, {
      method: 'GET',
      url: `/api/people?family=${encodeURIComponent(ada?.familyName ?? '')}&given=${ada?.givenName}&birthdate=${ada?.birthDate}`,
    });
    expect(found.statusCode, found.body).toBe(200);
    const people = found.json<{ people: PersonBody[] }>().people;
    expect(people.map((person) => person.nhsNumber)).toEqual([nhsNumber]);
    expect(Object.keys(people[0] ?? {}).sort()).toEqual(PERSON_FIELDS);
    expect(people[0]?.plan).toEqual({ ehrId, status: 'published' });
    // The read is audited with the EHR, now that there is one.
    const { rows } = await test.database.db.query<{ ehr_id: string }>(
      "SELECT ehr_id FROM audit_log WHERE nhs_number = $1 AND action = 'read' ORDER BY seq DESC LIMIT 1",
      [nhsNumber],
    );
    expect(rows).toEqual([{ ehr_id: ehrId }]);
  });

  it('searches by name and date of birth for anyone with plan:read, identity only, audited as a search', async () => {
    const url = '/api/people?family=Smith&given=Jane&birthdate=2010-10-22&gender=female';
    const found = await as(['contributor'], hospice, { method: 'GET', url });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json<{ people: PersonBody[] }>().people).toMatchObject([
      { nhsNumber: SANDBOX.full, version: null, verification: 'verified' },
    ]);
    const { rows } = await test.database.db.query<{ nhs_number: string | null; ods_code: string; family: string }>(
      "SELECT nhs_number, ods_code, detail->'criteria'->>'family' AS family FROM audit_log WHERE resource_type = 'people-search' AND ods_code = 'HOSP1' ORDER BY seq",
    );
    expect(rows).toEqual([
      { nhs_number: null, ods_code: 'HOSP1', family: 'Smith' },
      { nhs_number: SANDBOX.full, ods_code: 'HOSP1', family: 'Smith' },
    ]);
    const restricted = await as(['viewer'], ambulance, {
      method: 'GET',
      url: '/api/people?family=Smythe&given=Janet&birthdate=2005-06-16',
    });
    expect(restricted.json<{ people: PersonBody[] }>().people).toMatchObject([{ restricted: true, address: null, telecom: [] }]);

    expect((await as(['auditor'], hospice, { method: 'GET', url })).statusCode).toBe(403);
    for (const bad of [
      '/api/people?family=Smith&birthdate=2010-10-22',
      '/api/people?family=Smith&given=Jane&birthdate=22/10/2010',
      `${url}&nhs=1`,
    ]) {
      expect((await as(['viewer'], ambulance, { method: 'GET', url: bad })).statusCode, bad).toBe(400);
    }
  });
});

describe(`the people API when PDS cannot be reached, on ${backend}`, () => {
  let server: PdsStubServer;
  let test: TestApp;
  const viewer = async () =>
    issueTestToken(test.services, test.database.db, {
      clientId: 'crew',
      scopes: SCOPES,
      roles: ['viewer'],
      organisationOdsCode: ambulance.odsCode,
    });

  beforeAll(async () => {
    server = await startPdsStubServer(new PdsStub(sandboxStubData()));
    test = await createTestApp({
      env: { UCP_PDS_URL: server.url, UCP_PDS_MAX_AGE_SECONDS: '0', UCP_PDS_RETRY_AFTER_SECONDS: '0', UCP_PDS_TIMEOUT_MS: '500' },
    });
    await upsertOrganisation(test.database.db, ambulance);
  });
  afterAll(async () => {
    await test.close();
    await server.close();
  });

  it('answers the last version marked unverified, and 503 for a number never retrieved', async () => {
    const read = async (nhsNumber: string) =>
      test.app.inject({ method: 'GET', url: `/api/people/${nhsNumber}`, headers: { authorization: `Bearer ${await viewer()}` } });
    const before = await read(SANDBOX.restricted);
    expect(before.json<PersonBody>()).toMatchObject({ verification: 'verified', source: 'pds', version: 1 });
    expect(server.requests.at(-1)?.headers['x-correlation-id']).toBe(before.headers['x-request-id']);

    server.behave({ kind: 'slow', delayMs: 2_000 });
    const during = await read(SANDBOX.restricted);
    expect(during.statusCode).toBe(200);
    expect(during.json<PersonBody>()).toMatchObject({
      verification: 'unverified',
      version: 1,
      retrievedAt: before.json<PersonBody>().retrievedAt,
      name: { text: 'Mrs Janet SMYTHE MBE' },
    });
    server.behave({ kind: 'fixed', status: 503, body: 'Service Unavailable' });
    const never = await read(SANDBOX.full);
    expect(never.statusCode).toBe(503);
    expect(never.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(never.json<{ detail: string }>().detail).toContain('cannot be reached');

    server.behave({ kind: 'normal' });
    expect((await read(SANDBOX.restricted)).json<PersonBody>()).toMatchObject({ verification: 'verified', version: 1 });
  });
});
