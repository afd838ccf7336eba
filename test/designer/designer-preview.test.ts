import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import { createPlanTestKit, etag, HOSPICE, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

const PREVIEW = (nhsNumber: string, version = 1) => `/api/designer/pathways/end-of-life/versions/${version}/preview/${nhsNumber}`;

interface Preview {
  nhsNumber: string;
  version: number;
  plan: { ehrId: string; modules: { moduleId: string; flat: Record<string, unknown> | null }[] } | null;
}

describe(`the designer's preview over a real person's plan on ${backend}`, () => {
  let kit: PlanTestKit;
  let nhsNumber: string;
  let ehrId: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    nhsNumber = nextTestNhsNumber();
    ({ ehrId } = await publishedPlan(kit, nhsNumber));
  }, 120_000);
  afterAll(() => kit.close());

  it('is refused to a designer whose organisation has no relationship with the person, and the refusal is audited', async () => {
    const designer = await kit.as(['clinical-designer'], STRANGER);
    const refused = await designer({ method: 'GET', url: PREVIEW(nhsNumber) });
    expect(refused.statusCode).toBe(403);
    // A designer who is also a clinician still needs the relationship (or the glass broken).
    const clinicalDesigner = await kit.as(['clinical-designer', 'clinician'], STRANGER);
    const alsoRefused = await clinicalDesigner({ method: 'GET', url: PREVIEW(nhsNumber) });
    expect(alsoRefused.statusCode).toBe(403);
    expect(alsoRefused.json<{ detail: string }>().detail).toMatch(/no legitimate relationship/);
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 100 });
    expect(audit.entries.filter((entry) => entry.outcome === 'denied' && entry.odsCode === STRANGER.odsCode).length).toBeGreaterThanOrEqual(
      2,
    );
    // Without pathway:design, a reader of the plan cannot preview.
    expect((await (await kit.as(['clinician'], HOSPICE))({ method: 'GET', url: PREVIEW(nhsNumber) })).statusCode).toBe(403);
  });

  it("answers the person's current plan to a designer who may read it, audited as a read like any other", async () => {
    const designer = await kit.as(['clinical-designer', 'clinician'], HOSPICE);
    const response = await designer({ method: 'GET', url: PREVIEW(nhsNumber) });
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json<Preview>();
    expect(preview).toMatchObject({ nhsNumber, version: 1, plan: { ehrId } });
    expect(preview.plan?.modules.find((module) => module.moduleId === 'respect')?.flat).not.toBeNull();
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 100 });
    const read = audit.entries.find((entry) => entry.action === 'read' && entry.outcome === 'success');
    expect(read).toMatchObject({ odsCode: HOSPICE.odsCode, detail: { basis: 'care-team' } });
    expect(read?.resourceId).toContain('/preview/');

    expect((await designer({ method: 'GET', url: PREVIEW(nhsNumber, 99) })).statusCode).toBe(404);
  });

  it('refuses every write that carries the preview header, changing nothing', async () => {
    const senior = await kit.as(['senior-clinician', 'clinical-designer'], HOSPICE);
    const before = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    const draft = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/draft`,
      headers: { 'if-match': etag(before), 'x-ucp-preview': 'read-only' },
    });
    expect(draft.statusCode).toBe(403);
    expect(draft.json<{ detail: string }>().detail).toMatch(/preview is read-only/);
    const after = await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` });
    expect(etag(after)).toBe(etag(before));
    expect(after.json<{ draftState: string | null }>().draftState).toBeNull();
    // A read with the header is served.
    expect((await senior({ method: 'GET', url: PREVIEW(nhsNumber), headers: { 'x-ucp-preview': 'read-only' } })).statusCode).toBe(200);
  });
});
