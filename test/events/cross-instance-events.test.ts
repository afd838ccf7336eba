import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { loadUcpTemplates } from '../../src/careplan/pathway/index.js';
import { loadMigrations } from '../../src/db/migrations.js';
import { DEMO_ORGANISATIONS } from '../../src/demo/demo-people.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { syntheticPlans } from '../../src/demo/synthetic-plans.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { PgDatabase } from '../../src/db/pg-database.js';
import { buildApp, type App } from '../../src/server/app.js';
import { createAppServices } from '../../src/server/app-services.js';
import { ehrStatusFor, nextTestNhsNumber, readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';
import { decidedBy, RESPECT_CPR_ENTRY } from '../careplan/care-plan-test-kit.js';
import { integrationToken, issueTestToken } from '../support/authorized-inject.js';
import { connectSse, type SseConnection } from '../support/sse-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend, silentLogger } from '../support/test-database.js';
import { testPdsStub } from '../support/test-pds.js';
import { testSecrets } from '../support/test-secrets.js';

/**
 * The promise of real-time updates across servers: a commit through one server reaches a client
 * connected to another within a second. Each server has its own connection pool and its own
 * dispatcher, and nothing but the PostgreSQL database in common.
 */
describe.runIf(backend === 'postgres')('real-time events across two servers on one PostgreSQL database', () => {
  let first: TestApp;
  let secondDb: PgDatabase;
  let second: App;
  let secondServices: ReturnType<typeof createAppServices>;
  let firstUrl: string;
  let secondUrl: string;
  let auth: Record<string, string>;
  let stream: SseConnection | undefined;

  beforeAll(async () => {
    first = await createTestApp();
    firstUrl = await first.app.listen({ port: 0, host: '127.0.0.1' });
    secondDb = new PgDatabase({ connectionString: first.database.url ?? '', maxConnections: 5, logger: silentLogger });
    secondServices = createAppServices(secondDb, first.config, testSecrets, { localPdsStub: testPdsStub });
    const schemaVersion = (await loadMigrations()).at(-1)?.version ?? 0;
    second = await buildApp({ config: first.config, db: secondDb, logger: silentLogger, schemaVersion, services: secondServices });
    secondUrl = await second.listen({ port: 0, host: '127.0.0.1' });
    auth = { authorization: `Bearer ${await integrationToken(first.services, first.database.db)}` };
  });
  afterAll(async () => {
    stream?.close();
    await second.close();
    await secondDb.close();
    await first.close();
  });

  const viaSecond = async (method: string, path: string, body: string, contentType = 'application/json') => {
    const response = await fetch(`${secondUrl}${path}`, { method, headers: { ...auth, 'content-type': contentType }, body });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  it('pushes a composition committed through the second server to a client of the first within a second', async ({ annotate }) => {
    const template = await viaSecond(
      'POST',
      '/openehr/v1/definition/template/adl1.4',
      await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`),
      'application/xml',
    );
    expect(template.status).toBe(201);
    const ehr = await viaSecond('POST', '/openehr/v1/ehr', JSON.stringify(ehrStatusFor(nextTestNhsNumber())));
    expect(ehr.status).toBe(201);
    const ehrId = String(ehr.headers.get('location')).split('/ehr/')[1] ?? '';
    const composition = JSON.stringify(await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`));

    stream = await connectSse(`${firstUrl}/api/care-plans/${ehrId}/events`, auth);
    expect(stream.status).toBe(200);

    // Three commits far enough apart that the dispatcher's slow poll (every 5 s) could explain at
    // most one of them: each one arriving within a second shows that the notification carried it.
    const latencies: number[] = [];
    for (let n = 1; n <= 3; n++) {
      if (n > 1) await new Promise((resolve) => setTimeout(resolve, 1_500));
      const started = performance.now();
      const committed = await viaSecond('POST', `/openehr/v1/ehr/${ehrId}/composition`, composition);
      expect(committed.status).toBe(201);
      const received = (await stream.waitForEvents(n, 2_000))[n - 1];
      expect(received).toMatchObject({
        event: 'openehr.contribution',
        data: { ehrId, versions: [{ versionUid: String(committed.headers.get('etag')).replaceAll('"', '') }] },
      });
      latencies.push((received?.receivedAt ?? Number.POSITIVE_INFINITY) - started);
    }
    await annotate(`cross-server event latency, commit request to event received (ms): ${latencies.map((ms) => ms.toFixed(1)).join(', ')}`);
    for (const latency of latencies) expect(latency).toBeLessThan(1_000);
  });

  it('pushes a care plan published through the second server to a client of the first within a second', async ({ annotate }) => {
    for (const organisation of DEMO_ORGANISATIONS) await upsertOrganisation(secondDb, organisation);
    await loadUcpTemplates(secondServices.openehr.templates);
    const senior = await issueTestToken(secondServices, secondDb, {
      clientId: 'senior',
      scopes: SCOPES,
      roles: ['senior-clinician'],
      organisationOdsCode: 'DEMOHSP',
    });
    const asSenior = (method: 'POST' | 'PUT', url: string, payload: object, ifMatch?: string) =>
      second.inject({ method, url, payload, headers: { authorization: `Bearer ${senior}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) } });
    const respect =
      syntheticPlans(syntheticLondoners(1, 1), { seed: 1, today: new Date().toISOString().slice(0, 10) })[0]?.modules.respect ?? {};

    const nhsNumber = nextTestNhsNumber();
    const declared = await asSenior('POST', `/api/people/${nhsNumber}/care-team`, {
      reason: 'providing-care: admitted to the hospice for symptom control',
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const created = await asSenior('POST', '/api/care-plans', {
      nhsNumber,
      pathways: [],
      consent: { toShare: true, route: 'explicit' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ehrId = created.json<{ ehrId: string }>().ehrId;
    const saved = await asSenior(
      'PUT',
      `/api/care-plans/${ehrId}/draft/modules/respect`,
      // The CPR decision names its maker with a registration number (a quality gate): a machine client's account holds none.
      { flat: { ...respect, ...decidedBy(RESPECT_CPR_ENTRY) } },
      String(created.headers['etag']),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    const review = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const submitted = await asSenior(
      'POST',
      `/api/care-plans/${ehrId}/draft/submit`,
      { reviewDate: review },
      String(saved.headers['etag']),
    );
    expect(submitted.statusCode, submitted.body).toBe(200);

    const planStream = await connectSse(`${firstUrl}/api/care-plans/${ehrId}/events`, auth);
    try {
      const started = performance.now();
      const approved = await asSenior('POST', `/api/care-plans/${ehrId}/draft/approve`, {}, String(submitted.headers['etag']));
      expect(approved.statusCode, approved.body).toBe(200);
      await expect
        .poll(() => planStream.events.some((event) => event.event === 'careplan.published'), { timeout: 2_000, interval: 5 })
        .toBe(true);
      const published = planStream.events.find((event) => event.event === 'careplan.published');
      expect(published).toMatchObject({ data: { ehrId, planVersion: 1 } });
      expect(published?.data).not.toHaveProperty('cpr');
      const latency = (published?.receivedAt ?? Number.POSITIVE_INFINITY) - started;
      await annotate(`cross-server care plan publish latency, approve request to event received (ms): ${latency.toFixed(1)}`);
      expect(latency).toBeLessThan(1_000);
    } finally {
      planStream.close();
    }
  });
});
