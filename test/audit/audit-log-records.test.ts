import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditNow, appendAuditRecords } from '../../src/audit/audit-log.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { auditRecordFor } from '../../src/audit/audit-record.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { clinician } from './audit-test-callers.js';

describe(`appending several audit records at once on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());

  it('numbers them in order, verifiably, each findable by its person', async () => {
    await appendAuditNow(test.db, auditRecordFor(clinician(), { action: 'read', nhsNumber: '9990001234' }));
    const people = ['9990001242', '9990001250', '9990001269'];
    const entries = await test.db.transaction((tx) =>
      appendAuditRecords(tx, [
        auditRecordFor(clinician(), { action: 'query', detail: { queryId: 'q1', rowCount: 3 } }),
        ...people.map((nhsNumber) => auditRecordFor(clinician(), { action: 'query', nhsNumber, detail: { queryId: 'q1' } })),
      ]),
    );
    expect(entries.map((entry) => entry.seq)).toEqual([2, 3, 4, 5]);
    expect(entries.every((entry) => entry.prevHash === undefined)).toBe(true);
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: true, checked: 5 });
    const report = await queryAudit(test.db, { nhsNumber: '9990001250', limit: 10 });
    expect(report.entries.map((entry) => [entry.action, entry.detail['queryId']])).toEqual([['query', 'q1']]);
    // The next single append is numbered after the batch.
    await appendAuditNow(test.db, auditRecordFor(clinician(), { action: 'read', nhsNumber: '9990001234' }));
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: true, checked: 6 });
  });

  it('writes nothing when the transaction fails', async () => {
    const before = (await verifyAuditChain(test.db)).checked;
    await expect(
      test.db.transaction(async (tx) => {
        await appendAuditRecords(tx, [
          auditRecordFor(clinician(), { action: 'query' }),
          auditRecordFor(clinician(), { action: 'query', nhsNumber: '9990001242' }),
        ]);
        throw new Error('the query failed after all');
      }),
    ).rejects.toThrow('the query failed after all');
    expect((await verifyAuditChain(test.db)).checked).toBe(before);
  });
});
