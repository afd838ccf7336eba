import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { objectIdOf } from '../support/version-uid.js';
import { AMBULANCE, createPlanTestKit, HOSPICE, NOT_FOR_CPR, planOf, publishedPlan, type PlanTestKit } from './care-plan-test-kit.js';

const CPR_CODE = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|code';
const CPR_VALUE = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value';

/**
 * A plan's compositions are openEHR compositions: a change made to them through the openEHR API
 * (with the decision permission it needs) is what every service sees next, because the emergency
 * summary is re-projected in that write's own transaction.
 */
describe(`openEHR writes to a published plan's sections keep the summary true, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('a senior changing the CPR decision by PUT, then removing it by DELETE, changes the summary at once; a clinician is refused and changes nothing', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId } = await publishedPlan(kit, nhsNumber, { respect: NOT_FOR_CPR, contacts: 'example' });
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const summary = async () => (await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummary>();
    expect((await summary()).cpr).toMatchObject({ notForCpr: true });

    const plan = planOf(await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` }));
    const versionUid = plan.modules.find((module) => module.moduleId === 'respect')?.versionUid ?? '';
    const composition = `/openehr/v1/ehr/${ehrId}/composition`;
    const stored = await senior({ method: 'GET', url: `${composition}/${versionUid}?format=FLAT` });
    expect(stored.statusCode, stored.body).toBe(200);
    const forCpr = {
      ...stored.json<Record<string, unknown>>(),
      [CPR_CODE]: 'at0004',
      [CPR_VALUE]: 'CPR attempts recommended adult or child',
    };

    const put = (as: typeof senior, ifMatch: string) =>
      as({
        method: 'PUT',
        url: `${composition}/${objectIdOf(ifMatch)}?templateId=ReSPECT-3.v0&format=FLAT`,
        headers: { 'if-match': `"${ifMatch}"` },
        payload: forCpr,
      });
    expect((await put(clinician, versionUid)).statusCode).toBe(403);
    expect((await summary()).cpr).toMatchObject({ notForCpr: true });

    const changed = await put(senior, versionUid);
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await summary()).cpr).toMatchObject({ notForCpr: false, code: expect.any(String) });

    const second = String(changed.headers['etag']).replaceAll('"', '');
    expect((await clinician({ method: 'DELETE', url: `${composition}/${second}` })).statusCode).toBe(403);
    expect((await summary()).cpr).toMatchObject({ notForCpr: false });
    const deleted = await senior({ method: 'DELETE', url: `${composition}/${second}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await summary()).cpr).toBeNull();
  });
});
