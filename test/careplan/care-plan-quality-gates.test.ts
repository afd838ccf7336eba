import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanView } from '../../src/careplan/care-plan-service.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import {
  createPlanTestKit,
  declareCare,
  etag,
  HOSPICE,
  NOT_FOR_CPR,
  planOf,
  reviewDateIn,
  type Flat,
  type PlanTestKit,
} from './care-plan-test-kit.js';

const H = 'respect-3/respect_headings';
const CAPACITY = `${H}/a5._capacity_for_involvement/mental_capacity/does_the_person_have_capacity_to_participate_in_making_recommendations_on_this_plan`;
const LACKS = `${H}/a5._capacity_for_involvement/mental_capacity/if_no_in_what_way_does_this_person_lack_capacity`;
const OPTION_D = `${H}/a6._involvement_in_making_plan/respect_involvement/involvement_in_recommendations/option_d`;

interface Problem {
  detail: string;
  errors: { path: string; message: string }[];
}

describe(`the ReSPECT quality gates at submit, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  /** A new plan whose ReSPECT section holds `respect` alone (no example content), as its draft. */
  async function draftWithRespect(respect: Flat): Promise<{ ehrId: string; revision: string }> {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const nhsNumber = nextTestNhsNumber();
    await declareCare(senior, nhsNumber);
    const created = await senior({
      method: 'POST',
      url: '/api/care-plans',
      payload: { nhsNumber, pathways: [], consent: { toShare: true, route: 'explicit' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ehrId = planOf(created).ehrId;
    const saved = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': etag(created) },
      payload: { flat: respect },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    return { ehrId, revision: etag(saved) };
  }

  async function submit(ehrId: string, revision: string) {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    return senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/submit`,
      headers: { 'if-match': revision },
      payload: { reviewDate: reviewDateIn(3) },
    });
  }

  it('refuses a ReSPECT recommendation without capacity and discussion, naming each gap with its section, and changes nothing', async () => {
    const { ehrId, revision } = await draftWithRespect(NOT_FOR_CPR);
    const refused = await submit(ehrId, revision);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json<Problem>();
    expect(problem.detail).toContain('The plan cannot be submitted yet: its ReSPECT / CPR recommendation is missing 2 thing(s).');
    expect(problem.detail).toContain(
      '(1) ReSPECT section 5 (Capacity for involvement): record whether the person has capacity to take part in making these recommendations',
    );
    expect(problem.detail).toContain(
      '(2) ReSPECT section 6 (Involvement in making plan): record who the recommendations were discussed with',
    );
    expect(problem.detail).not.toContain('registration');
    expect(problem.errors).toEqual([
      { path: '/modules/respect', message: expect.stringContaining('section 5') },
      { path: '/modules/respect', message: expect.stringContaining('section 6') },
    ]);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const draft = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(draft.json<PlanView>()).toMatchObject({ status: 'draft', draftState: 'editing', revision: Number(revision.replace(/"/g, '')) });
  });

  it('asks in what way a person lacks capacity, takes a reason under option D, then submits and approves', async () => {
    const { ehrId, revision } = await draftWithRespect({
      ...NOT_FOR_CPR,
      [`${CAPACITY}|code`]: 'at0004',
      [`${CAPACITY}|value`]: 'Does not have capacity',
      [OPTION_D]: 'Admitted unconscious; no family reachable; to be discussed with daughter on arrival',
    });
    const refused = await submit(ehrId, revision);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json<Problem>().detail).toContain(
      'is missing 1 thing(s). Add: (1) ReSPECT section 5 (Capacity for involvement): the person does not have capacity: record in what way they lack it.',
    );

    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const explained = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/respect`,
      headers: { 'if-match': revision },
      payload: { flat: { [LACKS]: 'Unconscious: cannot understand or weigh the information' } },
    });
    expect(explained.statusCode, explained.body).toBe(200);
    const submitted = await submit(ehrId, etag(explained));
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft/approve`,
      headers: { 'if-match': etag(submitted) },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(planOf(approved).status).toBe('published');
  });

  it('does not gate a plan whose ReSPECT section records nothing', async () => {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const nhsNumber = nextTestNhsNumber();
    await declareCare(senior, nhsNumber);
    const created = await senior({
      method: 'POST',
      url: '/api/care-plans',
      payload: { nhsNumber, pathways: [], consent: { toShare: true, route: 'explicit' } },
    });
    const ehrId = planOf(created).ehrId;
    const contacts = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/contacts`,
      headers: { 'if-match': etag(created) },
      payload: { flat: await kit.exampleFlat('contacts') },
    });
    const submitted = await submit(ehrId, etag(contacts));
    expect(submitted.statusCode, submitted.body).toBe(200);
  });
});
