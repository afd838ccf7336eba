import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { loadUcpTemplates } from '../../src/careplan/pathway/index.js';
import { CARE_PLAN_QUERIES } from '../../src/careplan/queries/care-plan-queries.js';
import { loadConfig } from '../../src/config/config.js';
import { writePopulation, type PopulationOptions } from '../../src/demo/generate-population.js';
import { DEMO_ORGANISATIONS } from '../../src/demo/demo-people.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { syntheticPlans } from '../../src/demo/synthetic-plans.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { createAppServices, type AppServices } from '../../src/server/app-services.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

const PEOPLE = 20;
const SEED = 4_242;
const TODAY = new Date().toISOString().slice(0, 10);
const people = syntheticLondoners(PEOPLE, SEED);
const plans = syntheticPlans(people, { seed: SEED, today: TODAY });

/**
 * Tables whose rows are not the population's: the schema's own bookkeeping, and rows each store
 * makes for itself once (its sealed signing keys are random by design). Everything else is compared.
 */
const NOT_COMPARED = new Set(['schema_migrations', 'system_setting', 'signing_key']);

interface Store {
  test: TestDatabase;
  services: AppServices;
  /** When the population's writing started: database-clock times from then on are "now". */
  startedAt: Date;
}

async function generate(mode: PopulationOptions['mode']): Promise<Store> {
  const test = await createTestDatabase();
  const config = loadConfig({});
  const services = createAppServices(test.db, config, testSecrets);
  await loadUcpTemplates(services.openehr.templates);
  for (const organisation of DEMO_ORGANISATIONS) await upsertOrganisation(test.db, organisation);
  const startedAt = new Date(Date.now() - 1_000);
  const outcome = await writePopulation(
    { db: test.db, systemId: config.systemId, openehr: services.openehr, catalogue: services.carePlans.catalogue },
    people,
    plans,
    // One writer each way, so sequence numbers (audit log, event outbox) are handed out in the same order.
    { mode, batchSize: 6, concurrency: 1 },
  );
  expect(outcome).toEqual({ written: plans.length, skipped: 0, failed: 0 });
  return { test, services, startedAt };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * Every row of every table, as text a user could compare: an EHR id becomes the NHS number of
 * its subject (the same person in both stores); any other UUID (object, contribution, session
 * ids: random by design) becomes `<uuid>`; a time from the database clock during the run (when
 * a version was committed, an audit record written) becomes `<now>`, while times the service
 * clock set (a plan written months ago) stay as they are; an audit row's hash, which covers its
 * time, becomes `<hash>` (the chain is verified on its own). Rows are sorted, so the comparison
 * does not depend on the order rows were stored in.
 */
async function snapshot(store: Store): Promise<Record<string, string[]>> {
  const { db } = store.test;
  const { rows: ehrs } = await db.query<{ ehr_id: string; subject_id: string }>('SELECT ehr_id::text AS ehr_id, subject_id FROM ehr');
  const subjects = new Map(ehrs.map((row) => [row.ehr_id, `ehr-of-${row.subject_id}`]));
  const { rows: tables } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const normalise = (text: string) =>
    text
      .replace(UUID, (uuid) => subjects.get(uuid) ?? '<uuid>')
      .replace(ISO_TIME, (time) => (new Date(time) >= store.startedAt ? '<now>' : time))
      .replace(/"(hash|prev_hash)":\s*"[0-9a-f]{64}"/g, '"$1":"<hash>"');
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    if (NOT_COMPARED.has(table)) continue;
    const { rows } = await db.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table} t`);
    snapshot[table] = rows.map((row) => normalise(row.row)).sort();
  }
  return snapshot;
}

/** The results of the care plan AQL queries over the whole population, EHR ids as their subjects' NHS numbers. */
async function aqlResults(store: Store): Promise<unknown[]> {
  const { rows: ehrs } = await store.test.db.query<{ ehr_id: string; subject_id: string }>(
    'SELECT ehr_id::text AS ehr_id, subject_id FROM ehr',
  );
  const subjects = new Map(ehrs.map((row) => [row.ehr_id, row.subject_id]));
  const results: unknown[] = [];
  const runs = [
    { query: CARE_PLAN_QUERIES.plansByPathway.q, parameters: {} },
    {
      query: CARE_PLAN_QUERIES.cprRecommendations.q,
      parameters: { ods_codes: DEMO_ORGANISATIONS.map((organisation) => organisation.odsCode), cpr_codes: ['450475007', '450476008'] },
    },
    {
      query: CARE_PLAN_QUERIES.dueForReview.q,
      parameters: { until: '2100-01-01', ods_code: 'DEMOGP1' },
    },
  ];
  for (const run of runs) {
    const result = await store.services.openehr.queries.execute({ ...run, ehrScope: { kind: 'all' }, timeoutMs: 30_000 });
    results.push(
      result.rows.map((row) => JSON.stringify(row.map((cell) => (typeof cell === 'string' ? (subjects.get(cell) ?? cell) : cell)))).sort(),
    );
  }
  return results;
}

// Batched and bulk writing need PostgreSQL (the embedded store has one connection); the PostgreSQL pass runs them.
describe.runIf(backend === 'postgres')('the batched and bulk population writers against the care plan service, plan by plan', () => {
  let service: Store;
  const others = new Map<PopulationOptions['mode'], Store>();

  beforeAll(async () => {
    service = await generate('service');
    for (const mode of ['batched', 'bulk'] as const) others.set(mode, await generate(mode));
  }, 900_000);
  afterAll(async () => {
    await service?.test.drop();
    for (const store of others.values()) await store.test.drop();
  });

  it('stores the population, with plans across states and the rows each one brings', async () => {
    const expected = await snapshot(service);
    expect(expected['care_plan']).toHaveLength(plans.length);
    expect(new Set(plans.map((plan) => plan.status)).size).toBeGreaterThan(1);
    for (const table of ['ehr', 'object_version', 'contribution', 'care_plan_revision', 'care_plan_summary', 'audit_log', 'event_outbox'])
      expect(expected[table]?.length, table).toBeGreaterThan(0);
  });

  describe.each(['batched', 'bulk'] as const)('%s', (mode) => {
    it('stores the same rows in every table as the service, ids and database-clock times apart', async () => {
      const [expected, actual] = [await snapshot(service), await snapshot(others.get(mode) as Store)];
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    });

    it('answers the care plan AQL queries alike', async () => {
      const expected = await aqlResults(service);
      expect(expected.flat().length).toBeGreaterThan(0);
      expect(await aqlResults(others.get(mode) as Store)).toEqual(expected);
    });

    it('leaves an audit chain that verifies', async () => {
      const verification = await verifyAuditChain((others.get(mode) as Store).test.db);
      expect(verification.ok, JSON.stringify(verification)).toBe(true);
    });
  });

  it('leaves an audit chain that verifies in the service-written store', async () => {
    const verification = await verifyAuditChain(service.test.db);
    expect(verification.ok, JSON.stringify(verification)).toBe(true);
  });
});
