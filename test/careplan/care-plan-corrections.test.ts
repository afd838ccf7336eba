import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { AMBULANCE, createPlanTestKit, etag, HOSPICE, planOf, publishedPlan, type PlanTestKit } from './care-plan-test-kit.js';

interface HistoryEntry {
  revision: number;
  event: string;
  changeSummary: string | null;
  actor: { name: string } | null;
}

describe(`corrections, never by editing history, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  }, 120_000);
  afterAll(() => kit.close());

  it('a death recorded in error is corrected by a decision-maker with a reason: the plan is current again, the death stays in its history', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, nhsNumber);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const today = new Date().toISOString().slice(0, 10);
    const died = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death`,
      headers: { 'if-match': revision },
      payload: { date: today, place: 'Hospital' },
    });
    expect(died.statusCode, died.body).toBe(200);
    const correction = (reason: string, ifMatch = etag(died)) => ({
      method: 'POST' as const,
      url: `/api/care-plans/${ehrId}/death/correction`,
      headers: { 'if-match': ifMatch },
      payload: { reason },
    });
    const reason = 'Reported dead by a neighbour; the GP has seen her today, alive and well at home.';

    // Not for a clinician without the decision permission, nor without a reason; nothing changes.
    expect((await clinician(correction(reason))).statusCode).toBe(403);
    expect((await senior(correction('mistake'))).statusCode).toBe(400);
    expect(planOf(await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` })).status).toBe('closed');

    const corrected = await senior(correction(reason));
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(planOf(corrected)).toMatchObject({ status: 'published' });
    expect(planOf(corrected).header.death).toBeUndefined();
    // Every service sees the plan again, and the EHR may change again.
    const summary = (await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })).json<EmergencySummary>();
    expect(summary.status).toBe('published');
    expect(summary.death).toBeNull();
    const status = await kit.test.inject({ method: 'GET', url: `/openehr/v1/ehr/${ehrId}/ehr_status` });
    expect(status.json<{ is_modifiable: boolean }>().is_modifiable).toBe(true);
    const draft = await senior({ method: 'POST', url: `/api/care-plans/${ehrId}/draft`, headers: { 'if-match': etag(corrected) } });
    expect(draft.statusCode, draft.body).toBe(201);

    // The history keeps the death and names who corrected it and why.
    const history = (await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/history` })).json<{ revisions: HistoryEntry[] }>();
    const events = history.revisions.map((entry) => entry.event);
    expect(events).toEqual(expect.arrayContaining(['death-recorded', 'death-corrected']));
    const entry = history.revisions.find((candidate) => candidate.event === 'death-corrected');
    expect(entry?.changeSummary).toContain(reason);
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 100 });
    // Audited as the senior's write, whose contribution carries the reason in its openEHR audit.
    const audited = audit.entries.find(
      (record) => record.action === 'update' && record.detail?.['route'] === 'POST /api/care-plans/:ehr_id/death/correction',
    );
    expect(audited?.actorId).toBe('cp-senior-clinician-cphos1');
    const contribution = await kit.test.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}/contribution/${audited?.resourceId ?? ''}`,
    });
    expect(contribution.json<{ audit: { description: { value: string } } }>().audit.description.value).toContain(reason);

    // Only a closed plan has a death to correct.
    const again = await senior(correction(reason, etag(draft)));
    expect(again.statusCode).toBe(409);
  });
});
