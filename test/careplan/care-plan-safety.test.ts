import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import type { FieldChange } from '../../src/careplan/diff/flat-diff.js';
import { flatFields } from '../../src/careplan/diff/flat-fields.js';
import type { PlanView } from '../../src/careplan/care-plan-service.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import {
  createPlanTestKit,
  decidedBy,
  etag,
  HOSPICE,
  NOT_FOR_CPR,
  PREFERENCES_NOT_FOR_CPR,
  publishedPlan,
  reviewDateIn,
  type Flat,
  type PlanTestKit,
} from './care-plan-test-kit.js';

const CONTACT = 'relevant_contacts_list/relevant_contacts/relevant_contact';
const CPR_CODE = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|code';
const CPR_VALUE = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value';

interface Saved {
  plan: PlanView;
  changes: FieldChange[];
  incomplete: { path: string; message: string }[];
}

const sectionOf = (plan: PlanView, moduleId: string): Flat => plan.modules.find((module) => module.moduleId === moduleId)?.flat ?? {};

describe(`nothing is lost on save, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  /** A published plan whose "Who to call" holds eight fields (two contacts), with a draft open on it. */
  async function draftWithContacts(): Promise<{ ehrId: string; revision: string; fields: Map<string, string> }> {
    const contacts = {
      ...(await kit.exampleFlat('contacts')),
      [`${CONTACT}:1/individual_person/person_name/unstructured_name`]: 'Tom Okafor',
    };
    const { ehrId, revision } = await publishedPlan(kit, nextTestNhsNumber(), { respect: NOT_FOR_CPR, contacts });
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    expect(draft.statusCode, draft.body).toBe(201);
    return { ehrId, revision: etag(draft), fields: flatFields(sectionOf(draft.json<PlanView>(), 'contacts')) };
  }

  it('saving one field keeps the seven others, and the answer names the one change', async () => {
    const { ehrId, revision, fields } = await draftWithContacts();
    expect(fields.size).toBe(8);
    const contributor = await kit.as(['contributor'], HOSPICE);
    const note = `${CONTACT}:0/note`;
    const saved = await contributor({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/contacts`,
      headers: { 'if-match': revision },
      payload: { flat: { [note]: 'Ring after 9am: works nights' } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const body = saved.json<Saved>();
    expect(body.changes).toEqual([
      expect.objectContaining({ path: note, change: 'changed', before: fields.get(note), after: 'Ring after 9am: works nights' }),
    ]);
    const after = flatFields(sectionOf(body.plan, 'contacts'));
    expect(after.size).toBe(8);
    for (const [path, value] of fields) if (path !== note) expect(after.get(path), path).toBe(value);
    expect(body.incomplete).toEqual([]);
  });

  it('removes a field or a whole contact only when sent as null, and replaces the section only when asked', async () => {
    const { ehrId, revision, fields } = await draftWithContacts();
    const clinician = await kit.as(['clinician'], HOSPICE);
    const put = (payload: object, ifMatch: string) =>
      clinician({ method: 'PUT', url: `/api/care-plans/${ehrId}/draft/modules/contacts`, headers: { 'if-match': ifMatch }, payload });

    const removed = await put({ flat: { [`${CONTACT}:1`]: null } }, revision);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<Saved>().changes).toEqual([
      expect.objectContaining({
        path: `${CONTACT}:1/individual_person/person_name/unstructured_name`,
        change: 'removed',
        before: 'Tom Okafor',
      }),
    ]);
    expect(flatFields(sectionOf(removed.json<Saved>().plan, 'contacts')).size).toBe(7);

    // A replacement holding a null is ambiguous: refused, nothing changed.
    const name = `${CONTACT}:0/individual_person/person_name/unstructured_name`;
    const ambiguous = await put({ mode: 'replace', flat: { [name]: 'Kemi Adeyemi', [`${CONTACT}:0/note`]: null } }, etag(removed));
    expect(ambiguous.statusCode).toBe(422);
    expect(ambiguous.json<{ errors: { path: string }[] }>().errors).toEqual([expect.objectContaining({ path: `${CONTACT}:0/note` })]);

    const replaced = await put({ mode: 'replace', flat: { [name]: 'Kemi Adeyemi' } }, etag(removed));
    expect(replaced.statusCode, replaced.body).toBe(200);
    const changes = replaced.json<Saved>().changes;
    expect(
      changes
        .filter((change) => change.change === 'removed')
        .map((change) => change.path)
        .sort(),
    ).toEqual([...fields.keys()].filter((path) => path !== name && !path.startsWith(`${CONTACT}:1`)).sort());
    expect([...flatFields(sectionOf(replaced.json<Saved>().plan, 'contacts')).keys()]).toEqual([name]);
  });

  it('still sees a CPR decision removed by null: refused and audited for a non-senior, a change for a senior', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    const removal = { flat: { [CPR_CODE.replace(/\|code$/, '')]: null } };
    const clinician = await kit.as(['clinician'], HOSPICE);
    const refused = await clinician({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(draft) },
      payload: removal,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain('senior clinician');
    const denied = await queryAudit(kit.test.database.db, { nhsNumber, action: 'access-denied', limit: 10 });
    expect(denied.entries).toHaveLength(1);

    const removed = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(draft) },
      payload: removal,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<Saved>().changes).toEqual([
      expect.objectContaining({ change: 'removed', before: NOT_FOR_CPR[CPR_VALUE], label: expect.stringContaining('CPR decision') }),
    ]);
  });
});

describe(`one CPR truth at submit, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('refuses contradictory CPR recommendations across sections, naming both sections and values; agreeing ones are submitted', async () => {
    const { ehrId, revision } = await publishedPlan(kit, nextTestNhsNumber());
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    // The preferences section still says "for CPR" while ReSPECT (published) says not.
    const preferences = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/preferences`,
      headers: { 'if-match': etag(draft) },
      payload: { flat: await kit.exampleFlat('preferences') },
    });
    expect(preferences.statusCode, preferences.body).toBe(200);
    const submit = (ifMatch: string) =>
      senior({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/submit`,
        headers: { 'if-match': ifMatch },
        payload: { reviewDate: reviewDateIn(3) },
      });
    const refused = await submit(etag(preferences));
    expect(refused.statusCode, refused.body).toBe(422);
    const problem = refused.json<{ detail: string; errors: { path: string }[] }>();
    expect(problem.detail).toContain(
      'ReSPECT: recommendations for emergency care and treatment says "CPR attempts not recommended adult or child." (not for CPR)',
    );
    expect(problem.detail).toContain('Preferences and advance decisions says "For attempted cardio-pulmonary resuscitation" (for CPR)');
    expect(problem.errors.map((error) => error.path)).toEqual([
      '/modules/respect/respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision',
      '/modules/preferences/end_of_life_patient_preferences/legal_information:0/cpr_decision/cpr_decision',
    ]);
    const unchanged = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(unchanged.json<PlanView>().draftState).toBe('editing');

    const agreed = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/preferences`,
      headers: { 'if-match': etag(preferences) },
      payload: { flat: PREFERENCES_NOT_FOR_CPR },
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    const submitted = await submit(etag(agreed));
    expect(submitted.statusCode, submitted.body).toBe(200);
  });
});

describe(`who made a CPR decision is recorded with it, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  const ENTRY = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision';
  const makerOf = (flat: Flat) =>
    Object.fromEntries(
      Object.entries(flat)
        .filter(([key]) => key.startsWith(`${ENTRY}/_other_participation:0|`))
        .map(([key, value]) => [key.slice(key.indexOf('|') + 1), value]),
    );

  it('names the writer (role, organisation) on a decision they record, keeps a named maker, and refuses the submit until the maker is named with a registration number', async () => {
    const { ehrId, revision } = await publishedPlan(kit, nextTestNhsNumber());
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const published = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    const recorded = makerOf(sectionOf(published.json<PlanView>(), 'respect'));
    expect(recorded).toMatchObject({ name: 'Dr Ada Partner', 'identifiers_id:0': 'GMC 7000001' });

    // Another field of ReSPECT changes: the decision, and who made it, stay as they were.
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    const what = 'respect-3/respect_headings/a3._what_matters_to_me/what_matters_to_me/what_i_most_value';
    const other = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(draft) },
      payload: { flat: { [what]: 'My garden' } },
    });
    expect(other.statusCode, other.body).toBe(200);
    expect(makerOf(sectionOf(other.json<Saved>().plan, 'respect'))).toEqual(recorded);

    // The decision changes without naming anyone: the writer (a machine client, no registration number) is its maker now.
    const changed = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(other) },
      payload: { flat: { [CPR_CODE]: 'at0004', [CPR_VALUE]: 'CPR attempts recommended adult or child' } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const writer = makerOf(sectionOf(changed.json<Saved>().plan, 'respect'));
    expect(writer).toMatchObject({ function: 'CPR decision maker: senior clinician, Thames Hospice', name: expect.any(String) });
    expect(writer).not.toHaveProperty('identifiers_id:0');
    const submit = (ifMatch: string) =>
      senior({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/submit`,
        headers: { 'if-match': ifMatch },
        payload: { reviewDate: reviewDateIn(3) },
      });
    const refused = await submit(etag(changed));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<{ detail: string }>().detail).toContain(
      'ReSPECT section 4 (Clinical recommendations), the CPR recommendation: record the CPR recommendation with the clinician who made it and their professional registration number',
    );
    const unchanged = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(unchanged.json<PlanView>().draftState).toBe('editing');

    // Saved again naming the consultant who made it, with their registration number: submitted.
    const named = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(unchanged) },
      payload: { flat: decidedBy(ENTRY, 'Dr Ifeoma Okafor', 'GMC 7654321') },
    });
    expect(named.statusCode, named.body).toBe(200);
    expect(makerOf(sectionOf(named.json<Saved>().plan, 'respect'))).toMatchObject({
      name: 'Dr Ifeoma Okafor',
      'identifiers_id:0': 'GMC 7654321',
    });
    const submitted = await submit(etag(named));
    expect(submitted.statusCode, submitted.body).toBe(200);
  });
});
