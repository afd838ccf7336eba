import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdsStub } from '../../src/demographics/stub/pds-stub.js';
import { SANDBOX_NHS_NUMBERS as SANDBOX, sandboxStubData } from '../../src/demographics/stub/sandbox-patients.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { startPdsStubServer, type PdsStubServer } from '../support/pds-stub-server.js';
import { backend } from '../support/test-database.js';
import { testRangePerson, unknownToPds } from '../support/test-pds.js';
import type { EmergencySummaryAnswer } from '../../src/careplan/summary/emergency-summary.js';
import { AMBULANCE, createPlanTestKit, declareCare, HOSPICE, planOf, publishedPlan, type PlanTestKit } from './care-plan-test-kit.js';

/** What the platform holds for a number: a plan row, an EHR, a demographics record. */
async function heldFor(kit: PlanTestKit, nhsNumber: string): Promise<{ plans: number; ehrs: number; people: number }> {
  const db = kit.test.database.db;
  const count = async (sql: string) => Number((await db.query<{ n: number | string }>(sql, [nhsNumber])).rows[0]?.n ?? 0);
  return {
    plans: await count('SELECT count(*) AS n FROM care_plan WHERE nhs_number = $1'),
    ehrs:
      (
        await kit.test.inject({
          method: 'GET',
          url: `/openehr/v1/ehr?subject_id=${nhsNumber}&subject_namespace=https://fhir.nhs.uk/Id/nhs-number`,
        })
      ).statusCode === 200
        ? 1
        : 0,
    people: await count('SELECT count(*) AS n FROM person_demographics WHERE nhs_number = $1'),
  };
}

describe(`a plan is started only for a person PDS knows, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('refuses a valid-looking NHS number PDS does not know (a typo) with 404, and creates nothing', async () => {
    const typo = unknownToPds();
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    await declareCare(senior, typo);
    const refused = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: typo, pathways: [] } });
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<{ detail: string }>().detail).toMatch(/does not know the NHS number \d{10}.*Nothing was recorded/);
    expect(await heldFor(kit, typo)).toEqual({ plans: 0, ehrs: 0, people: 0 });
    // The number PDS knows is started as ever.
    const known = nextTestNhsNumber();
    await declareCare(senior, known);
    const created = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: known } });
    expect(created.statusCode, created.body).toBe(201);
    expect(await heldFor(kit, known)).toEqual({ plans: 1, ehrs: 1, people: 1 });
  });

  it('refuses a merged number, naming the number that replaced it', async () => {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    await declareCare(senior, SANDBOX.superseded);
    const refused = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: SANDBOX.superseded } });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json<{ detail: string }>().detail).toContain(`start the plan under ${SANDBOX.full}`);
    expect((await heldFor(kit, SANDBOX.superseded)).plans).toBe(0);
  });

  it('says nothing about PDS to a caller with no care relationship', async () => {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const [unknown, known] = await Promise.all(
      [unknownToPds(), nextTestNhsNumber()].map((nhsNumber) => senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } })),
    );
    expect([unknown?.statusCode, known?.statusCode]).toEqual([403, 403]);
  });
});

describe(`starting a plan while PDS cannot be reached, on ${backend}`, () => {
  let server: PdsStubServer;
  let kit: PlanTestKit;
  beforeAll(async () => {
    server = await startPdsStubServer(new PdsStub({ ...sandboxStubData(), unlisted: testRangePerson }));
    kit = await createPlanTestKit({
      env: { UCP_PDS_URL: server.url, UCP_PDS_MAX_AGE_SECONDS: '0', UCP_PDS_RETRY_AFTER_SECONDS: '0', UCP_PDS_TIMEOUT_MS: '500' },
    });
  }, 120_000);
  afterAll(async () => {
    await kit.close();
    await server.close();
  });

  it('starts the plan from the record held, marked unverified wherever the person is shown; with nothing held, 503 and nothing created', async () => {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const seen = nextTestNhsNumber();
    const never = nextTestNhsNumber();
    for (const nhsNumber of [seen, never]) await declareCare(senior, nhsNumber);
    const person = await senior({ method: 'GET', url: `/api/people/${seen}` });
    expect(person.json<{ verification: string }>().verification).toBe('verified');

    server.behave({ kind: 'fixed', status: 503, body: 'Service Unavailable' });
    const started = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: seen } });
    expect(started.statusCode, started.body).toBe(201);
    expect(planOf(started).nhsNumber).toBe(seen);
    const shown = await senior({ method: 'GET', url: `/api/people/${seen}` });
    expect(shown.json<{ verification: string; plan: { ehrId: string } | null }>()).toMatchObject({
      verification: 'unverified',
      plan: { ehrId: planOf(started).ehrId },
    });

    const refused = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: never } });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json<{ detail: string }>().detail).toContain('cannot be reached');
    expect(await heldFor(kit, never)).toEqual({ plans: 0, ehrs: 0, people: 0 });
    server.behave({ kind: 'normal' });
  });
});

describe(`the emergency summary says who the person is, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('answers with the name, date of birth, gender and verification a crew confirms identity by', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId } = await publishedPlan(kit, nhsNumber);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const summary = (await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummaryAnswer>();
    const known = testRangePerson(nhsNumber);
    expect(summary.person).toMatchObject({
      nhsNumber,
      birthDate: known?.birthDate,
      gender: known?.gender,
      restricted: false,
      verification: 'verified',
      deceased: null,
    });
    expect(summary.person.name).toContain(nhsNumber.slice(-4));
    // The address as the demographics service gives it (this test person has none).
    expect(summary.person.address).toBeNull();
  });

  it('says when the demographics service records the person as dead', async () => {
    const { ehrId } = await publishedPlan(kit, SANDBOX.full);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const summary = (await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummaryAnswer>();
    // The sandbox's full record: Mrs Jane Smith, recorded by PDS as deceased.
    expect(summary.person).toMatchObject({ nhsNumber: SANDBOX.full, gender: 'female', verification: 'verified' });
    expect(summary.person.name).toContain('SMITH');
    expect(summary.person.deceased?.date).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it("never gives a restricted (S-flagged) record's address", async () => {
    const { ehrId } = await publishedPlan(kit, SANDBOX.restricted);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const summary = (await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummaryAnswer>();
    expect(summary.person).toMatchObject({ nhsNumber: SANDBOX.restricted, restricted: true, address: null });
    expect(summary.person.name).toBeTruthy();
  });
});
