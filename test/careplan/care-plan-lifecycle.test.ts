import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import { readEventsAfter } from '../../src/events/outbox.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import {
  AMBULANCE,
  createPlanTestKit,
  declareCare,
  etag,
  GP,
  HOSPICE,
  planOf,
  decidedBy,
  PREFERENCES_NOT_FOR_CPR,
  RESPECT_CPR_ENTRY,
  reviewDateIn,
  type PlanTestKit,
} from './care-plan-test-kit.js';

const CORE = ['about-me', 'support', 'respect', 'preferences', 'contacts', 'allergies', 'problems', 'medications'];
const NON_CLINICAL = ['about-me', 'contacts'];
const GP_ODS = 'support/gp/care_team/usual_gp/professional/organisation/ods_code|id';
const NOT_FOR_CPR = {
  ...decidedBy(RESPECT_CPR_ENTRY),
  'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|code': 'at0005',
  'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value': 'CPR attempts not recommended adult or child.',
  'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus': 'Prioritise comfort',
};

describe(`a care plan from first draft to the ambulance crew on ${backend}`, () => {
  let kit: PlanTestKit;
  let ehrId: string;
  const nhsNumber = nextTestNhsNumber();

  beforeAll(async () => {
    kit = await createPlanTestKit();
  });
  afterAll(() => kit.close());

  it('is drafted section by section, submitted, approved and published; the crew reads the emergency summary', async () => {
    const clinician = await kit.as(['clinician'], HOSPICE);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const contributor = await kit.as(['contributor'], HOSPICE);
    const crew = await kit.as(['viewer'], AMBULANCE);

    await declareCare(clinician, nhsNumber);
    const created = await clinician({
      method: 'POST',
      url: '/api/care-plans',
      payload: { nhsNumber, consent: { toShare: true, route: 'explicit' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    ehrId = planOf(created).ehrId;
    expect(planOf(created)).toMatchObject({ status: 'draft', draftState: 'editing', planVersion: 0 });
    expect(planOf(created).modules.map((module) => module.moduleId)).toEqual(CORE);
    let revision = etag(created);

    // Nobody outside the editors sees a draft as the plan.
    expect((await crew({ method: 'GET', url: `/api/care-plans/${ehrId}` })).statusCode).toBe(404);
    expect((await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).statusCode).toBe(404);

    for (const moduleId of CORE) {
      const writer =
        moduleId === 'respect' || moduleId === 'preferences' ? senior : NON_CLINICAL.includes(moduleId) ? contributor : clinician;
      const flat = await kit.exampleFlat(
        moduleId,
        moduleId === 'respect'
          ? NOT_FOR_CPR
          : moduleId === 'preferences'
            ? PREFERENCES_NOT_FOR_CPR
            : moduleId === 'support'
              ? { [GP_ODS]: GP.odsCode }
              : {},
      );
      const saved = await writer({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/${moduleId}`,
        headers: { 'if-match': revision },
        payload: { flat, changeSummary: `${moduleId} written` },
      });
      expect(saved.statusCode, `${moduleId}: ${saved.body}`).toBe(200);
      expect(saved.json<{ incomplete: unknown[] }>().incomplete).toEqual([]);
      revision = etag(saved);
    }

    const draft = await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(planOf(draft).modules.every((module) => module.source === 'draft' && module.flat !== null)).toBe(true);

    const submitted = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/submit`,
      headers: { 'if-match': revision },
      payload: { reviewDate: reviewDateIn(6), changeSummary: 'First plan after conversation with the person and family' },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(planOf({ json: () => submitted.json<{ plan: unknown }>().plan } as never)).toMatchObject({ status: 'awaiting-approval' });
    revision = etag(submitted);

    const approved = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft/approve`, headers: { 'if-match': revision } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(planOf(approved)).toMatchObject({ status: 'published', draftState: null, planVersion: 1, reviewDate: reviewDateIn(6) });
    expect(planOf(approved).header.approver).toMatchObject({ odsCode: HOSPICE.odsCode });

    const summaryResponse = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` });
    expect(summaryResponse.statusCode, summaryResponse.body).toBe(200);
    const summary = summaryResponse.json<EmergencySummary>();
    expect(summary).toMatchObject({
      status: 'published',
      planVersion: 1,
      reviewDate: reviewDateIn(6),
      cpr: { code: '450476008', notForCpr: true, recommendation: 'CPR attempts not recommended adult or child.' },
      focusOfCare: 'Prioritise comfort',
      noKnownAllergies: true,
    });
    expect(summary.whoToCallFirst.length).toBeGreaterThan(0);
    expect(summary.diagnoses.length).toBeGreaterThan(0);
    // Sent as the database's JSON text: the same content as the service's summary, typed as JSON.
    expect(summaryResponse.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(summary).toEqual(await kit.test.services.carePlans.emergencySummary(ehrId));
    expect(summary.allergies.length).toBeGreaterThan(0);
    expect(summary.advanceDecisions.length).toBeGreaterThan(0);
    expect(summary.whatMattersMost.length).toBeGreaterThan(0);
    expect(summary.homeAccess.map((item) => item.label).join()).toContain('Key safe');
    expect(summary.anticipatoryMedicines.length).toBeGreaterThan(0);
    expect(summary.sections.map((section) => section.moduleId)).toEqual(CORE);

    const published = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    expect(published.statusCode).toBe(200);
    expect(planOf(published).modules.every((module) => module.source === 'published')).toBe(true);

    // The same plan is openEHR compositions, complete and current, through the openEHR REST API.
    for (const module of planOf(published).modules) {
      const composition = await kit.test.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}/composition/${module.versionUid}` });
      expect(composition.statusCode, module.moduleId).toBe(200);
      expect(composition.json<{ archetype_details: { template_id: { value: string } } }>().archetype_details.template_id.value).toBe(
        module.templateId,
      );
      const versioned = await kit.test.inject({
        method: 'GET',
        url: `/openehr/v1/ehr/${ehrId}/versioned_composition/${String(module.versionUid).split('::')[0]}/version`,
      });
      expect(versioned.json<{ lifecycle_state: { value: string } }>().lifecycle_state.value).toBe('complete');
    }
    // The CPR recommendation is findable by its SNOMED CT concept in the published composition.
    const respect = planOf(published).modules.find((module) => module.moduleId === 'respect');
    const canonical = await kit.test.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}/composition/${respect?.versionUid}` });
    expect(canonical.body).toContain('"code_string":"450476008"');

    // The header is a UCP - Plan.v1 composition: complete once published, saying who approved it.
    const history = await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}/history` });
    const headers = history
      .json<{ compositions: { moduleId: string; objectId: string; versions: { lifecycleState: string }[] }[] }>()
      .compositions.filter((entry) => entry.moduleId === 'header');
    expect(headers.map((entry) => entry.versions.at(-1)?.lifecycleState).sort()).toEqual(['complete', 'deleted']);
    const publishedHeader = headers.find((entry) => entry.versions.at(-1)?.lifecycleState === 'complete');
    const headerFlat = await kit.test.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}/composition/${publishedHeader?.objectId}?format=FLAT`,
    });
    expect(headerFlat.statusCode, headerFlat.body).toBe(200);
    expect(headerFlat.json()).toMatchObject({
      'urgent_care_plan/plan_status/status|value': 'Published',
      'urgent_care_plan/plan_status/approver/organisation/ods_code|id': HOSPICE.odsCode,
      'urgent_care_plan/plan_status/planned_review_date': reviewDateIn(6),
      'urgent_care_plan/consent_to_share/consent_status|code': '882921000000109',
    });

    // Publishing joined nobody to the care team and moved no registration: the hospice is there
    // because it declared its relationship, and the support section's GP gained no access.
    const relationships = await kit.test.database.db.query<{ ods_code: string; kind: string }>(
      'SELECT ods_code, kind FROM person_relationship WHERE nhs_number = $1 ORDER BY kind, ods_code',
      [nhsNumber],
    );
    expect(relationships.rows).toEqual([{ ods_code: HOSPICE.odsCode, kind: 'care-team' }]);
    const events = await readEventsAfter(kit.test.database.db, 0, 1000);
    const event = events.find((candidate) => candidate.topic === 'careplan.published');
    expect(event?.payload).toMatchObject({ ehrId, nhsNumber, planVersion: 1, cpr: { code: '450476008', notForCpr: true } });
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 100 });
    expect(audit.entries.filter((entry) => entry.action === 'update').length).toBeGreaterThanOrEqual(CORE.length + 2);
    expect(audit.entries.some((entry) => entry.action === 'read' && entry.odsCode === AMBULANCE.odsCode)).toBe(true);
    expect(audit.entries.find((entry) => entry.action === 'create')).toMatchObject({ ehrId, odsCode: HOSPICE.odsCode });
  });
});
