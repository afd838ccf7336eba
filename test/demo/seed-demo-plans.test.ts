import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUcpTemplates } from '../../src/careplan/pathway/index.js';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_ORGANISATIONS } from '../../src/demo/demo-people.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { seedDemoPlan, seedDemoPlansInBackground, type DemoPlanServices } from '../../src/demo/seed-demo-plans.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { syntheticPlans, type SyntheticPlan } from '../../src/demo/synthetic-plans.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { createAppServices, type AppServices } from '../../src/server/app-services.js';
import { backend, createTestDatabase, silentLogger, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

const TODAY = new Date().toISOString().slice(0, 10);

describe(`demo care plans seeded through the care plan service on ${backend}`, () => {
  let test: TestDatabase;
  let services: AppServices;
  let seeding: DemoPlanServices;
  const plans = syntheticPlans(syntheticLondoners(DEMO_PEOPLE, DEMO_SEED), { seed: DEMO_SEED, today: TODAY });
  const first = (predicate: (plan: SyntheticPlan) => boolean) => {
    const plan = plans.find(predicate);
    if (!plan) throw new Error('the generator made no such plan');
    return plan;
  };

  beforeAll(async () => {
    test = await createTestDatabase();
    const config = loadConfig({});
    services = createAppServices(test.db, config, testSecrets);
    await loadUcpTemplates(services.openehr.templates);
    for (const organisation of DEMO_ORGANISATIONS) await upsertOrganisation(test.db, organisation);
    seeding = { db: test.db, systemId: config.systemId, openehr: services.openehr, catalogue: services.carePlans.catalogue };
  });
  afterAll(() => test.drop());

  const planOf = async (plan: SyntheticPlan) => {
    const { rows } = await test.db.query<{ ehr_id: string }>('SELECT ehr_id FROM care_plan WHERE nhs_number = $1', [plan.nhsNumber]);
    const ehrId = rows[0]?.ehr_id;
    if (!ehrId) throw new Error(`no plan for ${plan.nhsNumber}`);
    return services.carePlans.require(ehrId);
  };

  it('publishes a plan with its review date (an overdue one too, published months ago) and its CPR recommendation in the emergency summary', async () => {
    for (const plan of [
      first((p) => p.status === 'published' && p.reviewDate < TODAY),
      first((p) => p.status === 'published' && p.reviewDate > TODAY && !p.cpr.recommended),
    ]) {
      await seedDemoPlan(seeding, plan);
      const row = await planOf(plan);
      expect(row).toMatchObject({ status: 'published', planVersion: 1, reviewDate: plan.reviewDate });
      const summary = await services.carePlans.emergencySummary(row.ehrId);
      expect(summary.cpr).toMatchObject({ code: plan.cpr.snomed, notForCpr: !plan.cpr.recommended });
    }
  });

  it('leaves drafts unpublished, submitted plans awaiting approval, and closes the plan of a person who died', async () => {
    const draft = first((p) => p.status === 'draft');
    const awaiting = first((p) => p.status === 'awaiting-approval');
    const closed = first((p) => p.status === 'closed');
    for (const plan of [draft, awaiting, closed]) await seedDemoPlan(seeding, plan);
    expect(await planOf(draft)).toMatchObject({ status: 'draft', planVersion: 0 });
    expect(await planOf(awaiting)).toMatchObject({ status: 'awaiting-approval', planVersion: 0, draftState: 'awaiting-approval' });
    expect(await planOf(closed)).toMatchObject({ status: 'closed', planVersion: 1 });
  });

  it('seeds in the background, stops when asked, and on the next start skips who already has a plan', async () => {
    const before = (await test.db.query<{ n: number }>('SELECT count(*)::int AS n FROM care_plan')).rows[0]?.n ?? 0;
    const running = seedDemoPlansInBackground(seeding, silentLogger, TODAY);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await running.stop();
    const stopped = await running.done;
    expect(stopped.failed).toBe(0);
    expect(stopped.seeded + stopped.skipped).toBeLessThan(plans.length);
    const after = (await test.db.query<{ n: number }>('SELECT count(*)::int AS n FROM care_plan')).rows[0]?.n ?? 0;
    expect(after).toBe(before + stopped.seeded);

    const again = seedDemoPlansInBackground(seeding, silentLogger, TODAY);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await again.stop();
    // Everyone seeded so far comes first in the generator's order, and is skipped rather than duplicated.
    expect((await again.done).skipped).toBeGreaterThanOrEqual(Math.min(after, 1));
  }, 60_000);
});
