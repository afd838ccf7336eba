import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import type { PlanView } from '../../src/careplan/care-plan-service.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { unknownToPds } from '../support/test-pds.js';
import { backend } from '../support/test-database.js';
import {
  AMBULANCE,
  createPlanTestKit,
  declareCare,
  etag,
  HOSPICE,
  planOf,
  publishedPlan,
  RESPECT_CPR_ENTRY,
  STRANGER,
  type PlanTestKit,
} from './care-plan-test-kit.js';

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

  it('a plan recorded against the wrong person is withdrawn from them as entered in error, never erased, and re-recorded as a draft for the right person', async () => {
    const wrongNumber = nextTestNhsNumber();
    const rightNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, wrongNumber);
    const clinician = await kit.as(['clinician'], HOSPICE);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const crew = await kit.as(['viewer'], AMBULANCE);
    const reason = 'Recorded under her husband’s NHS number at the home visit; the plan is hers, confirmed with the family today.';
    const correction = (payload: object, ifMatch = revision) => ({
      method: 'POST' as const,
      url: `/api/care-plans/${ehrId}/subject/correction`,
      headers: { 'if-match': ifMatch },
      payload,
    });
    const published = () => senior({ method: 'GET', url: `/api/care-plans/${ehrId}` });

    // Refused, changing nothing: without the decision permission; without a reason; for a right person
    // PDS does not know, the hospice does not care for, or the same number; on a stale revision.
    expect((await clinician(correction({ reason }))).statusCode).toBe(403);
    expect((await senior(correction({ reason: 'wrong' }))).statusCode).toBe(400);
    expect((await senior(correction({ reason, rightNhsNumber: rightNumber }))).statusCode).toBe(403);
    await declareCare(senior, rightNumber);
    const typo = unknownToPds();
    await declareCare(senior, typo);
    expect((await senior(correction({ reason, rightNhsNumber: typo }))).statusCode).toBe(404);
    expect((await senior(correction({ reason, rightNhsNumber: wrongNumber }))).statusCode).toBe(422);
    expect((await senior(correction({ reason }, String(Number(revision.replaceAll('"', '')) - 1)))).statusCode).toBe(412);
    expect(planOf(await published()).status).toBe('published');
    expect((await kit.test.inject({ method: 'GET', url: `/api/care-plans/${ehrId}` })).statusCode).toBe(200);

    const cprByAql = () =>
      kit.test.inject({
        method: 'POST',
        url: '/openehr/v1/query/aql',
        payload: {
          q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c CONTAINS EVALUATION cpr[openEHR-EHR-EVALUATION.cpr_decision_uk.v0] WHERE e/ehr_id/value = $ehr_id',
          query_parameters: { ehr_id: ehrId },
        },
      });
    expect((await cprByAql()).json<{ rows: unknown[] }>().rows).toHaveLength(1);

    const corrected = await senior(correction({ reason, rightNhsNumber: rightNumber }));
    expect(corrected.statusCode, corrected.body).toBe(200);
    const answer = corrected.json<{ withdrawn: { ehrId: string; status: string }; reRecorded: PlanView | null }>();
    expect(answer.withdrawn).toMatchObject({ ehrId, status: 'deleted' });

    // Gone from the wrong person: the plan, its summary and AQL over their compositions.
    expect((await published()).statusCode).toBe(410);
    const gone = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` });
    expect(gone.statusCode).toBe(410);
    expect(gone.json<{ detail: string }>().detail).toContain('recorded against the wrong person');
    const aql = await cprByAql();
    expect(aql.statusCode, aql.body).toBe(200);
    expect(aql.json<{ rows: unknown[] }>().rows).toEqual([]);
    // Never erased: the history keeps every revision, the withdrawal names who and why.
    const history = (await senior({ method: 'GET', url: `/api/care-plans/${ehrId}/history` })).json<{
      revisions: HistoryEntry[];
      compositions: { moduleId: string; versions: { lifecycleState: string }[] }[];
    }>();
    const withdrawal = history.revisions.find((entry) => entry.event === 'entered-in-error');
    expect(withdrawal?.changeSummary).toContain(reason);
    expect(history.revisions.map((entry) => entry.event)).toEqual(expect.arrayContaining(['created', 'published', 'entered-in-error']));
    // Every section's composition ends in a deleted version (its earlier versions kept); the header's says why.
    const sections = history.compositions.filter((composition) => composition.moduleId !== 'header');
    expect([...new Set(sections.map((composition) => composition.moduleId))].sort()).toEqual(['contacts', 'respect']);
    for (const composition of sections) {
      expect(composition.versions.length).toBeGreaterThan(1);
      expect(composition.versions.at(-1)?.lifecycleState).toBe('deleted');
    }
    const audit = await queryAudit(kit.test.database.db, { nhsNumber: wrongNumber, action: 'delete', limit: 10 });
    expect(audit.entries.map((entry) => entry.detail['route'])).toContain('POST /api/care-plans/:ehr_id/subject/correction');

    // Re-recorded for the right person as a draft, the CPR decision with the maker it was recorded with.
    const draft = answer.reRecorded;
    expect(draft).toMatchObject({ nhsNumber: rightNumber, status: 'draft' });
    const respect = draft?.modules.find((module) => module.moduleId === 'respect');
    expect(respect?.flat?.[`${RESPECT_CPR_ENTRY}/cpr_decision|code`]).toBe('at0005');
    expect(respect?.flat?.[`${RESPECT_CPR_ENTRY}/_other_participation:0|name`]).toBe('Dr Ada Partner');
    expect(draft?.modules.find((module) => module.moduleId === 'contacts')?.source).toBe('draft');
    const rightAudit = await queryAudit(kit.test.database.db, { nhsNumber: rightNumber, action: 'update', limit: 10 });
    expect(rightAudit.entries.length).toBeGreaterThan(0);

    // The wrong person may have a plan of their own; a stranger learns nothing from the withdrawn one.
    expect((await senior({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber: wrongNumber } })).statusCode).toBe(201);
    const stranger = await kit.as(['senior-clinician'], STRANGER);
    expect((await stranger(correction({ reason }, etag(corrected)))).statusCode).toBe(403);
  });

  it('refuses to re-record over the right person’s own plan, withdrawing nothing', async () => {
    const wrongNumber = nextTestNhsNumber();
    const rightNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(kit, wrongNumber);
    await publishedPlan(kit, rightNumber);
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const refused = await senior({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/subject/correction`,
      headers: { 'if-match': revision },
      payload: { reason: 'Recorded under the wrong NHS number; the right person already has a plan.', rightNhsNumber: rightNumber },
    });
    expect(refused.statusCode).toBe(409);
    expect(planOf(await senior({ method: 'GET', url: `/api/care-plans/${ehrId}` })).status).toBe('published');
  });
});
