import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerOrganisation } from '../../src/access/caller.js';
import type { Role } from '../../src/access/roles.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { appendEvent } from '../../src/events/outbox.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { ehrStatusFor, nextTestNhsNumber, readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';
import { integrationToken, issueTestToken } from '../support/authorized-inject.js';
import { connectSse, type SseConnection } from '../support/sse-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';

const hospice: CallerOrganisation = {
  odsCode: 'HOSP1',
  name: 'Thames Hospice',
  kind: 'hospice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};

async function createEhr(test: TestApp, nhsNumber: string): Promise<string> {
  const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
  expect(created.statusCode).toBe(201);
  return String(created.headers['location']).split('/ehr/')[1] ?? '';
}

async function tokenFor(test: TestApp, roles: Role[], organisation: CallerOrganisation | undefined): Promise<string> {
  return issueTestToken(test.services, test.database.db, {
    clientId: `client-${roles.join('-')}`,
    scopes: SCOPES,
    roles,
    organisationOdsCode: organisation?.odsCode,
  });
}

const published = (ehrId: string, nhsNumber: string, planVersion: number) => ({ ehrId, nhsNumber, planVersion });

describe(`real-time event streams on ${backend}`, () => {
  let test: TestApp;
  let base: string;
  let auth: Record<string, string>;
  let ehrId: string;
  let nhsNumber: string;
  let otherEhrId: string;
  const connections: SseConnection[] = [];
  const connect = async (path: string, headers: Record<string, string> = {}) => {
    const connection = await connectSse(`${base}${path}`, { ...auth, ...headers });
    connections.push(connection);
    return connection;
  };
  const append = (topic: string, payload: unknown) => test.database.db.transaction((tx) => appendEvent(tx, topic, payload));

  beforeAll(async () => {
    test = await createTestApp();
    base = await test.app.listen({ port: 0, host: '127.0.0.1' });
    auth = { authorization: `Bearer ${await integrationToken(test.services, test.database.db)}` };
    await upsertOrganisation(test.database.db, hospice);
    nhsNumber = nextTestNhsNumber();
    ehrId = await createEhr(test, nhsNumber);
    otherEhrId = await createEhr(test, nextTestNhsNumber());
  });
  afterAll(async () => {
    for (const connection of connections) connection.close();
    await test.close();
  });

  it("streams the person's care plan events and openEHR commits appended after connecting, and nothing about anyone else", async () => {
    const stream = await connect(`/api/care-plans/${ehrId}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);

    const upload = await test.inject({
      method: 'POST',
      url: '/openehr/v1/definition/template/adl1.4',
      headers: { 'content-type': 'application/xml' },
      payload: await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`),
    });
    expect(upload.statusCode).toBe(201);
    const composition = await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`);
    await append('careplan.published', published(otherEhrId, '9990000000', 1));
    const seq = await append('careplan.published', published(ehrId, nhsNumber, 1));
    const committed = await test.inject({ method: 'POST', url: `/openehr/v1/ehr/${ehrId}/composition`, payload: composition });
    expect(committed.statusCode).toBe(201);
    await append('unrelated.topic', { ehrId });

    const [first, second] = await stream.waitForEvents(2);
    expect(first).toMatchObject({ id: String(seq), event: 'careplan.published', data: published(ehrId, nhsNumber, 1) });
    expect(second).toMatchObject({
      event: 'openehr.contribution',
      data: { ehrId, versions: [{ objectType: 'COMPOSITION', versionUid: String(committed.headers['etag']).replaceAll('"', '') }] },
    });
    expect(Number(second?.id)).toBeGreaterThan(seq);
    // Nothing of the other person, nor of topics outside a plan, follows.
    await append('careplan.closed', { ehrId, nhsNumber, planVersion: 1, dateOfDeath: '2026-11-30', place: 'home' });
    const [, , third] = await stream.waitForEvents(3);
    // Identifiers only: the date and place of death stay behind the audited read of the plan.
    expect(third).toMatchObject({ event: 'careplan.closed', data: { ehrId, nhsNumber, planVersion: 1 } });
    expect(third?.data).not.toHaveProperty('place');
    expect(stream.events).toHaveLength(3);
  });

  it('writes the read to the audit trail before the stream opens', async () => {
    const before = (await queryAudit(test.database.db, { nhsNumber, action: 'read', limit: 100 })).entries.length;
    const stream = await connect(`/api/care-plans/${ehrId}/events`);
    expect(stream.status).toBe(200);
    const reads = (await queryAudit(test.database.db, { nhsNumber, action: 'read', limit: 100 })).entries;
    expect(reads).toHaveLength(before + 1);
    expect(reads[0]).toMatchObject({
      action: 'read',
      outcome: 'success',
      ehrId,
      resourceType: 'route',
      resourceId: 'GET /api/care-plans/:ehr_id/events',
    });
  });

  it('resumes after Last-Event-ID with exactly the events missed, then live', async () => {
    const seen = await append('careplan.published', published(ehrId, nhsNumber, 2));
    const missed = [
      await append('careplan.published', published(ehrId, nhsNumber, 3)),
      (await append('careplan.published', published(otherEhrId, '9990000000', 2))) &&
        (await append('careplan.deleted', { ehrId, nhsNumber, planVersion: 3 })),
    ];
    const stream = await connect(`/api/care-plans/${ehrId}/events`, { 'last-event-id': String(seen) });
    const live = await append('careplan.published', published(ehrId, nhsNumber, 4));
    const events = await stream.waitForEvents(3);
    expect(events.map((event) => Number(event.id))).toEqual([...missed, live]);
    expect(events.map((event) => event.event)).toEqual(['careplan.published', 'careplan.deleted', 'careplan.published']);
    // The query parameter serves a first connection that already knows where it stands.
    const fromQuery = await connect(`/api/care-plans/${ehrId}/events?lastEventId=${missed[1]}`);
    expect((await fromQuery.waitForEvents(1)).map((event) => Number(event.id))).toEqual([live]);
  });

  it('refuses a clinician without a relationship with 403, audited, and an unknown EHR with 404', async () => {
    const stranger = await tokenFor(test, ['clinician'], hospice);
    const refused = await test.app.inject({
      method: 'GET',
      url: `/api/care-plans/${ehrId}/events`,
      headers: { authorization: `Bearer ${stranger}` },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    const denied = (await queryAudit(test.database.db, { nhsNumber, action: 'access-denied', limit: 10 })).entries;
    expect(denied[0]).toMatchObject({ outcome: 'denied', odsCode: 'HOSP1', resourceId: 'GET /api/care-plans/:ehr_id/events' });

    const unknown = await test.inject({ method: 'GET', url: '/api/care-plans/6c0a3c7e-0000-4000-8000-000000000000/events' });
    expect(unknown.statusCode).toBe(404);
    const badResume = await test.inject({
      method: 'GET',
      url: `/api/care-plans/${ehrId}/events`,
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(badResume.statusCode).toBe(400);
  });

  it('streams everything to an integrating system, filtered by topic, and refuses callers without a population permission', async () => {
    const stream = await connect('/api/events?topic=careplan.*');
    const everything = await connect('/api/events');
    const contribution = await append('openehr.contribution', { ehrId: otherEhrId, contributionId: 'c' });
    const plan = await append('careplan.published', published(otherEhrId, '9990000000', 3));
    expect((await stream.waitForEvents(1)).map((event) => Number(event.id))).toEqual([plan]);
    expect((await everything.waitForEvents(2)).map((event) => Number(event.id))).toEqual([contribution, plan]);

    const clinician = await tokenFor(test, ['clinician'], hospice);
    const refused = await test.app.inject({ method: 'GET', url: '/api/events', headers: { authorization: `Bearer ${clinician}` } });
    expect(refused.statusCode).toBe(403);
    expect((await test.inject({ method: 'GET', url: '/api/events?topic=care%20plan' })).statusCode).toBe(400);
  });
});

describe(`event stream limits and shutdown on ${backend}`, () => {
  it('answers 503 beyond the cap of open streams, has room again once one closes, and ends open streams when the app closes', async () => {
    const test = await createTestApp({ env: { UCP_EVENTS_MAX_STREAMS: '1' } });
    try {
      const base = await test.app.listen({ port: 0, host: '127.0.0.1' });
      const auth = { authorization: `Bearer ${await integrationToken(test.services, test.database.db)}` };
      const ehrId = await createEhr(test, nextTestNhsNumber());
      const first = await connectSse(`${base}/api/care-plans/${ehrId}/events`, auth);
      expect(first.status).toBe(200);
      const second = await connectSse(`${base}/api/events`, auth);
      expect(second.status).toBe(503);
      expect(second.headers['retry-after']).toBeDefined();

      await second.ended;
      expect(JSON.parse(second.body())).toMatchObject({ code: 'unavailable' });

      first.close();
      const open: SseConnection[] = [];
      await expect
        .poll(
          async () => {
            const attempt = await connectSse(`${base}/api/events`, auth);
            if (attempt.status === 200) open.push(attempt);
            return attempt.status;
          },
          { timeout: 2_000 },
        )
        .toBe(200);

      const started = performance.now();
      await test.app.close();
      await open[0]?.ended;
      expect(open[0]?.body()).toContain(': connected');
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await test.close();
    }
  });
});
