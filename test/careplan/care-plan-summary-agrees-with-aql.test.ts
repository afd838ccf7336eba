import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanView } from '../../src/careplan/care-plan-service.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { objectIdOf } from '../support/version-uid.js';
import {
  createPlanTestKit,
  declareCare,
  decidedBy,
  etag,
  GP,
  HOSPICE,
  NOT_FOR_CPR,
  planOf,
  RESPECT_CPR_ENTRY,
  reviewDateIn,
  type PlanTestKit,
} from './care-plan-test-kit.js';
import { expectSummaryToAgreeWithAql } from './summary-agrees-with-aql.js';

const GUIDANCE = 'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_guidance_on_interventions';

/**
 * The emergency summary is a projection; the compositions are the record. After every step that
 * can change either — each lifecycle step, each correction, each openEHR write — what the summary
 * shows a crew (plan status, CPR recommendation, ceiling of treatment, who to call) is what AQL
 * over the person's current compositions gives (`summary-agrees-with-aql.ts`).
 */
describe(`the emergency summary agrees with AQL over the compositions after every step, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('through the lifecycle, openEHR PUT and DELETE, a registered-GP correction, a death and its correction, and a wrong-subject withdrawal', async () => {
    const nhsNumber = nextTestNhsNumber();
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const clinician = await kit.as(['clinician'], HOSPICE);
    await declareCare(senior, nhsNumber);
    const agree = (ehrId: string, step: string) => expectSummaryToAgreeWithAql(kit, ehrId, step);

    // Draft: nothing published, and AQL finds nothing current (a draft is incomplete).
    const created = await senior({
      method: 'POST',
      url: '/api/care-plans',
      payload: { nhsNumber, consent: { toShare: true, route: 'explicit' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ehrId = planOf(created).ehrId;
    let revision = etag(created);
    expect((await agree(ehrId, 'draft')).status).toBe('none');
    const save = async (moduleId: string, flat: Record<string, unknown>) => {
      const saved = await senior({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/${moduleId}`,
        headers: { 'if-match': revision },
        payload: { flat },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      revision = etag(saved);
    };
    await save('respect', await kit.exampleFlat('respect', NOT_FOR_CPR));
    await save('contacts', await kit.exampleFlat('contacts'));
    expect((await agree(ehrId, 'section saves of a draft')).status).toBe('none');
    const submitAndApprove = async (step: string) => {
      const submitted = await senior({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/submit`,
        headers: { 'if-match': revision },
        payload: { reviewDate: reviewDateIn(3) },
      });
      expect(submitted.statusCode, submitted.body).toBe(200);
      revision = etag(submitted);
      expect((await agree(ehrId, `${step}: submit`)).status).not.toBe('deleted');
      const approved = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft/approve`, headers: { 'if-match': revision } });
      expect(approved.statusCode, approved.body).toBe(200);
      revision = etag(approved);
      return agree(ehrId, `${step}: approve and publish`);
    };
    const first = await submitAndApprove('first publication');
    expect(first).toMatchObject({ status: 'published', cpr: { notForCpr: true, code: '450476008' } });
    expect(first.contacts.length).toBeGreaterThan(0);
    expect(first.ceilingOfTreatment).not.toBeNull();

    // Review: a new draft changes the CPR decision and the ceiling; until it is approved, the summary and AQL keep the published plan.
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    expect(draft.statusCode, draft.body).toBe(201);
    revision = etag(draft);
    await save('respect', {
      ...decidedBy(RESPECT_CPR_ENTRY, 'Dr Grace Registrar', 'GMC 7000002'),
      [`${RESPECT_CPR_ENTRY}/cpr_decision|code`]: 'at0004',
      [`${RESPECT_CPR_ENTRY}/cpr_decision|value`]: 'CPR attempts recommended adult or child',
      [GUIDANCE]: 'Full escalation, including intensive care if needed.',
    });
    expect(await agree(ehrId, 'a section save in a review draft')).toEqual(first);
    const reviewed = await submitAndApprove('review');
    expect(reviewed).toMatchObject({
      status: 'published',
      cpr: { notForCpr: false, code: '450475007' },
      ceilingOfTreatment: 'Full escalation, including intensive care if needed.',
    });

    // openEHR writes: PUT of the ReSPECT composition (by a decision-maker), DELETE of the contacts composition.
    const published = planOf(await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` }));
    const versionOf = (view: PlanView, moduleId: string) => view.modules.find((module) => module.moduleId === moduleId)?.versionUid ?? '';
    const composition = `/openehr/v1/ehr/${ehrId}/composition`;
    const respectUid = versionOf(published, 'respect');
    const stored = await senior({ method: 'GET', url: `${composition}/${respectUid}?format=FLAT` });
    expect(stored.statusCode, stored.body).toBe(200);
    const put = await senior({
      method: 'PUT',
      url: `${composition}/${objectIdOf(respectUid)}?templateId=ReSPECT-3.v0&format=FLAT`,
      headers: { 'if-match': `"${respectUid}"` },
      payload: {
        ...stored.json<Record<string, unknown>>(),
        [`${RESPECT_CPR_ENTRY}/cpr_decision|code`]: 'at0005',
        [`${RESPECT_CPR_ENTRY}/cpr_decision|value`]: 'CPR attempts not recommended adult or child.',
        [GUIDANCE]: 'Ward-based care; not for intensive care.',
      },
    });
    expect(put.statusCode, put.body).toBe(204);
    expect(await agree(ehrId, 'openEHR PUT of the ReSPECT composition')).toMatchObject({
      cpr: { notForCpr: true },
      ceilingOfTreatment: 'Ward-based care; not for intensive care.',
    });
    const contactsUid = versionOf(published, 'contacts');
    const deleted = await senior({ method: 'DELETE', url: `${composition}/${contactsUid}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    await agree(ehrId, 'openEHR DELETE of the contacts composition');

    // A registered-GP correction moves access, not content.
    const platformAdmin = await kit.as(['platform-admin'], HOSPICE);
    const gp = await platformAdmin({
      method: 'POST',
      url: `/api/people/${nhsNumber}/registered-gp/correction`,
      payload: { odsCode: GP.odsCode, reason: 'Registered at Riverside Practice since March, confirmed with the practice.' },
    });
    expect(gp.statusCode, gp.body).toBe(200);
    await agree(ehrId, 'a registered-GP correction');

    // Death, and a death recorded in error.
    revision = etag(await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` }));
    const today = new Date().toISOString().slice(0, 10);
    const died = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death`,
      headers: { 'if-match': revision },
      payload: { date: today, place: 'Hospice' },
    });
    expect(died.statusCode, died.body).toBe(200);
    expect(await agree(ehrId, 'death')).toMatchObject({ status: 'closed', dateOfDeath: today });
    const corrected = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death/correction`,
      headers: { 'if-match': etag(died) },
      payload: { reason: 'Another patient on the ward died; she is alive and well.' },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(await agree(ehrId, 'death correction')).toMatchObject({ status: 'published', dateOfDeath: null });

    // A wrong subject: withdrawn from this person, re-recorded as a draft of the right person's plan.
    const rightNumber = nextTestNhsNumber();
    await declareCare(senior, rightNumber);
    const withdrawn = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/subject/correction`,
      headers: { 'if-match': etag(corrected) },
      payload: { reason: 'Recorded under the wrong NHS number at the home visit.', rightNhsNumber: rightNumber },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(await agree(ehrId, 'wrong-subject withdrawal')).toEqual({
      status: 'deleted',
      dateOfDeath: null,
      cpr: null,
      ceilingOfTreatment: null,
      contacts: [],
    });
    const rightEhrId = withdrawn.json<{ reRecorded: PlanView }>().reRecorded.ehrId;
    expect((await agree(rightEhrId, "re-recording as the right person's draft")).status).toBe('none');
  });
});
