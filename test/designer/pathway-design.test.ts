import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCaller } from '../../src/access/caller.js';
import { coreCatalogue } from '../../src/careplan/catalogue/core-catalogue.js';
import { PublishedCatalogue } from '../../src/careplan/catalogue/published-catalogue.js';
import { MENTAL_HEALTH_CRISIS_PATHWAY, seedDemoPathways } from '../../src/demo/demo-pathways.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { AMBULANCE, createPlanTestKit, GP, HOSPICE, NOT_FOR_CPR, publishedPlan, type PlanTestKit } from '../careplan/care-plan-test-kit.js';

type Request = (options: InjectOptions) => Promise<LightMyRequestResponse>;

interface VersionView {
  id: string;
  version: number;
  status: string;
  basedOn: string | null;
  author: { id: string };
  review: { outcome: string; note: string | null } | null;
  problems: { path: string; message: string }[];
}
interface PathwayList {
  pathways: { id: string; title: string; modules: { id: string; title: string; rules?: unknown[]; prefill?: unknown[] }[] }[];
}

const KEY = MENTAL_HEALTH_CRISIS_PATHWAY.id;
const MODULE = 'mental-health-crisis-plan';
const CRISIS_PLAN = 'mental_health_crisis_plan/crisis_plan';
const SAFETY_NOTES = [
  { hazard: 'The crisis team cannot be reached out of hours.', controls: 'The contact is required when a team is named.' },
];

describe(`pathway design on ${backend}`, () => {
  let kit: PlanTestKit;
  let designer: Request;
  let designer2: Request;
  let clinician: Request;

  const pathwaysSeenBy = async (request: Request): Promise<PathwayList['pathways']> =>
    (await request({ method: 'GET', url: '/api/care-plans/pathways' })).json<PathwayList>().pathways;

  /** Drafts `definition` as a copy of `fromVersion`, or new; submits; has designer2 approve; publishes. Returns the version. */
  const publishThroughReview = async (body: Record<string, unknown>, url = '/api/designer/pathways'): Promise<number> => {
    const draft = await designer({ method: 'POST', url, payload: body });
    expect(draft.statusCode, draft.body).toBe(201);
    const { version } = draft.json<VersionView>();
    const base = `/api/designer/pathways/${KEY}/versions/${version}`;
    expect((await designer({ method: 'POST', url: `${base}/submit` })).statusCode).toBe(200);
    expect((await designer2({ method: 'POST', url: `${base}/review`, payload: { outcome: 'approve' } })).statusCode).toBe(200);
    const published = await designer2({ method: 'POST', url: `${base}/publish` });
    expect(published.statusCode, published.body).toBe(200);
    return version;
  };

  beforeAll(async () => {
    kit = await createPlanTestKit();
    designer = await kit.as(['clinical-designer'], HOSPICE);
    designer2 = await kit.as(['clinical-designer'], GP);
    clinician = await kit.as(['clinician'], HOSPICE);
  }, 120_000);
  afterAll(() => kit.close());

  it('refuses a viewer and a clinician (no pathway:design), and lists the shipped pathways as first published versions to a designer', async () => {
    const viewer = await kit.as(['viewer'], AMBULANCE);
    for (const caller of [viewer, clinician]) {
      const refused = await caller({ method: 'GET', url: '/api/designer/pathways' });
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect((await caller({ method: 'POST', url: `/api/designer/pathways/frailty/rollback` })).statusCode).toBe(403);
    }
    const listed = await designer({ method: 'GET', url: '/api/designer/pathways' });
    expect(listed.statusCode).toBe(200);
    const pathways = listed.json<{ pathways: { key: string; published: number | null; open: unknown }[] }>().pathways;
    expect(pathways.map((pathway) => pathway.key).sort()).toEqual(['end-of-life', 'frailty', 'learning-disability-autism', 'sickle-cell']);
    expect(pathways.every((pathway) => pathway.published === 1 && pathway.open === null)).toBe(true);
  });

  it('returns every problem of a draft with its path, and refuses to submit it until it is sound', async () => {
    const module = MENTAL_HEALTH_CRISIS_PATHWAY.modules[0];
    const unsound = {
      ...MENTAL_HEALTH_CRISIS_PATHWAY,
      id: 'unsound-crisis',
      modules: [
        {
          ...module,
          id: 'unsound-crisis-plan',
          form: { hidden: [`${CRISIS_PLAN}/no_such_field`] },
          rules: [{ id: 'bad', when: { eval: ['process.exit()'] }, then: [{ show: `${CRISIS_PLAN}/nowhere` }] }],
          prefill: [{ path: `${CRISIS_PLAN}/what_helps`, from: { aql: 'SELECT nonsense FROM', column: 'x' } }],
        },
        { id: 'frailty-again', title: 'Frailty again', templateId: 'UCP - Frailty.v1', kind: 'clinical', seniorDecision: false },
        { id: 'missing', title: 'Missing', templateId: 'Nowhere.v1', kind: 'clinical', seniorDecision: false },
      ],
    };
    const draft = await designer({
      method: 'POST',
      url: '/api/designer/pathways',
      payload: { definition: unsound, safetyNotes: SAFETY_NOTES },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const problems = draft.json<VersionView>().problems.map((problem) => `${problem.path}: ${problem.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        `/modules/0/form: ${CRISIS_PLAN}/no_such_field is not a section or field of UCP - Mental health crisis plan.v1`,
        expect.stringMatching(/^\/modules\/0\/rules\/0\/when: eval is not an operator rules may use/),
        `/modules/0/rules/0/then/0: ${CRISIS_PLAN}/nowhere is not a section or field of UCP - Mental health crisis plan.v1`,
        expect.stringMatching(/^\/modules\/0\/prefill\/0\/from\/aql: not AQL/),
        '/modules/1: template UCP - Frailty.v1 is already a module of another pathway',
        '/modules/2: template Nowhere.v1 is not in the repository',
      ]),
    );
    const submitted = await designer({ method: 'POST', url: '/api/designer/pathways/unsound-crisis/versions/1/submit' });
    expect(submitted.statusCode).toBe(422);
    expect(submitted.json<{ errors: unknown[] }>().errors.length).toBe(problems.length);
    expect(
      (await designer({ method: 'GET', url: '/api/designer/pathways/unsound-crisis' })).json<{ versions: VersionView[] }>().versions[0]
        ?.status,
    ).toBe('draft');
  });

  it('takes a version through draft, review and publication; refuses self-review and an unapproved publication; publishing takes effect at once, on every server', async () => {
    const otherServer = new PublishedCatalogue(kit.test.database.db, coreCatalogue(), 0);
    expect((await otherServer.fresh()).pathway(KEY)).toBeUndefined();

    const draft = await designer({
      method: 'POST',
      url: '/api/designer/pathways',
      payload: { definition: { ...MENTAL_HEALTH_CRISIS_PATHWAY, title: 'Draft' } },
    });
    expect(draft.statusCode).toBe(201);
    const base = `/api/designer/pathways/${KEY}/versions/1`;
    expect(
      (
        await designer({ method: 'PUT', url: base, payload: { definition: MENTAL_HEALTH_CRISIS_PATHWAY, safetyNotes: SAFETY_NOTES } })
      ).json<VersionView>().problems,
    ).toEqual([]);
    expect((await designer2({ method: 'PUT', url: base, payload: { definition: MENTAL_HEALTH_CRISIS_PATHWAY } })).statusCode).toBe(403);
    expect(
      (await designer({ method: 'POST', url: '/api/designer/pathways', payload: { definition: MENTAL_HEALTH_CRISIS_PATHWAY } })).statusCode,
    ).toBe(409);

    expect((await designer({ method: 'POST', url: `${base}/submit` })).json<VersionView>().status).toBe('review');
    const selfReview = await designer({ method: 'POST', url: `${base}/review`, payload: { outcome: 'approve' } });
    expect(selfReview.statusCode).toBe(403);
    expect(selfReview.json<{ detail: string }>().detail).toContain('does not review their own version');
    expect((await designer({ method: 'POST', url: `${base}/publish` })).statusCode).toBe(409);
    expect((await designer2({ method: 'POST', url: `${base}/review`, payload: { outcome: 'return' } })).statusCode).toBe(400);

    const returned = await designer2({
      method: 'POST',
      url: `${base}/review`,
      payload: { outcome: 'return', note: 'Add the out-of-hours number to the help text.' },
    });
    expect(returned.json<VersionView>()).toMatchObject({
      status: 'draft',
      review: { outcome: 'returned', note: 'Add the out-of-hours number to the help text.' },
    });
    await designer({ method: 'POST', url: `${base}/submit` });
    const approved = await designer2({ method: 'POST', url: `${base}/review`, payload: { outcome: 'approve', note: 'Looks right.' } });
    expect(approved.json<VersionView>()).toMatchObject({ status: 'review', review: { outcome: 'approved' } });
    expect((await pathwaysSeenBy(clinician)).map((pathway) => pathway.id)).not.toContain(KEY);

    const published = await designer2({ method: 'POST', url: `${base}/publish` });
    expect(published.json<VersionView>().status).toBe('published');
    const listed = (await pathwaysSeenBy(clinician)).find((pathway) => pathway.id === KEY);
    expect(listed?.modules[0]).toMatchObject({ id: MODULE, rules: [expect.objectContaining({ id: 'crisis-team-contact' })] });
    // Served through the rule and prefill schemas: every field of them, conditions included, as published.
    expect(listed?.modules[0]?.rules).toEqual(MENTAL_HEALTH_CRISIS_PATHWAY.modules[0]?.rules);
    expect(listed?.modules[0]?.prefill).toEqual(MENTAL_HEALTH_CRISIS_PATHWAY.modules[0]?.prefill);
    expect((await otherServer.fresh()).pathway(KEY)?.title).toBe('Mental health crisis plan');

    const { rows } = await kit.test.database.db.query<{ action: string; outcome: string; resource_id: string; step: string | null }>(
      `SELECT action, outcome, resource_id, detail->>'step' AS step FROM audit_log
        WHERE resource_type = 'pathway-version' AND resource_id LIKE $1 ORDER BY seq`,
      [`${KEY}%`],
    );
    expect(rows.map((row) => [row.action, row.outcome, row.step])).toEqual([
      ['create', 'success', 'draft'],
      ['update', 'success', 'edit'],
      ['access-denied', 'denied', null],
      ['update', 'success', 'submit'],
      ['access-denied', 'denied', null],
      ['update', 'success', 'review-return'],
      ['update', 'success', 'submit'],
      ['update', 'success', 'review-approve'],
      ['update', 'success', 'publish'],
    ]);
  });

  it('rolls back in one action; a plan published before the roll-back, and after the pathway is retired, still reads', async () => {
    const nhsNumber = nextTestNhsNumber();
    const content = { [`${CRISIS_PLAN}/what_helps`]: 'A quiet room and time with her sister' };
    const { ehrId } = await publishedPlan(kit, nhsNumber, { respect: NOT_FOR_CPR, [MODULE]: content }, [KEY]);

    const changed = {
      ...MENTAL_HEALTH_CRISIS_PATHWAY,
      modules: MENTAL_HEALTH_CRISIS_PATHWAY.modules.map((module) => ({ ...module, title: 'Crisis plan (mental health)' })),
    };
    const v2 = await publishThroughReview({ definition: changed, safetyNotes: SAFETY_NOTES }, `/api/designer/pathways/${KEY}/versions`);
    expect(v2).toBe(2);
    const diff = await designer2({ method: 'GET', url: `/api/designer/pathways/${KEY}/diff?from=1&to=2` });
    expect(diff.json<{ changes: unknown[] }>().changes).toEqual([
      {
        path: `/definition/modules/${MODULE}/title`,
        change: 'changed',
        from: 'Mental health crisis plan',
        to: 'Crisis plan (mental health)',
        description: 'Module ‘Mental health crisis plan’: title changed from ‘Mental health crisis plan’ to ‘Crisis plan (mental health)’',
      },
    ]);
    // From version 0 (nothing yet): all the first version holds, in plain words, for its reviewer.
    const first = (await designer2({ method: 'GET', url: `/api/designer/pathways/${KEY}/diff?from=0&to=1` })).json<{
      changes: { path: string; change: string; description: string }[];
    }>().changes;
    expect(first.every((entry) => entry.change === 'added')).toBe(true);
    const words = first.map((entry) => entry.description);
    expect(words).toContain(`Module ‘Mental health crisis plan’ added, template ‘${MENTAL_HEALTH_CRISIS_PATHWAY.modules[0]?.templateId}’`);
    expect(words.some((text) => /prefill/i.test(text) && text.includes('AQL'))).toBe(true);
    const unknown = await designer2({ method: 'GET', url: `/api/designer/pathways/${KEY}/diff?from=-1&to=1` });
    expect(unknown.statusCode).toBe(400);
    const read = async () =>
      (await clinician({ method: 'GET', url: `/api/care-plans/${ehrId}` })).json<{
        modules: { moduleId: string; title: string; flat: Record<string, unknown> | null }[];
      }>();
    expect((await read()).modules.find((module) => module.moduleId === MODULE)?.title).toBe('Crisis plan (mental health)');

    const rolledBack = await designer({ method: 'POST', url: `/api/designer/pathways/${KEY}/rollback` });
    expect(rolledBack.statusCode, rolledBack.body).toBe(201);
    const versions = (await designer({ method: 'GET', url: `/api/designer/pathways/${KEY}` })).json<{ versions: VersionView[] }>().versions;
    expect(versions.map((version) => [version.version, version.status])).toEqual([
      [3, 'published'],
      [2, 'retired'],
      [1, 'retired'],
    ]);
    expect(versions[0]?.basedOn).toBe(versions[2]?.id);
    const afterRollBack = (await read()).modules.find((module) => module.moduleId === MODULE);
    expect(afterRollBack?.title).toBe('Mental health crisis plan');
    expect(afterRollBack?.flat).toMatchObject(content);

    expect((await designer({ method: 'POST', url: `/api/designer/pathways/${KEY}/retire` })).statusCode).toBe(200);
    expect((await pathwaysSeenBy(clinician)).map((pathway) => pathway.id)).not.toContain(KEY);
    expect((await read()).modules.find((module) => module.moduleId === MODULE)?.flat).toMatchObject(content);
    // Listed, marked retired, only when asked: the forms a reader needs to read the plan's content.
    const readable = (await clinician({ method: 'GET', url: '/api/care-plans/pathways?forms=true&retired=true' })).json<{
      pathways: { id: string; retired?: boolean; modules: { id: string; title: string; form?: unknown }[] }[];
    }>().pathways;
    const retired = readable.find((pathway) => pathway.id === KEY);
    expect(retired?.retired).toBe(true);
    expect(retired?.modules.map((module) => [module.id, module.title, module.form !== undefined])).toEqual([
      [MODULE, 'Mental health crisis plan', true],
    ]);
    expect(readable.filter((pathway) => pathway.retired === true).map((pathway) => pathway.id)).toEqual([KEY]);

    const { rows } = await kit.test.database.db.query<{ step: string }>(
      `SELECT detail->>'step' AS step FROM audit_log WHERE resource_type = 'pathway-version' AND resource_id LIKE $1 AND outcome = 'success' ORDER BY seq DESC LIMIT 2`,
      [`${KEY}/%`],
    );
    expect(rows.map((row) => row.step)).toEqual(['retire', 'roll-back']);
  });

  it('refuses to roll back a first version or to retire the core pathway', async () => {
    const first = await designer({ method: 'POST', url: '/api/designer/pathways/frailty/rollback' });
    expect(first.statusCode).toBe(409);
    expect(first.json<{ detail: string }>().detail).toContain('retire the pathway instead');
    expect((await designer({ method: 'POST', url: '/api/designer/pathways/end-of-life/retire' })).statusCode).toBe(409);
    expect((await designer({ method: 'GET', url: '/api/designer/pathways/no-such/versions/1' })).statusCode).toBe(404);
  });
});

describe(`the demo's fifth pathway on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('is made by one designer, reviewed and published by the other, and listed for every signed-in caller', async () => {
    const designer = (id: string) =>
      clientCaller({ clientId: id, organisation: undefined, roles: ['clinical-designer'], scopes: ['admin'] });
    expect(await seedDemoPathways(kit.test.services.pathwayDesign, { author: designer('designer'), reviewer: designer('designer2') })).toBe(
      true,
    );
    expect(await seedDemoPathways(kit.test.services.pathwayDesign, { author: designer('designer'), reviewer: designer('designer2') })).toBe(
      false,
    );
    const response = await (await kit.as(['viewer'], AMBULANCE))({ method: 'GET', url: '/api/care-plans/pathways' });
    const pathways = response.json<PathwayList>().pathways;
    expect(pathways.map((pathway) => pathway.id)).toHaveLength(5);
    expect(pathways.find((pathway) => pathway.id === KEY)?.title).toBe('Mental health crisis plan');
    const versions = await kit.test.services.pathwayDesign.versions(KEY);
    expect(versions[0]).toMatchObject({
      status: 'published',
      author: { id: 'designer' },
      review: { outcome: 'approved', reviewer: { id: 'designer2' } },
    });
  });
});
