import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { createPlanTestKit, GP, HOSPICE, publishedPlan, STRANGER, type PlanTestKit } from './care-plan-test-kit.js';

interface Report {
  odsCode: string;
  plans: number;
  gated: number;
  gates: { gate: string; applicable: number; met: number; share: number | null }[];
  overdueReviews: number;
  needingAttention: { ehrId: string; nhsNumber: string; name: string | null; overdue: boolean; missing: string[] }[] | null;
}

const URL = '/api/care-plans/reports/respect-completeness';

describe(`the ReSPECT completeness report per organisation, on ${backend}`, () => {
  let kit: PlanTestKit;
  const complete = nextTestNhsNumber();
  const noReviewDate = nextTestNhsNumber();
  const overdue = nextTestNhsNumber();
  let plans: Record<string, string>;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    plans = {};
    for (const nhsNumber of [complete, noReviewDate, overdue]) plans[nhsNumber] = (await publishedPlan(kit, nhsNumber)).ehrId;
    await publishedPlan(kit, nextTestNhsNumber(), { contacts: 'example' });
    // Time and history the API cannot make: a plan migrated without a review date, and one whose
    // review date has since passed (every plan published through the API meets the gates).
    const db = kit.test.database.db;
    await db.query('UPDATE care_plan SET review_date = NULL WHERE ehr_id = $1', [plans[noReviewDate]]);
    await db.query('UPDATE care_plan SET review_date = current_date - 10 WHERE ehr_id = $1', [plans[overdue]]);
  }, 180_000);
  afterAll(() => kit.close());

  it("gives an auditor each gate's share and the overdue reviews, naming each person by NHS number and name, audited per person", async () => {
    const auditor = await kit.as(['auditor'], HOSPICE);
    const response = await auditor({ method: 'GET', url: URL });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json<Report>();
    expect(report).toMatchObject({ odsCode: HOSPICE.odsCode, plans: 4, gated: 3, overdueReviews: 1 });
    const gate = (id: string) => report.gates.find((candidate) => candidate.gate === id);
    expect(gate('capacity')).toEqual({ gate: 'capacity', section: expect.any(String), applicable: 3, met: 3, share: 1 });
    expect(gate('decisionMaker')).toMatchObject({ applicable: 3, met: 3, share: 1 });
    expect(gate('reviewDate')).toMatchObject({ applicable: 3, met: 2, share: 2 / 3 });
    expect(gate('lackOfCapacityExplained')).toMatchObject({ applicable: 0, met: 0, share: null });
    const nameOf = (nhsNumber: string) => expect.stringMatching(new RegExp(`${nhsNumber.slice(-4)}$`));
    expect(report.needingAttention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ehrId: plans[noReviewDate],
          nhsNumber: noReviewDate,
          name: nameOf(noReviewDate),
          missing: ['reviewDate'],
        }),
        expect.objectContaining({ ehrId: plans[overdue], nhsNumber: overdue, name: nameOf(overdue), overdue: true, missing: [] }),
      ]),
    );
    expect(report.needingAttention).toHaveLength(2);
    const audit = await queryAudit(kit.test.database.db, { nhsNumber: overdue, limit: 50 });
    expect(audit.entries.some((entry) => entry.action === 'read' && entry.odsCode === HOSPICE.odsCode)).toBe(true);
  });

  it('gives an organisation administrator the shares without naming anyone, and keeps each organisation to its own report', async () => {
    const orgAdmin = await kit.as(['org-admin'], HOSPICE);
    const own = await orgAdmin({ method: 'GET', url: URL });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<Report>()).toMatchObject({ plans: 4, overdueReviews: 1, needingAttention: null });

    const otherAuditor = await kit.as(['auditor'], GP);
    expect((await otherAuditor({ method: 'GET', url: `${URL}?ods=${HOSPICE.odsCode}` })).statusCode).toBe(403);
    expect((await otherAuditor({ method: 'GET', url: URL })).json<Report>()).toMatchObject({ odsCode: GP.odsCode, plans: 0, gated: 0 });
    const admin = await kit.as(['platform-admin'], STRANGER);
    expect((await admin({ method: 'GET', url: `${URL}?ods=${HOSPICE.odsCode}` })).json<Report>()).toMatchObject({ plans: 4 });
    const clinician = await kit.as(['senior-clinician'], HOSPICE);
    expect((await clinician({ method: 'GET', url: URL })).statusCode).toBe(403);
  });
});
