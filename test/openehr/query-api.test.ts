import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerOrganisation } from '../../src/access/caller.js';
import type { Role } from '../../src/access/roles.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { SCOPES, type Scope } from '../../src/auth/tokens/scopes.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { createLocalAccount } from '../../src/users/local-accounts.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { createTestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { ehrStatusFor, nextTestNhsNumber } from '../support/fixtures.js';

const ORIGIN = 'http://127.0.0.1:8080';
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
const ambulance: CallerOrganisation = {
  odsCode: 'AMB01',
  name: 'Ambulance',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};

const ALL_EHRS = 'SELECT e/ehr_id/value FROM EHR e';

interface ResultSet {
  meta: {
    fetch: number;
    offset: number;
    resultsize: number;
    _type: string;
    _executed_aql: string;
    _debug?: { sql: string; params: unknown[]; explain?: unknown };
  };
  name?: string;
  q: string;
  columns: { name: string; path?: string }[];
  rows: unknown[][];
}

async function setUp(env: Record<string, string> = {}) {
  const test = await createTestApp({ env });
  const { db } = test.database;
  for (const organisation of [gp, hospice, ambulance]) await upsertOrganisation(db, organisation);
  const people: { nhsNumber: string; ehrId: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const nhsNumber = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    people.push({ nhsNumber, ehrId: String(created.headers['location']).split('/ehr/')[1] ?? '' });
  }
  // The first is registered with the GP practice, the second cared for by the hospice, the third by neither.
  await db.query(
    "INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, 'GP001', 'registered-gp'), ($2, 'HOSP1', 'care-team')",
    [people[0]?.nhsNumber, people[1]?.nhsNumber],
  );
  const tokenFor = async (roles: Role[], organisation: CallerOrganisation | undefined, scopes: readonly Scope[] = SCOPES) =>
    await issueTestToken(test.services, test.database.db, {
      clientId: `client-${roles.join('-')}-${organisation?.odsCode ?? 'none'}`,
      scopes: [...scopes],
      roles,
      organisationOdsCode: organisation?.odsCode,
    });
  const as = (token: string, options: InjectOptions) =>
    test.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });
  return { test, people, tokenFor, as };
}

const ehrIdsOf = (body: ResultSet) => body.rows.map((row) => String(row[0])).sort();

describe(`the AQL result set's creation time on ${backend}`, () => {
  it("is the app's clock, not the handler's own", async () => {
    const created = new Date('2031-05-06T07:08:09.000Z');
    const test = await createTestApp({ clock: () => created });
    try {
      const response = await test.inject({ method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<{ meta: { _created: string } }>().meta._created).toBe(created.toISOString());
    } finally {
      await test.close();
    }
  });
});

describe(`AQL query API on ${backend}`, () => {
  let ctx: Awaited<ReturnType<typeof setUp>>;
  const person = (i: number) => ctx.people[i] ?? { nhsNumber: '', ehrId: '' };

  beforeAll(async () => {
    ctx = await setUp();
  });
  afterAll(() => ctx.test.close());

  it('answers POST /query/aql with an openEHR RESULTSET', async () => {
    const response = await ctx.test.inject({ method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<ResultSet>();
    expect(body.meta).toMatchObject({
      _type: 'RESULTSET',
      _schema_version: '1.0.0',
      _executed_aql: ALL_EHRS,
      offset: 0,
      fetch: 1000,
      resultsize: 3,
    });
    expect(body.q).toBe(ALL_EHRS);
    expect(body.columns).toHaveLength(1);
    expect(ehrIdsOf(body)).toEqual(ctx.people.map((p) => p.ehrId).sort());
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('takes parameters on GET as a JSON query_parameters, as name=value pairs, or as plain query-string parameters', async () => {
    const q = 'SELECT e/ehr_id/value FROM EHR e WHERE e/ehr_id/value = $ehr_id';
    const wanted = person(2).ehrId;
    for (const url of [
      `/openehr/v1/query/aql?q=${encodeURIComponent(q)}&query_parameters=${encodeURIComponent(JSON.stringify({ ehr_id: wanted }))}`,
      `/openehr/v1/query/aql?q=${encodeURIComponent(q)}&query_parameters=${encodeURIComponent(`ehr_id=${wanted}`)}`,
      `/openehr/v1/query/aql?q=${encodeURIComponent(q)}&ehr_id=${wanted}`,
    ]) {
      const response = await ctx.test.inject({ method: 'GET', url });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      expect(response.json<ResultSet>().rows).toEqual([[wanted]]);
    }
  });

  it('refuses AQL that does not parse with 400 naming line and column', async () => {
    const response = await ctx.test.inject({
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: 'SELECT e/ehr_id/value\nFRM EHR e' },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ message: string; validationErrors?: string[] }>();
    expect(body.message).toMatch(/line 2, column 1/);
    expect(body.validationErrors?.[0]).toMatch(/^line 2, column 1: /);
  });

  it('limits a clinician to the people related to their organisation', async () => {
    const atGp = await ctx.as(await ctx.tokenFor(['clinician'], gp), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: ALL_EHRS },
    });
    expect(atGp.statusCode, atGp.body).toBe(200);
    expect(ehrIdsOf(atGp.json<ResultSet>())).toEqual([person(0).ehrId]);
    const atHospice = await ctx.as(await ctx.tokenFor(['viewer'], hospice), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: ALL_EHRS },
    });
    expect(ehrIdsOf(atHospice.json<ResultSet>())).toEqual([person(1).ehrId]);
  });

  it('shows an ambulance service viewer no unrelated people: emergency access does not extend to queries', async () => {
    const response = await ctx.as(await ctx.tokenFor(['viewer'], ambulance), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: ALL_EHRS },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<ResultSet>().rows).toEqual([]);
  });

  it('lets a platform admin query everyone', async () => {
    const response = await ctx.as(await ctx.tokenFor(['platform-admin'], undefined), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: ALL_EHRS },
    });
    expect(ehrIdsOf(response.json<ResultSet>())).toEqual(ctx.people.map((p) => p.ehrId).sort());
  });

  it('lets a person signed in see only their own record', async () => {
    const { db } = ctx.test.database;
    const user = await createUser(db, { displayName: 'The Person', email: 'query.person@example.test', nhsNumber: person(2).nhsNumber });
    await addMembership(db, user.id, 'GP001', ['patient']);
    await createLocalAccount(db, { userId: user.id, username: 'query.person', password: 'a-long-enough-passphrase-42' });
    const signIn = await ctx.test.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { username: 'query.person', password: 'a-long-enough-passphrase-42' },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = signIn.json<{ csrfToken?: string }>().csrfToken;
    const response = await ctx.test.app.inject({
      method: 'GET',
      url: `/openehr/v1/query/aql?q=${encodeURIComponent(ALL_EHRS)}`,
      headers: { cookie, origin: ORIGIN, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(ehrIdsOf(response.json<ResultSet>())).toEqual([person(2).ehrId]);
  });

  it('refuses an auditor, and audits the refusal', async () => {
    const response = await ctx.as(await ctx.tokenFor(['auditor'], gp), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: ALL_EHRS },
    });
    expect(response.statusCode).toBe(403);
    const trail = await queryAudit(ctx.test.database.db, { actorId: 'client-auditor-GP001', limit: 10 });
    expect(trail.entries.map((entry) => [entry.action, entry.outcome])).toContainEqual(['access-denied', 'denied']);
  });

  it('refuses a token without openehr:read', async () => {
    const token = await ctx.tokenFor(['platform-admin'], undefined, ['admin']);
    expect((await ctx.as(token, { method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } })).statusCode).toBe(403);
  });

  it('audits every query, and each person returned finds it in their access report; people not returned do not', async () => {
    const token = await ctx.tokenFor(['senior-clinician'], gp);
    const q = `${ALL_EHRS} WHERE e/ehr_id/value = $ehr_id OR e/ehr_id/value = $other`;
    const response = await ctx.as(token, {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q, query_parameters: { ehr_id: person(0).ehrId, other: person(2).ehrId } },
    });
    expect(response.json<ResultSet>().rows).toEqual([[person(0).ehrId]]);
    const { db } = ctx.test.database;
    const trail = await queryAudit(db, { actorId: 'client-senior-clinician-GP001', limit: 10 });
    const summary = trail.entries.find((entry) => entry.action === 'query' && entry.nhsNumber === undefined);
    expect(summary?.detail).toMatchObject({
      q,
      parameters: { ehr_id: person(0).ehrId, other: person(2).ehrId },
      rowCount: 1,
      peopleCount: 1,
    });
    const reportOfReturned = await queryAudit(db, { nhsNumber: person(0).nhsNumber, limit: 50 });
    const appeared = reportOfReturned.entries.find(
      (entry) => entry.action === 'query' && entry.actorId === 'client-senior-clinician-GP001',
    );
    expect(appeared).toMatchObject({ ehrId: person(0).ehrId, detail: { q, queryId: summary?.detail['queryId'] } });
    const reportOfOther = await queryAudit(db, { nhsNumber: person(2).nhsNumber, limit: 50 });
    expect(reportOfOther.entries.filter((entry) => entry.action === 'query' && entry.actorId === 'client-senior-clinician-GP001')).toEqual(
      [],
    );
  });

  it('gives a platform admin the SQL, its parameters and the plan on request, and nobody else', async () => {
    const admin = await ctx.as(await ctx.tokenFor(['platform-admin'], undefined), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      headers: { 'openehr-aql-debug': 'true' },
      payload: { q: ALL_EHRS },
    });
    const debug = admin.json<ResultSet>().meta._debug;
    expect(debug?.sql).toMatch(/SELECT/i);
    expect(Array.isArray(debug?.params)).toBe(true);
    expect(debug?.explain).toBeDefined();
    const clinician = await ctx.as(await ctx.tokenFor(['clinician'], gp), {
      method: 'POST',
      url: '/openehr/v1/query/aql',
      headers: { 'openehr-aql-debug': 'true' },
      payload: { q: ALL_EHRS },
    });
    expect(clinician.statusCode).toBe(200);
    expect(clinician.json<ResultSet>().meta._debug).toBeUndefined();
    expect(clinician.body).not.toContain('person_relationship');
  });

  describe('stored queries', () => {
    const NAME = 'org.ucp::careplans.everyone';

    it('stores a version, refuses the same version again (409) and AQL that does not parse (400)', async () => {
      const stored = await ctx.test.inject({
        method: 'PUT',
        url: `/openehr/v1/definition/query/${NAME}/1.0.0`,
        headers: { 'content-type': 'text/plain' },
        payload: ALL_EHRS,
      });
      expect(stored.statusCode, stored.body).toBe(200);
      expect(stored.json()).toMatchObject({ name: NAME, type: 'AQL', version: '1.0.0', q: ALL_EHRS });
      expect(stored.headers['location']).toMatch(/\/definition\/query\/.+\/1\.0\.0$/);
      const again = await ctx.test.inject({
        method: 'PUT',
        url: `/openehr/v1/definition/query/${NAME}/1.0.0`,
        headers: { 'content-type': 'text/plain' },
        payload: ALL_EHRS,
      });
      expect(again.statusCode).toBe(409);
      const broken = await ctx.test.inject({
        method: 'PUT',
        url: `/openehr/v1/definition/query/${NAME}/1.1.0`,
        payload: { q: 'SELECT FROM' },
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json<{ message: string }>().message).toMatch(/line 1, column \d+/);
      const badVersion = await ctx.test.inject({
        method: 'PUT',
        url: `/openehr/v1/definition/query/${NAME}/1.1`,
        headers: { 'content-type': 'text/plain' },
        payload: ALL_EHRS,
      });
      expect(badVersion.statusCode).toBe(400);
      const badName = await ctx.test.inject({
        method: 'PUT',
        url: '/openehr/v1/definition/query/no-namespace/1.0.0',
        headers: { 'content-type': 'text/plain' },
        payload: ALL_EHRS,
      });
      expect(badName.statusCode).toBe(400);
    });

    it('lists versions and resolves a version prefix to the newest matching', async () => {
      const newer = `${ALL_EHRS} WHERE e/ehr_id/value = $ehr_id`;
      expect(
        (await ctx.test.inject({ method: 'PUT', url: `/openehr/v1/definition/query/${NAME}/1.2.0`, payload: { q: newer } })).statusCode,
      ).toBe(200);
      expect(
        (
          await ctx.test.inject({
            method: 'PUT',
            url: `/openehr/v1/definition/query/${NAME}/2.0.0`,
            headers: { 'content-type': 'text/plain' },
            payload: ALL_EHRS,
          })
        ).statusCode,
      ).toBe(200);
      const list = await ctx.test.inject({ method: 'GET', url: `/openehr/v1/definition/query/${NAME}` });
      expect(list.json<{ versions: { version: string }[] }>().versions.map((v) => v.version)).toEqual(['2.0.0', '1.2.0', '1.0.0']);
      const one = await ctx.test.inject({ method: 'GET', url: `/openehr/v1/definition/query/${NAME}/1` });
      expect(one.json()).toMatchObject({ version: '1.2.0', q: newer });
      expect((await ctx.test.inject({ method: 'GET', url: `/openehr/v1/definition/query/${NAME}/3` })).statusCode).toBe(404);
    });

    it('executes a stored query by name (newest) or version, with parameters, and 404 for an unknown one', async () => {
      const newest = await ctx.test.inject({ method: 'GET', url: `/openehr/v1/query/${NAME}` });
      expect(newest.statusCode, newest.body).toBe(200);
      expect(newest.json<ResultSet>()).toMatchObject({ name: `${NAME}/2.0.0` });
      expect(newest.json<ResultSet>().rows).toHaveLength(3);
      const withParameter = await ctx.test.inject({
        method: 'POST',
        url: `/openehr/v1/query/${NAME}/1.2`,
        payload: { query_parameters: { ehr_id: person(1).ehrId } },
      });
      expect(withParameter.statusCode, withParameter.body).toBe(200);
      expect(withParameter.json<ResultSet>().rows).toEqual([[person(1).ehrId]]);
      const byGet = await ctx.test.inject({ method: 'GET', url: `/openehr/v1/query/${NAME}/1.2.0?ehr_id=${person(0).ehrId}` });
      expect(byGet.json<ResultSet>().rows).toEqual([[person(0).ehrId]]);
      expect((await ctx.test.inject({ method: 'GET', url: '/openehr/v1/query/org.ucp::nothing.here' })).statusCode).toBe(404);
    });

    it("holds a stored query to the caller's scope, and audits its name and version", async () => {
      const response = await ctx.as(await ctx.tokenFor(['clinician'], hospice), { method: 'GET', url: `/openehr/v1/query/${NAME}/2.0.0` });
      expect(ehrIdsOf(response.json<ResultSet>())).toEqual([person(1).ehrId]);
      const report = await queryAudit(ctx.test.database.db, { nhsNumber: person(1).nhsNumber, limit: 50 });
      expect(report.entries.find((entry) => entry.actorId === 'client-clinician-HOSP1' && entry.action === 'query')).toMatchObject({
        resourceType: 'stored-query',
        resourceId: `${NAME}/2.0.0`,
        detail: { storedQuery: NAME, storedQueryVersion: '2.0.0' },
      });
    });

    it('lets only a platform admin store a query', async () => {
      const token = await ctx.tokenFor(['clinician'], gp);
      const response = await ctx.as(token, {
        method: 'PUT',
        url: `/openehr/v1/definition/query/${NAME}/9.0.0`,
        headers: { 'content-type': 'text/plain' },
        payload: ALL_EHRS,
      });
      expect(response.statusCode).toBe(403);
    });
  });
});

describe(`AQL limits on ${backend}`, () => {
  let ctx: Awaited<ReturnType<typeof setUp>>;

  beforeAll(async () => {
    ctx = await setUp({ UCP_AQL_DEFAULT_FETCH: '2', UCP_AQL_MAX_FETCH: '5', UCP_AQL_MAX_CONCURRENT: '1', UCP_AQL_QUEUE_LENGTH: '0' });
  });
  afterAll(() => ctx.test.close());

  it('returns the default fetch when none is asked for, pages with offset, and refuses a fetch over the maximum', async () => {
    const first = await ctx.test.inject({
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: `${ALL_EHRS} ORDER BY e/ehr_id/value` },
    });
    expect(first.json<ResultSet>().rows).toHaveLength(2);
    expect(first.json<ResultSet>().meta).toMatchObject({ fetch: 2, offset: 0, resultsize: 2 });
    const rest = await ctx.test.inject({
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: `${ALL_EHRS} ORDER BY e/ehr_id/value`, offset: 2 },
    });
    expect(rest.json<ResultSet>().rows).toHaveLength(1);
    const tooMany = await ctx.test.inject({ method: 'GET', url: `/openehr/v1/query/aql?q=${encodeURIComponent(ALL_EHRS)}&fetch=6` });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<{ message: string }>().message).toContain('5 rows');
  });

  it('refuses a query beyond the concurrency limit with 503 and Retry-After, and serves again once a slot frees', async () => {
    // Hold the one slot as a long-running query would (PGlite answers within one tick, so real overlap cannot be staged).
    let release: () => void = () => undefined;
    const held = ctx.test.services.openehr.aql.limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const refused = await ctx.test.inject({ method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json<{ code: string; message: string }>()).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('Try again') as unknown,
    });
    release();
    await held;
    expect((await ctx.test.inject({ method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } })).statusCode).toBe(200);
  });

  it('fails the query, returning no rows, when its audit cannot be written', async () => {
    const { db } = ctx.test.database;
    await db.exec(`CREATE FUNCTION refuse_query_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
      CREATE TRIGGER refuse_query_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'query') EXECUTE FUNCTION refuse_query_audit();`);
    try {
      const response = await ctx.test.inject({ method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } });
      expect(response.statusCode).toBe(503);
      expect(response.json<{ message: string }>().message).toContain('audit');
      for (const { ehrId } of ctx.people) expect(response.body).not.toContain(ehrId);
    } finally {
      await db.exec('DROP TRIGGER refuse_query_audit ON audit_log; DROP FUNCTION refuse_query_audit();');
    }
    expect((await ctx.test.inject({ method: 'POST', url: '/openehr/v1/query/aql', payload: { q: ALL_EHRS } })).statusCode).toBe(200);
  });
});

describe(`AQL statement timeout on ${backend}`, () => {
  let ctx: Awaited<ReturnType<typeof setUp>>;

  beforeAll(async () => {
    ctx = await setUp({ UCP_AQL_TIMEOUT_MS: '10' });
  });
  afterAll(() => ctx.test.close());

  // PostgreSQL cancels a statement past statement_timeout. PGlite runs each statement to its end
  // (single-threaded WebAssembly: no timer interrupts a running statement), so there the query
  // completes; docs/openehr.md says so. The embedded database is for development, not production.
  it(`${backend === 'postgres' ? 'cancels' : 'cannot cancel (PGlite)'} a query that runs past the statement timeout`, async () => {
    // Enough EHRs that sorting them all takes longer than the 10 ms this server allows.
    const ehrs = backend === 'postgres' ? 200_000 : 1_000;
    await ctx.test.database.db.exec(
      `INSERT INTO ehr (ehr_id, system_id, time_created, ehr_status_uid)
       SELECT gen_random_uuid(), 'ucp.local', now() - make_interval(secs => n), gen_random_uuid() FROM generate_series(1, ${ehrs}) AS n`,
    );
    const started = Date.now();
    const response = await ctx.test.inject({
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q: 'SELECT e/ehr_id/value, e/time_created/value FROM EHR e ORDER BY e/time_created/value DESC', fetch: 1 },
    });
    if (backend === 'pglite') {
      expect(response.statusCode, response.body).toBe(200);
      return;
    }
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json<{ code: string; message: string }>()).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('did not finish within 10 ms') as unknown,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
