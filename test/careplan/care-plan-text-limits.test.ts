import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanView } from '../../src/careplan/care-plan-service.js';
import { FREE_TEXT_LIMIT } from '../../src/careplan/text-limits.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { createPlanTestKit, declareCare, etag, HOSPICE, planOf, publishedPlan, type PlanTestKit } from './care-plan-test-kit.js';

const IN_MY_OWN_WORDS = 'about_me/what_matters_to_me/in_my_own_words';

interface Problem {
  detail: string;
  errors: { path: string; message: string }[];
}

describe(`free text in the care plan API has a length limit, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('refuses a section field longer than the limit with 400 naming the field and the limit, and saves nothing', async () => {
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const nhsNumber = nextTestNhsNumber();
    await declareCare(senior, nhsNumber);
    const created = await senior({
      method: 'POST',
      url: '/api/care-plans',
      payload: { nhsNumber, pathways: [], consent: { toShare: true, route: 'explicit' } },
    });
    const ehrId = planOf(created).ehrId;
    const save = (text: string, ifMatch: string) =>
      senior({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/about-me`,
        headers: { 'if-match': ifMatch },
        payload: { flat: { [IN_MY_OWN_WORDS]: text } },
      });
    const refused = await save('x'.repeat(FREE_TEXT_LIMIT + 1), etag(created));
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json<Problem>();
    expect(problem.detail).toContain(`/flat/${IN_MY_OWN_WORDS} is ${FREE_TEXT_LIMIT + 1} characters long; at most ${FREE_TEXT_LIMIT}`);
    expect(problem.errors).toEqual([{ path: `/flat/${IN_MY_OWN_WORDS}`, message: expect.stringContaining(`at most ${FREE_TEXT_LIMIT}`) }]);
    const draft = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/draft` });
    expect(draft.json<PlanView>().revision).toBe(planOf(created).revision);
    expect(draft.json<PlanView>().modules.find((module) => module.moduleId === 'about-me')?.flat).toBeNull();

    const saved = await save('x'.repeat(FREE_TEXT_LIMIT), etag(created));
    expect(saved.statusCode, saved.body).toBe(200);
  });

  it('limits the change summary, the place of death and its reason, and the reason for a deletion, each named with its limit', async () => {
    const { ehrId, revision } = await publishedPlan(kit, nextTestNhsNumber());
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const started = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
    const summary = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/about-me`,
      headers: { 'if-match': etag(started) },
      payload: { flat: { [IN_MY_OWN_WORDS]: 'Radio on' }, changeSummary: 'y'.repeat(501) },
    });
    expect(summary.statusCode).toBe(400);
    expect(summary.json<Problem>().errors).toEqual([{ path: 'body/changeSummary', message: expect.stringContaining('500') }]);

    const death = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death`,
      headers: { 'if-match': etag(started) },
      payload: { date: '2026-01-02', place: 'h'.repeat(201), placeDiffersReason: 'r'.repeat(1001) },
    });
    expect(death.statusCode).toBe(400);
    expect(death.json<Problem>().errors.map((error) => [error.path, error.message])).toEqual(
      expect.arrayContaining([
        ['body/place', expect.stringContaining('200')],
        ['body/placeDiffersReason', expect.stringContaining('1000')],
      ]),
    );
    const deletion = await senior({
      method: 'DELETE',
      url: `/api/care-plans/${ehrId}?reason=${'d'.repeat(1001)}`,
      headers: { 'if-match': etag(started) },
    });
    expect(deletion.statusCode).toBe(400);
    expect(deletion.json<Problem>().errors).toEqual([{ path: 'querystring/reason', message: expect.stringContaining('1000') }]);
    const unchanged = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    expect(unchanged.json<PlanView>().status).toBe('published');
  });
});
