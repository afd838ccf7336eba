import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSettledAuditRows } from '../../src/audit/audit-sealer.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { AMBULANCE, createPlanTestKit, declareCare, HOSPICE, publishedPlan, type PlanTestKit } from './care-plan-test-kit.js';

const ROUTE = 'GET /api/care-plans/:ehr_id/emergency-summary';

/**
 * The emergency summary commits each read's audit record in the statement that reads it, with
 * the other reads of the moment (issue #14): every answer has exactly one record, durable before
 * it leaves; a read whose record cannot be written gets no answer, and refuses no one else.
 */
describe(`the emergency summary's reads and their records, on ${backend}`, () => {
  let kit: PlanTestKit;
  const plans: string[] = [];

  beforeAll(async () => {
    kit = await createPlanTestKit();
    for (let index = 0; index < 3; index += 1) plans.push((await publishedPlan(kit, nextTestNhsNumber())).ehrId);
  }, 180_000);
  afterAll(() => kit?.close());

  const readRecords = async (ehrId: string) =>
    (
      await kit.test.database.db.query<{ actor_id: string; detail: { basis: string; status: number }; nhs_number: string | null }>(
        "SELECT actor_id, detail, nhs_number FROM audit_log WHERE action = 'read' AND ehr_id = $1 AND resource_id = $2 ORDER BY seq",
        [ehrId, ROUTE],
      )
    ).rows;

  it('records every read once, in the same commit as the answer, when many arrive at once', async () => {
    const crew = await kit.as(['viewer'], AMBULANCE);
    const before = await Promise.all(plans.map(async (ehrId) => (await readRecords(ehrId)).length));
    const reads = Array.from({ length: 24 }, (_unused, index) => plans[index % plans.length] ?? '');
    const answers = await Promise.all(reads.map((ehrId) => crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })));
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json<{ cpr: { notForCpr: boolean } }>().cpr.notForCpr).toBe(true);
    }
    for (const [index, ehrId] of plans.entries()) {
      const records = await readRecords(ehrId);
      expect(records.length - (before[index] ?? 0)).toBe(8);
      for (const record of records.slice(before[index])) {
        expect(record.detail).toMatchObject({ basis: 'emergency-access', status: 200 });
        expect(record.nhs_number).toMatch(/^\d{10}$/);
      }
    }
    await sealSettledAuditRows(kit.test.database.db);
    expect(await verifyAuditChain(kit.test.database.db)).toMatchObject({ ok: true });
  });

  it('records nothing for a plan that has no published summary (404)', async () => {
    const nhsNumber = nextTestNhsNumber();
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    await declareCare(senior, nhsNumber);
    const created = await senior({
      method: 'POST',
      url: '/api/care-plans',
      payload: { nhsNumber, consent: { toShare: true, route: 'explicit' } },
    });
    const ehrId = created.json<{ ehrId: string }>().ehrId;
    const crew = await kit.as(['viewer'], AMBULANCE);
    const answer = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` });
    expect(answer.statusCode, answer.body).toBe(404);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(await readRecords(ehrId)).toEqual([]);
  });

  it('gives no answer when its record cannot be written, and still answers the reads beside it', async () => {
    const [refused, other] = plans;
    if (!refused || !other) throw new Error('no plans');
    const db = kit.test.database.db;
    // The audit log refuses this one person's read records, as a full disk or a broken constraint would.
    await db.query(`CREATE FUNCTION test_refuse_read_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit log cannot take this record'; END; $$`);
    await db.query(
      `CREATE TRIGGER test_refuse_read_record BEFORE INSERT ON audit_log FOR EACH ROW
       WHEN (NEW.ehr_id = '${refused}' AND NEW.action = 'read') EXECUTE FUNCTION test_refuse_read_record()`,
    );
    try {
      const crew = await kit.as(['viewer'], AMBULANCE);
      const before = { refused: (await readRecords(refused)).length, other: (await readRecords(other)).length };
      const [noAnswer, ...answered] = await Promise.all(
        [refused, other, other, other].map((ehrId) => crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` })),
      );
      expect(noAnswer?.statusCode).toBe(503);
      expect(noAnswer?.headers['content-type']).toContain('application/problem+json');
      expect(noAnswer?.body).not.toContain('notForCpr');
      expect(noAnswer?.json<{ detail: string }>().detail).toMatch(/audit log could not record this access/);
      expect(answered.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
      expect((await readRecords(refused)).length).toBe(before.refused);
      expect((await readRecords(other)).length).toBe(before.other + 3);
    } finally {
      await db.query('DROP TRIGGER test_refuse_read_record ON audit_log');
      await db.query('DROP FUNCTION test_refuse_read_record()');
    }
  });
});
