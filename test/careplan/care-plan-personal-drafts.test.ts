import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import type {
  AwaitingAttention,
  MergeResult,
  PersonalDraftSummary,
  PersonalDraftView,
  PlanView,
} from '../../src/careplan/care-plan-service.js';
import { isRecordingDetail } from '../../src/careplan/diff/flat-fields.js';
import { createLocalAccount } from '../../src/users/local-accounts.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import {
  AMBULANCE,
  createPlanTestKit,
  etag,
  HOSPICE,
  NOT_FOR_CPR,
  publishedPlan,
  type Flat,
  type PlanTestKit,
  reviewDateIn,
  STRANGER,
} from './care-plan-test-kit.js';

const ORIGIN = 'http://127.0.0.1:8080';

interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

/** The about-me section's free-text fields, as its template's example fills them. */
async function aboutMeTexts(kit: PlanTestKit): Promise<string[]> {
  const example = await kit.exampleFlat('about-me');
  return Object.keys(example).filter((key) => !key.includes('|') && typeof example[key] === 'string' && key.includes('what_matters'));
}

async function sectionOf(response: LightMyRequestResponse, moduleId: string): Promise<Flat> {
  return response.json<PlanView>().modules.find((module) => module.moduleId === moduleId)?.flat ?? {};
}

describe(`drafts of one's own: two professionals, or the person and a professional, each hold a draft at once, on ${backend}`, () => {
  let kit: PlanTestKit;
  let fields: string[];
  beforeAll(async () => {
    kit = await createPlanTestKit();
    fields = await aboutMeTexts(kit);
  }, 120_000);
  afterAll(() => kit.close());

  it('the second to merge sees what changed since they started and decides field by field; nobody loses a field or a draft', async () => {
    const [first, second] = fields;
    if (!first || !second) throw new Error(`about-me has too few text fields: ${fields.join(', ')}`);
    const { ehrId, revision } = await publishedPlan(kit, nextTestNhsNumber(), {
      respect: NOT_FOR_CPR,
      contacts: 'example',
      'about-me': 'example',
    });
    const gp = await kit.as(['clinician'], HOSPICE);
    const nurse = await kit.as(['senior-clinician'], HOSPICE);
    const published = await sectionOf(await gp({ method: 'GET', url: `/api/care-plans/${ehrId}` }), 'about-me');
    const save = (as: typeof gp, flat: Flat, ifMatch = revision) =>
      as({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/drafts/mine/modules/about-me`,
        headers: { 'if-match': ifMatch },
        payload: { flat },
      });

    // Both read revision `revision` and work apart; the plan itself does not change.
    expect((await save(gp, { [first]: 'Seeing my grandchildren at weekends' })).statusCode).toBe(200);
    const nurseSaved = await save(nurse, { [first]: 'My garden', [second]: 'Being at home with my cat' });
    expect(nurseSaved.statusCode, nurseSaved.body).toBe(200);
    expect(
      nurseSaved
        .json<PersonalDraftView>()
        .sections[0]?.changes.map((change) => change.path)
        .sort(),
    ).toEqual([first, second].sort());
    const plan = await gp({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    expect(etag(plan)).toBe(revision);
    expect((await gp({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` })).statusCode).toBe(404);

    // The GP merges first: nothing else changed, so no question is asked.
    const gpDraft = (await gp({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts/mine` })).json<PersonalDraftView>();
    expect(gpDraft.sections[0]?.conflicts).toEqual([]);
    const merged = await gp({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/drafts/${gpDraft.draftId}/merge`,
      headers: { 'if-match': revision },
      payload: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const afterGp = merged.json<MergeResult>();
    expect(afterGp.draft.state).toBe('merged');
    expect(afterGp.changes[0]?.changes.map((change) => change.path)).toEqual([first]);

    // The nurse sees what the GP changed since they started, and the one field both changed.
    const nurseDraft = (await nurse({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts/mine` })).json<PersonalDraftView>();
    const section = nurseDraft.sections[0];
    expect(section?.changedSince.map((change) => change.path)).toEqual([first]);
    expect(section?.conflicts).toEqual([
      {
        moduleId: 'about-me',
        path: first,
        label: expect.any(String),
        startedFrom: String(published[first]),
        mine: 'My garden',
        now: 'Seeing my grandchildren at weekends',
      },
    ]);
    const mergeNurse = (resolutions?: Record<string, Record<string, 'mine' | 'theirs'>>, ifMatch = etag(merged)) =>
      nurse({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/drafts/${nurseDraft.draftId}/merge`,
        headers: { 'if-match': ifMatch },
        payload: resolutions ? { resolutions } : {},
      });
    // Without a decision the merge is refused naming the field, and nothing changes.
    const undecided = await mergeNurse();
    expect(undecided.statusCode).toBe(409);
    expect(undecided.json<Problem>().errors).toEqual([{ path: `about-me/${first}`, message: expect.any(String) }]);
    // A merge against a plan older than the one now is refused too (the conflicts may have changed).
    expect((await mergeNurse({ 'about-me': { [first]: 'theirs' } }, revision)).statusCode).toBe(412);
    const draftNow = await gp({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(etag(draftNow)).toBe(etag(merged));

    const decided = await mergeNurse({ 'about-me': { [first]: 'theirs' } });
    expect(decided.statusCode, decided.body).toBe(200);
    const result = await sectionOf(await gp({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` }), 'about-me');
    // The GP's value stays where the nurse chose it; the nurse's other field is in; every other field is as published.
    expect(result[first]).toBe('Seeing my grandchildren at weekends');
    expect(result[second]).toBe('Being at home with my cat');
    const untouched = (flat: Flat) =>
      Object.fromEntries(Object.entries(flat).filter(([key]) => key !== first && key !== second && !isRecordingDetail(key)));
    expect(untouched(result)).toEqual(untouched(published));

    // Both drafts are kept, merged, with who merged them.
    const list = (await gp({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts` })).json<{ drafts: PersonalDraftSummary[] }>();
    expect(list.drafts.map((draft) => draft.state)).toEqual(['merged', 'merged']);
    // Only the author merges a professional's draft.
    const again = await save(gp, { [second]: 'Music' }, etag(decided));
    const gpSecond = again.json<PersonalDraftView>();
    const byNurse = await nurse({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/drafts/${gpSecond.draftId}/merge`,
      headers: { 'if-match': etag(decided) },
      payload: {},
    });
    expect(byNurse.statusCode).toBe(409);
    expect(byNurse.json<Problem>().detail).toContain('only they can merge it');
  });

  it('the person proposes a change to the sections about them; a professional merges it or declines it saying why', async () => {
    const [first] = fields;
    if (!first) throw new Error('about-me has no text field');
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const { db } = kit.test.database;
    const user = await createUser(db, { displayName: 'Ada Person', email: `ada.${nhsNumber}@example.test`, nhsNumber });
    await addMembership(db, user.id, HOSPICE.odsCode, ['patient']);
    await createLocalAccount(db, { userId: user.id, username: `ada.${nhsNumber}`, password: 'a-long-enough-passphrase-42' });
    const signIn = await kit.test.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { username: `ada.${nhsNumber}`, password: 'a-long-enough-passphrase-42' },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const session = await kit.test.app.inject({ method: 'GET', url: '/auth/session', headers: { cookie } });
    const csrf = session.json<{ csrfToken: string }>().csrfToken;
    const person = (options: { method: 'GET' | 'PUT' | 'POST'; url: string; headers?: Record<string, string>; payload?: object }) =>
      kit.test.app.inject({ ...options, headers: { ...options.headers, cookie, origin: ORIGIN, 'x-csrf-token': csrf } });
    const save = (moduleId: string, flat: Flat) =>
      person({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/drafts/mine/modules/${moduleId}`,
        headers: { 'if-match': revision },
        payload: { flat },
      });

    // The person may propose changes to what is about them, never to the clinical decisions.
    expect(
      (await save('respect', { 'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus': 'x' })).statusCode,
    ).toBe(403);
    const saved = await save('about-me', { [first]: 'Being able to stay in my own bed' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<PersonalDraftView>()).toMatchObject({ byPerson: true, state: 'open' });
    const proposed = await person({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/drafts/mine/propose`,
      payload: { note: 'I talked it over with my daughter' },
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const proposal = proposed.json<PersonalDraftView>();
    expect(proposal.state).toBe('proposed');
    // Waiting: not to be changed meanwhile, and never merged by the person.
    expect((await save('about-me', { [first]: 'Something else' })).statusCode).toBe(409);
    expect(
      (
        await person({
          method: 'POST',
          url: `/api/care-plans/${ehrId}/drafts/${proposal.draftId}/merge`,
          headers: { 'if-match': revision },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    // An ambulance crew reads the plan, not anyone's drafts.
    expect((await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts` })).statusCode).toBe(403);

    // It waits on the care team's worklist, named; another organisation's worklist never shows it.
    const waiting = (await clinician({ method: 'GET', url: '/api/care-plans/awaiting-attention' })).json<AwaitingAttention>();
    expect(waiting.proposals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ehrId,
          draftId: proposal.draftId,
          author: 'Ada Person',
          note: 'I talked it over with my daughter',
          name: expect.any(String),
        }),
      ]),
    );
    const stranger = await kit.as(['clinician'], STRANGER);
    const theirs = (await stranger({ method: 'GET', url: '/api/care-plans/awaiting-attention' })).json<AwaitingAttention>();
    expect(theirs.proposals.some((entry) => entry.ehrId === ehrId)).toBe(false);
    expect((await crew({ method: 'GET', url: '/api/care-plans/awaiting-attention' })).statusCode).toBe(403);

    const list = (await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts` })).json<{ drafts: PersonalDraftSummary[] }>();
    expect(list.drafts).toEqual([
      expect.objectContaining({ draftId: proposal.draftId, byPerson: true, state: 'proposed', sections: ['about-me'] }),
    ]);
    const merged = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/drafts/${proposal.draftId}/merge`,
      headers: { 'if-match': revision },
      payload: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const draft = await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect((await sectionOf(draft, 'about-me'))[first]).toBe('Being able to stay in my own bed');
    expect(draft.json<PlanView>().header.changeSummary).toBe('Proposed by Ada Person: I talked it over with my daughter');
    // Submitted, the plan's draft waits for approval on the same worklist; the proposal no longer does.
    const submitted = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/submit`,
      headers: { 'if-match': etag(draft) },
      payload: { reviewDate: reviewDateIn(3) },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const after = (await clinician({ method: 'GET', url: '/api/care-plans/awaiting-attention' })).json<AwaitingAttention>();
    expect(after.approvals.map((entry) => entry.ehrId)).toContain(ehrId);
    expect(after.proposals.map((entry) => entry.ehrId)).not.toContain(ehrId);
    const approved = await kit.as(['senior-clinician'], HOSPICE);
    expect(
      (await approved({ method: 'POST', url: `/api/care-plans/${ehrId}/draft/approve`, headers: { 'if-match': etag(submitted) } }))
        .statusCode,
    ).toBe(200);

    // A second proposal, declined with a reason the person reads; it is kept.
    await save('about-me', { [first]: 'Never go to hospital again' });
    await person({ method: 'POST', url: `/api/care-plans/${ehrId}/drafts/mine/propose`, payload: {} });
    const second = (await person({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts/mine` })).json<PersonalDraftView>();
    const decline = (reason: string) =>
      clinician({ method: 'POST', url: `/api/care-plans/${ehrId}/drafts/${second.draftId}/decline`, payload: { reason } });
    expect((await decline('no')).statusCode).toBe(400);
    const declined = await decline('Let us talk this through at your visit on Thursday before we change it.');
    expect(declined.statusCode, declined.body).toBe(200);
    const own = (await person({ method: 'GET', url: `/api/care-plans/${ehrId}/drafts` })).json<{ drafts: PersonalDraftSummary[] }>();
    expect(own.drafts.map((entry) => [entry.state, entry.outcome?.reason ?? null])).toEqual([
      ['declined', 'Let us talk this through at your visit on Thursday before we change it.'],
      ['merged', null],
    ]);

    // Every save, proposal, merge and refusal of a draft is in the person's audit trail.
    const audit = await queryAudit(db, { nhsNumber, limit: 200 });
    const routes = audit.entries.map((entry) => `${entry.action} ${String(entry.detail?.['route'] ?? '')}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'update PUT /api/care-plans/:ehr_id/drafts/mine/modules/:module_id',
        'update POST /api/care-plans/:ehr_id/drafts/mine/propose',
        'update POST /api/care-plans/:ehr_id/drafts/:draft_id/merge',
        'update POST /api/care-plans/:ehr_id/drafts/:draft_id/decline',
      ]),
    );
    expect(audit.entries.some((entry) => entry.action === 'access-denied' && entry.actorId === user.id)).toBe(true);
  });
});
