import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/access/caller.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { auditRecordFor } from '../../src/audit/audit-record.js';
import { CarePlanService } from '../../src/careplan/care-plan-service.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { CARE_PLAN_QUERIES, storeCarePlanQueries } from '../../src/careplan/queries/care-plan-queries.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import {
  createPlanTestKit,
  declareCare,
  GP,
  HOSPICE,
  NOT_FOR_CPR,
  publishedPlan,
  STRANGER,
  decidedBy,
  RESPECT_CPR_ENTRY,
  type Flat,
  type PlanTestKit,
} from './care-plan-test-kit.js';

const FOR_CPR: Flat = {
  ...decidedBy(RESPECT_CPR_ENTRY),
  'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|code': 'at0004',
  'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value': 'CPR attempts recommended adult or child',
  'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus': 'Prioritise extending life',
};

interface ResultSet {
  rows: unknown[][];
}

describe('the care plan questions the platform asks run as AQL over the compositions', () => {
  let kit: PlanTestKit;
  let notForCpr: string;
  let notForCprNhsNumber: string;
  let forCpr: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    notForCprNhsNumber = nextTestNhsNumber();
    notForCpr = (await publishedPlan(kit, notForCprNhsNumber, { respect: NOT_FOR_CPR, contacts: 'example' })).ehrId;
    forCpr = (await publishedPlan(kit, nextTestNhsNumber(), { respect: FOR_CPR, contacts: 'example' })).ehrId;
    // A plan that is only drafted: never current, so no query may find it.
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const drafted = nextTestNhsNumber();
    await declareCare(senior, drafted);
    const draft = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: drafted, pathways: [] } });
    expect(draft.statusCode).toBe(201);
  });
  afterAll(() => kit.close());

  it('finds everyone whose current CPR recommendation is "not for CPR" with plain AQL through the openEHR API', async () => {
    const response = await kit.test.inject({
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: {
        q: `SELECT e/ehr_id/value FROM EHR e CONTAINS COMPOSITION c CONTAINS EVALUATION cpr[openEHR-EHR-EVALUATION.cpr_decision_uk.v0]
            WHERE cpr/data[at0001]/items[at0003]/value/mappings/target/code_string = '450476008'`,
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const ehrIds = response.json<ResultSet>().rows.map((row) => row[0]);
    expect(ehrIds).toContain(notForCpr);
    expect(ehrIds).not.toContain(forCpr);
  });

  it('reports the CPR recommendations of an integrated care system to someone allowed population queries', async () => {
    const admin = await kit.as(['platform-admin'], GP);
    const notFor = await admin({
      method: 'GET',
      url: `/api/care-plans/reports/cpr-recommendations?ics=${encodeURIComponent(HOSPICE.ics)}&recommendation=not-for-cpr`,
    });
    expect(notFor.statusCode, notFor.body).toBe(200);
    const people = notFor.json<{ people: { ehrId: string; snomedCode: string; nhsNumber: string; name: string | null }[] }>().people;
    expect(people.map((person) => person.ehrId)).toEqual([notForCpr]);
    expect(people[0]?.snomedCode).toBe('450476008');
    // People, not EHRs: the NHS number and the name the demographics service gave.
    expect(people[0]).toMatchObject({
      nhsNumber: notForCprNhsNumber,
      name: expect.stringMatching(new RegExp(`${notForCprNhsNumber.slice(-4)}$`)),
    });

    const any = await admin({ method: 'GET', url: `/api/care-plans/reports/cpr-recommendations?ics=${encodeURIComponent(HOSPICE.ics)}` });
    expect(
      any
        .json<{ people: { ehrId: string }[] }>()
        .people.map((person) => person.ehrId)
        .sort(),
    ).toEqual([notForCpr, forCpr].sort());

    // The plans were written by the hospice; another ICS has none of them.
    const elsewhere = await admin({
      method: 'GET',
      url: `/api/care-plans/reports/cpr-recommendations?ics=${encodeURIComponent(STRANGER.ics)}`,
    });
    expect(elsewhere.json<{ people: unknown[] }>().people).toEqual([]);

    // The systems a report can cover are the register's, with how many organisations each.
    const systems = await admin({ method: 'GET', url: '/api/care-plans/reports/integrated-care-systems' });
    expect(systems.statusCode, systems.body).toBe(200);
    expect(systems.json<{ systems: { ics: string; organisations: number }[] }>().systems).toContainEqual({
      ics: HOSPICE.ics,
      organisations: expect.any(Number),
    });
  });

  it("limits the same report to the people related to the caller's organisation for a clinician", async () => {
    const stranger = await kit.as(['clinician'], STRANGER);
    const response = await stranger({
      method: 'GET',
      url: `/api/care-plans/reports/cpr-recommendations?ics=${encodeURIComponent(HOSPICE.ics)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ people: unknown[] }>().people).toEqual([]);
  });

  it('counts the published plans of each pathway', async () => {
    const admin = await kit.as(['platform-admin'], GP);
    const response = await admin({ method: 'GET', url: '/api/care-plans/reports/plans-by-pathway' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ pathways: unknown[] }>().pathways).toEqual([{ pathway: 'end-of-life', plans: 2 }]);
  });

  it("builds the review worklist from the AQL query, in the clinician's scope", async () => {
    const clinician = await kit.as(['clinician'], HOSPICE);
    const soon = await clinician({ method: 'GET', url: '/api/care-plans/due-for-review?within_days=200' });
    expect(soon.statusCode, soon.body).toBe(200);
    expect(
      soon
        .json<{ plans: { ehrId: string }[] }>()
        .plans.map((plan) => plan.ehrId)
        .sort(),
    ).toEqual([notForCpr, forCpr].sort());

    const today = await clinician({ method: 'GET', url: '/api/care-plans/due-for-review?within_days=0' });
    expect(today.json<{ plans: unknown[] }>().plans).toEqual([]);
  });

  it('offers each question as a stored query that integrators can run', async () => {
    expect(await storeCarePlanQueries(kit.test.services.openehr.storedQueries, systemCaller('test'))).toHaveLength(3);
    expect(await storeCarePlanQueries(kit.test.services.openehr.storedQueries, systemCaller('test'))).toEqual([]);
    const { name, version } = CARE_PLAN_QUERIES.dueForReview;
    const response = await kit.test.inject({
      method: 'POST',
      url: `/openehr/v1/query/${name}/${version}`,
      payload: { query_parameters: { ods_code: HOSPICE.odsCode, until: '2099-12-31' } },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(
      response
        .json<ResultSet>()
        .rows.map((row) => row[0])
        .sort(),
    ).toEqual([notForCpr, forCpr].sort());
  });

  it('says whether the review is overdue on the day the summary is read, not the day it was published', async () => {
    const { services, database } = kit.test;
    expect((await services.carePlans.emergencySummary(notForCpr)).reviewOverdue).toBe(false);
    const aYearOn = new Date(Date.now() + 366 * 86_400_000);
    const later = new CarePlanService(database.db, services.openehr, services.carePlans.catalogue, () => aYearOn);
    expect((await later.emergencySummary(notForCpr)).reviewOverdue).toBe(true);
    // The JSON text the HTTP answer sends as it is (read with its audit record) says the same, on either day.
    const record = auditRecordFor(systemCaller('emergency-read-test'), { action: 'read', ehrId: notForCpr, detail: {} });
    expect(JSON.parse(await services.carePlans.emergencySummaryJsonRecorded(notForCpr, record))).toEqual(
      await services.carePlans.emergencySummary(notForCpr),
    );
    expect(JSON.parse(await later.emergencySummaryJsonRecorded(notForCpr, record))).toEqual(await later.emergencySummary(notForCpr));
  });

  it("refuses, and audits the refusal, when the caller's organisation does not meet the data security standards", async () => {
    const lapsed = { ...GP, odsCode: 'CPLAPS1', name: 'Lapsed Practice', dataSecurityStatus: 'standards-not-met' as const };
    await upsertOrganisation(kit.test.database.db, lapsed);
    const clinician = await kit.as(['clinician'], lapsed);
    const response = await clinician({ method: 'GET', url: '/api/care-plans/due-for-review' });
    expect(response.statusCode, response.body).toBe(403);
    const audit = await queryAudit(kit.test.database.db, { odsCode: lapsed.odsCode, limit: 10 });
    expect(
      audit.entries.some(
        (entry) =>
          entry.action === 'access-denied' &&
          entry.resourceId === `${CARE_PLAN_QUERIES.dueForReview.name}/${CARE_PLAN_QUERIES.dueForReview.version}`,
      ),
    ).toBe(true);
  });
});
