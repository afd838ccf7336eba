import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import type { PlanChanges } from '../../src/careplan/care-plan-service.js';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import {
  AMBULANCE,
  createPlanTestKit,
  declareCare,
  etag,
  GP,
  HOSPICE,
  decidedBy,
  NOT_FOR_CPR,
  PREFERENCES_NOT_FOR_CPR,
  planOf,
  RESPECT_CPR_ENTRY,
  publishedPlan,
  reviewDateIn,
  STRANGER,
  type PlanTestKit,
} from './care-plan-test-kit.js';

const CPR_CODE = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|code';
const CPR_VALUE = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value';
const FOCUS = 'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus';

describe(`care plan lifecycle rules on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('refuses a second plan for the same person, naming the first', async () => {
    const nhsNumber = nextTestNhsNumber();
    const clinician = await kit.as(['clinician'], HOSPICE);
    await declareCare(clinician, nhsNumber);
    const first = await clinician({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    expect(first.statusCode).toBe(201);
    const gp = await kit.as(['clinician'], GP);
    await declareCare(gp, nhsNumber);
    const second = await gp({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    expect(second.statusCode).toBe(409);
    expect(second.json<{ detail: string }>().detail).toContain(planOf(first).ehrId);
  });

  it('keeps contributors to non-clinical sections and ReSPECT/CPR to senior clinicians, the person’s wishes to any clinician, auditing each refusal', async () => {
    const nhsNumber = nextTestNhsNumber();
    const clinician = await kit.as(['clinician'], HOSPICE);
    const contributor = await kit.as(['contributor'], HOSPICE);
    await declareCare(clinician, nhsNumber);
    const created = await clinician({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    const { ehrId } = planOf(created);
    const put = (who: typeof clinician, moduleId: string, flat: object, revision: string) =>
      who({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/${moduleId}`,
        headers: { 'if-match': revision },
        payload: { flat },
      });

    const clinical = await put(contributor, 'problems', await kit.exampleFlat('problems'), etag(created));
    expect(clinical.statusCode).toBe(403);
    expect(clinical.json<{ detail: string }>().detail).toContain('plan:write-clinical');
    const contacts = await put(contributor, 'contacts', await kit.exampleFlat('contacts'), etag(created));
    expect(contacts.statusCode, contacts.body).toBe(200);
    const respect = await put(clinician, 'respect', await kit.exampleFlat('respect', NOT_FOR_CPR), etag(contacts));
    expect(respect.statusCode).toBe(403);
    expect(respect.json<{ detail: string }>().detail).toContain('senior clinician');
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 50 });
    expect(audit.entries.filter((entry) => entry.action === 'access-denied').length).toBe(2);

    // The person's wishes are not a clinical decision: a GP records where they would like to die;
    // a CPR decision in the same section still needs the decision permission.
    const place = 'end_of_life_patient_preferences/legal_information:0/preferred_priorities_of_care:0/preferred_place_of_death:0';
    const wishes = await put(
      clinician,
      'preferences',
      { [`${place}|code`]: 'at0016', [`${place}|value`]: 'Preferred place of death: home' },
      etag(contacts),
    );
    expect(wishes.statusCode, wishes.body).toBe(200);
    const cprByClinician = await put(clinician, 'preferences', PREFERENCES_NOT_FOR_CPR, etag(wishes));
    expect(cprByClinician.statusCode).toBe(403);
    expect(cprByClinician.json<{ detail: string }>().detail).toContain('cpr_decision');

    // A senior writes ReSPECT; the clinician may not approve it.
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const seniorSave = await put(senior, 'respect', await kit.exampleFlat('respect', NOT_FOR_CPR), etag(wishes));
    expect(seniorSave.statusCode, seniorSave.body).toBe(200);
    const submitted = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/submit`,
      headers: { 'if-match': etag(seniorSave) },
      payload: { reviewDate: reviewDateIn(2) },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const clinicianApproval = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/approve`,
      headers: { 'if-match': etag(submitted) },
    });
    expect(clinicianApproval.statusCode).toBe(403);
    expect(clinicianApproval.json<{ detail: string }>().detail).toMatch(/ReSPECT.*senior clinician/);
    const seniorApproval = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/approve`,
      headers: { 'if-match': etag(submitted) },
    });
    expect(seniorApproval.statusCode, seniorApproval.body).toBe(200);
  });

  it('lets a clinician publish a plan without ReSPECT/CPR changes where the pathway allows', async () => {
    const nhsNumber = nextTestNhsNumber();
    const clinician = await kit.as(['clinician'], HOSPICE);
    await declareCare(clinician, nhsNumber);
    const created = await clinician({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    const { ehrId } = planOf(created);
    const saved = await clinician({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/problems`,
      headers: { 'if-match': etag(created) },
      payload: { flat: await kit.exampleFlat('problems') },
    });
    const submitted = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/submit`,
      headers: { 'if-match': etag(saved) },
      payload: { reviewDate: reviewDateIn(2) },
    });
    // SCCI1580 req. 54: no preferred place of death is a warning, not a refusal.
    expect(submitted.json<{ warnings: string[] }>().warnings.join()).toContain('Preferred place of death');
    const published = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/approve`,
      headers: { 'if-match': etag(submitted) },
    });
    expect(published.statusCode, published.body).toBe(200);
  });

  it('refuses to submit a plan whose pathway needs a section still empty (a sickle cell plan without its crisis plan), naming it', async () => {
    const nhsNumber = nextTestNhsNumber();
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    await declareCare(senior, nhsNumber);
    const created = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber, pathways: ['sickle-cell'] } });
    const { ehrId } = planOf(created);
    const save = (moduleId: string, flat: object, revision: string) =>
      senior({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/${moduleId}`,
        headers: { 'if-match': revision },
        payload: { flat },
      });
    const respect = await save('respect', await kit.exampleFlat('respect', NOT_FOR_CPR), etag(created));
    const submit = (revision: string) =>
      senior({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/submit`,
        headers: { 'if-match': revision },
        payload: { reviewDate: reviewDateIn(2) },
      });
    const refused = await submit(etag(respect));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json<{ detail: string; errors: { path: string }[] }>().errors).toEqual([
      { path: '/modules/sickle-cell-crisis-plan', message: expect.stringContaining('Sickle cell crisis plan is needed') },
    ]);
    const crisis = await save('sickle-cell-crisis-plan', await kit.exampleFlat('sickle-cell-crisis-plan'), etag(respect));
    expect(crisis.statusCode, crisis.body).toBe(200);
    expect((await submit(etag(crisis))).statusCode).toBe(200);
  });

  it('needs a review date no further ahead than the pathway allows', async () => {
    const nhsNumber = nextTestNhsNumber();
    const clinician = await kit.as(['clinician'], HOSPICE);
    await declareCare(clinician, nhsNumber);
    const created = await clinician({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    const { ehrId } = planOf(created);
    const saved = await clinician({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/problems`,
      headers: { 'if-match': etag(created) },
      payload: { flat: await kit.exampleFlat('problems') },
    });
    const submit = (reviewDate?: string) =>
      clinician({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/submit`,
        headers: { 'if-match': etag(saved) },
        payload: reviewDate ? { reviewDate } : {},
      });
    const missing = await submit();
    expect(missing.statusCode).toBe(422);
    expect(missing.json<{ detail: string }>().detail).toContain(planOf(created).latestReviewDate);
    const tooFar = await submit(reviewDateIn(14));
    expect(tooFar.statusCode).toBe(422);
    expect(tooFar.json<{ detail: string }>().detail).toContain('too far ahead');
    expect((await submit(reviewDateIn(11))).statusCode).toBe(200);
  });

  it('refuses a draft section holding a value its template forbids, changing nothing (a draft may be incomplete, never wrong)', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    const base = etag(draft);
    const wrong = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': base },
      payload: { flat: await kit.exampleFlat('respect', { ...NOT_FOR_CPR, [FOCUS]: 'Whatever the ambulance thinks best' }) },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json<{ errors: { path: string; message: string }[] }>().errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining("'Whatever the ambulance thinks best' is not one of the values") }),
    ]);
    const unchanged = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(etag(unchanged)).toBe(base);
    const valid = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': base },
      payload: { flat: await kit.exampleFlat('respect', { ...NOT_FOR_CPR, [FOCUS]: 'Prioritise extending life' }) },
    });
    expect(valid.statusCode, valid.body).toBe(200);
  });

  it('refuses a stale write with the current revision and what changed since, so two editors can merge', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const colleague = await kit.as(['senior-clinician'], HOSPICE);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    expect(draft.statusCode, draft.body).toBe(201);
    const base = etag(draft);
    // Both read the draft at the same revision; the colleague saves first.
    const first = await colleague({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': base },
      payload: {
        flat: await kit.exampleFlat('respect', { ...NOT_FOR_CPR, [FOCUS]: 'Balance extending life with comfort and valued outcomes' }),
      },
    });
    expect(first.statusCode, first.body).toBe(200);
    const stale = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/contacts`,
      headers: { 'if-match': base },
      payload: { flat: await kit.exampleFlat('contacts') },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.headers['etag']).toBe(etag(first));
    const body = stale.json<{ currentRevision: number; changes: PlanChanges }>();
    expect(body.currentRevision).toBe(Number(etag(first).replace(/"/g, '')));
    expect(body.changes.modules).toEqual([
      expect.objectContaining({
        moduleId: 'respect',
        changes: [
          expect.objectContaining({
            label: expect.stringContaining('Clinical focus'),
            before: 'Prioritise comfort',
            after: 'Balance extending life with comfort and valued outcomes',
            change: 'changed',
          }),
        ],
      }),
    ]);
    // Two professionals saving at the very same moment: one wins, the other is told what changed.
    const racing = await Promise.all(
      (['contacts', 'about-me'] as const).map(async (moduleId) =>
        (await kit.as(['clinician'], HOSPICE))({
          method: 'PUT',
          url: `/api/care-plans/${ehrId}/draft/modules/${moduleId}`,
          headers: { 'if-match': etag(first) },
          payload: { flat: await kit.exampleFlat(moduleId) },
        }),
      ),
    );
    expect(racing.map((response) => response.statusCode).sort()).toEqual([200, 412]);
    const loser = racing.find((response) => response.statusCode === 412);
    const winner = racing.find((response) => response.statusCode === 200);
    expect(loser?.json<{ currentRevision: number }>().currentRevision).toBe(Number(etag(winner as never).replace(/"/g, '')));
    const noIfMatch = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/contacts`,
      payload: { flat: await kit.exampleFlat('contacts') },
    });
    expect(noIfMatch.statusCode).toBe(428);
  });

  it('edits a published plan through a new draft: readers keep the published plan until the new version is approved; history and diff show it', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    // The new decision names the consultant who made it (a machine client's account holds no registration number).
    const forCpr = {
      ...decidedBy(RESPECT_CPR_ENTRY, 'Dr Ifeoma Okafor', 'GMC 7654321'),
      [CPR_CODE]: 'at0004',
      [CPR_VALUE]: 'CPR attempts recommended adult or child',
      [FOCUS]: 'Prioritise extending life',
    };
    const saved = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(draft) },
      payload: { flat: await kit.exampleFlat('respect', forCpr), changeSummary: 'Person now wishes CPR to be attempted' },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    // The draft is never the current plan: not through the API, the summary, nor openEHR/AQL (incomplete).
    const current = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    expect(planOf(current).modules.find((module) => module.moduleId === 'respect')?.flat?.[CPR_CODE]).toBe('at0005');
    expect(planOf(current).header.changeSummary).not.toContain('CPR');
    expect((await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummary>().cpr?.notForCpr).toBe(
      true,
    );
    expect((await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` })).statusCode).toBe(403);
    const draftUid = String(
      planOf({ json: () => saved.json<{ plan: unknown }>().plan } as never).modules.find((module) => module.moduleId === 'respect')
        ?.versionUid,
    );
    const draftVersion = await kit.test.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}/versioned_composition/${draftUid.split('::')[0]}/version`,
    });
    expect(draftVersion.json<{ lifecycle_state: { value: string } }>().lifecycle_state.value).toBe('incomplete');

    const submitted = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/submit`,
      headers: { 'if-match': etag(saved) },
      payload: { reviewDate: reviewDateIn(2) },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/approve`,
      headers: { 'if-match': etag(submitted) },
    });
    expect(planOf(approved)).toMatchObject({ planVersion: 2, status: 'published', draftState: null });
    const summary = (await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummary>();
    expect(summary.cpr).toMatchObject({ code: '450475007', notForCpr: false });
    // The published composition got a second version; the draft's versioned object was deleted.
    const respectUid = String(planOf(approved).modules.find((module) => module.moduleId === 'respect')?.versionUid);
    expect(respectUid).toMatch(/::2$/);
    const deletedDraft = await kit.test.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}/versioned_composition/${draftUid.split('::')[0]}/version`,
    });
    expect(deletedDraft.json<{ lifecycle_state: { value: string } }>().lifecycle_state.value).toBe('deleted');

    const history = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/history` });
    expect(history.statusCode).toBe(200);
    const revisions = history.json<{ revisions: { planVersion: number | null; event: string }[] }>().revisions;
    expect(revisions.filter((entry) => entry.planVersion !== null).map((entry) => entry.planVersion)).toEqual([1, 2]);
    const diff = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/diff?from=1&to=2` });
    expect(diff.statusCode, diff.body).toBe(200);
    const respectChanges = diff.json<PlanChanges>().modules.find((module) => module.moduleId === 'respect')?.changes ?? [];
    expect(respectChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          label: expect.stringContaining('CPR decision'),
          before: 'CPR attempts not recommended adult or child.',
          after: 'CPR attempts recommended adult or child',
          change: 'changed',
        }),
      ]),
    );
  });

  it('closes the plan when the death is recorded: read-only from then on, the summary says so', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const today = new Date().toISOString().slice(0, 10);
    const died = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death`,
      headers: { 'if-match': revision },
      payload: { date: today, place: 'Hospital', placeDiffersReason: 'Admitted with an acute infection' },
    });
    expect(died.statusCode, died.body).toBe(200);
    expect(planOf(died)).toMatchObject({ status: 'closed', header: { death: { date: today, place: 'Hospital' } } });
    const summary = (
      await (
        await kit.as(['viewer'], AMBULANCE)
      )({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })
    ).json<EmergencySummary>();
    expect(summary).toMatchObject({ status: 'closed', death: { date: today, place: 'Hospital' } });
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    for (const attempt of [
      senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': etag(died) } }),
      senior({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/contacts`,
        headers: { 'if-match': etag(died) },
        payload: { flat: await kit.exampleFlat('contacts') },
      }),
      senior({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/death`,
        headers: { 'if-match': etag(died) },
        payload: { date: today, place: 'Home' },
      }),
    ]) {
      const refused = await attempt;
      expect(refused.statusCode).toBe(409);
      expect(refused.json<{ detail: string }>().detail).toContain('read-only');
    }
    // The EHR itself is closed to writes through the openEHR API too.
    const status = await kit.test.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}/ehr_status` });
    expect(status.json<{ is_modifiable: boolean }>().is_modifiable).toBe(false);
  });

  it('deletes logically, audited, for a senior clinician only; every composition keeps its versions', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const reason = encodeURIComponent('Created for the wrong person');
    expect(
      (await clinician({ method: 'DELETE', url: `/api/care-plans/${ehrId}?reason=${reason}`, headers: { 'if-match': revision } }))
        .statusCode,
    ).toBe(403);
    const published = await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const deleted = await senior({ method: 'DELETE', url: `/api/care-plans/${ehrId}?reason=${reason}`, headers: { 'if-match': revision } });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}` })).statusCode).toBe(410);
    expect(
      (await (await kit.as(['viewer'], AMBULANCE))({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).statusCode,
    ).toBe(410);
    for (const module of planOf(published).modules.filter((candidate) => candidate.versionUid)) {
      const objectId = String(module.versionUid).split('::')[0];
      const latest = await kit.test.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}/version` });
      expect(latest.json<{ lifecycle_state: { value: string } }>().lifecycle_state.value).toBe('deleted');
      expect((await kit.test.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}/composition/${module.versionUid}` })).statusCode).toBe(
        200,
      );
    }
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 100 });
    expect(audit.entries.find((entry) => entry.action === 'delete')).toMatchObject({ odsCode: HOSPICE.odsCode, outcome: 'success' });
    // The person may have a new plan: in the same EHR, starting from nothing, the old one kept.
    const again = await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    expect(again.statusCode, again.body).toBe(201);
    expect(planOf(again)).toMatchObject({ ehrId, status: 'draft', planVersion: 1 });
    expect(planOf(again).modules.every((module) => module.source === 'empty')).toBe(true);
    expect((await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}` })).statusCode).toBe(404);
  });

  it('lists the plans due or overdue for review for the organisation that wrote them, and no one else', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId } = await publishedPlan(kit, nhsNumber);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const due = await clinician({ method: 'GET', url: '/api/care-plans/due-for-review?within_days=120' });
    expect(due.statusCode, due.body).toBe(200);
    expect(due.json<{ plans: { ehrId: string; reviewDate: string }[] }>().plans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ehrId,
          nhsNumber,
          name: expect.stringMatching(new RegExp(`${nhsNumber.slice(-4)}$`)),
          reviewDate: reviewDateIn(3),
        }),
      ]),
    );
    const soon = await clinician({ method: 'GET', url: '/api/care-plans/due-for-review?within_days=1' });
    expect(soon.json<{ plans: { ehrId: string }[] }>().plans.map((plan) => plan.ehrId)).not.toContain(ehrId);
    expect(
      (await (await kit.as(['clinician'], STRANGER))({ method: 'GET', url: `/api/care-plans/due-for-review?ods=${HOSPICE.odsCode}` }))
        .statusCode,
    ).toBe(403);
  });
});
