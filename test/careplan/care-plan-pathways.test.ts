import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import {
  AMBULANCE,
  createPlanTestKit,
  etag,
  HOSPICE,
  planOf,
  publishedPlan,
  reviewDateIn,
  type Flat,
  type PlanTestKit,
} from './care-plan-test-kit.js';

interface PathwayCase {
  pathway: string;
  moduleId: string;
  flat: Flat;
  /** A label and value the crew must see among the pathway's highlights. */
  highlight: { label: RegExp; value: string };
  publisher: 'clinician' | 'senior-clinician';
}

const CASES: PathwayCase[] = [
  {
    pathway: 'sickle-cell',
    moduleId: 'sickle-cell-crisis-plan',
    flat: { 'sickle_cell_crisis_plan/sickle_cell_crisis_plan/preferred_first-line_analgesia:0/medicine': 'Oral morphine sulfate' },
    highlight: { label: /first-line analgesia/i, value: 'Oral morphine sulfate' },
    publisher: 'senior-clinician',
  },
  {
    pathway: 'frailty',
    moduleId: 'frailty',
    flat: { 'frailty/frailty_response_plan/if_fallen_but_uninjured': 'Help up with the lifting cushion; no conveyance needed' },
    highlight: { label: /fallen but uninjured/i, value: 'Help up with the lifting cushion; no conveyance needed' },
    publisher: 'clinician',
  },
  {
    pathway: 'learning-disability-autism',
    moduleId: 'learning-disability-autism',
    flat: { 'learning_disability_and_autism/distress/how_i_show_pain': 'Rocks and hums; will not say it hurts' },
    highlight: { label: /pain/i, value: 'Rocks and hums; will not say it hurts' },
    publisher: 'clinician',
  },
];

describe(`pathway plans on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('lists the pathways with their modules', async () => {
    const response = await (await kit.as(['viewer'], AMBULANCE))({ method: 'GET', url: '/api/care-plans/pathways' });
    expect(response.statusCode).toBe(200);
    const ids = response.json<{ pathways: { id: string; modules: { templateId: string }[] }[] }>().pathways.map((pathway) => pathway.id);
    expect(ids.sort()).toEqual(['end-of-life', ...CASES.map((entry) => entry.pathway)].sort());
    const withForms = await (await kit.as(['clinician'], HOSPICE))({ method: 'GET', url: '/api/care-plans/pathways?forms=true' });
    const sickleCell = withForms
      .json<{ pathways: { id: string; modules: { webTemplate?: { templateId: string }; form?: unknown }[] }[] }>()
      .pathways.find((pathway) => pathway.id === 'sickle-cell');
    expect(sickleCell?.modules[0]?.webTemplate?.templateId).toBe('UCP - Sickle cell crisis plan.v1');
    expect(sickleCell?.modules[0]?.form).toBeDefined();
  });

  for (const entry of CASES) {
    it(`adds the ${entry.pathway} module to a published plan, publishes it and shows its highlights to the crew`, async () => {
      const { ehrId, revision } = await publishedPlan(kit, nextTestNhsNumber());
      const clinician = await kit.as(['clinician'], HOSPICE);
      const draft = await clinician({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': revision } });
      const withPathway = await clinician({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/pathways`,
        headers: { 'if-match': etag(draft) },
        payload: { pathways: [entry.pathway] },
      });
      expect(withPathway.statusCode, withPathway.body).toBe(200);
      expect(planOf(withPathway).modules.map((module) => module.moduleId)).toContain(entry.moduleId);
      const saved = await clinician({
        method: 'PUT',
        url: `/api/care-plans/${ehrId}/draft/modules/${entry.moduleId}`,
        headers: { 'if-match': etag(withPathway) },
        payload: { flat: await kit.exampleFlat(entry.moduleId, entry.flat) },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json<{ incomplete: unknown[] }>().incomplete).toEqual([]);
      const submitted = await clinician({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/submit`,
        headers: { 'if-match': etag(saved) },
        payload: { reviewDate: reviewDateIn(4) },
      });
      expect(submitted.statusCode, submitted.body).toBe(200);
      if (entry.publisher === 'senior-clinician') {
        const refused = await clinician({
          method: 'POST',
          url: `/api/care-plans/${ehrId}/draft/approve`,
          headers: { 'if-match': etag(submitted) },
        });
        expect(refused.statusCode).toBe(403);
        expect(refused.json<{ detail: string }>().detail).toContain('this pathway');
      }
      const publisher = await kit.as([entry.publisher], HOSPICE);
      const published = await publisher({
        method: 'POST',
        url: `/api/care-plans/${ehrId}/draft/approve`,
        headers: { 'if-match': etag(submitted) },
      });
      expect(published.statusCode, published.body).toBe(200);
      expect(planOf(published)).toMatchObject({ planVersion: 2, pathways: [entry.pathway] });

      const summary = (
        await (
          await kit.as(['viewer'], AMBULANCE)
        )({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })
      ).json<EmergencySummary>();
      const highlights = summary.pathwayHighlights.find((highlight) => highlight.pathwayId === entry.pathway);
      expect(highlights?.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ label: expect.stringMatching(entry.highlight.label), value: entry.highlight.value }),
        ]),
      );
      expect(summary.cpr?.notForCpr).toBe(true);
    });
  }
});
