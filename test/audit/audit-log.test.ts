import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, appendAuditNow } from '../../src/audit/audit-log.js';
import { auditHash, GENESIS_HASH } from '../../src/audit/audit-hash.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditRecordFor, auditRecordForAnonymous } from '../../src/audit/audit-record.js';
import { AUDIT_COLUMNS, auditEntryFromRow, type AuditRow } from '../../src/audit/audit-row.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import type { Database } from '../../src/db/database.js';
import { AppError } from '../../src/errors/app-error.js';
import { backend, createEmptyTestDatabase, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { clinician, gp } from './audit-test-callers.js';

const NHS_NUMBER = '9990001234';

async function readAll(db: Database) {
  const { rows } = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq`);
  return rows.map(auditEntryFromRow);
}

async function headSeq(db: Database): Promise<number> {
  const { rows } = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_log');
  return Number(rows[0]?.seq ?? 0);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`audit log on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());

  it('appends a first row that starts the chain, and reads it back exactly as hashed', async () => {
    const record = auditRecordFor(clinician(), {
      action: 'read',
      nhsNumber: NHS_NUMBER,
      ehrId: '7d44b88c-4199-4bad-97dc-d78268e01398',
      resource: { type: 'COMPOSITION', id: '8849182c-82ad-4088-a07f-48ead4180515::ucp.local::1' },
      detail: { status: 200, route: '/openehr/v1/ehr/{ehr_id}/composition/{uid}' },
    });
    const entry = await appendAuditNow(test.db, record);
    expect(entry).toMatchObject({ ...record, seq: 1, prevHash: GENESIS_HASH });
    expect(entry.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(entry.recordedAt) - Date.now())).toBeLessThan(60_000);
    const [stored] = await readAll(test.db);
    expect(stored).toEqual(entry);
    const { hash, ...content } = entry;
    expect(auditHash(content)).toBe(hash);
  });

  it('links each row to the one before', async () => {
    const first = await appendAuditNow(test.db, auditRecordFor(gp(), { action: 'create', nhsNumber: NHS_NUMBER }));
    const second = await appendAuditNow(test.db, auditRecordForAnonymous({ action: 'sign-in-failed', outcome: 'denied' }));
    expect(second.seq).toBe(first.seq + 1);
    expect(second.prevHash).toBe(first.hash);
  });

  it('stores every action and outcome the code knows, with awkward text intact', async () => {
    for (const action of AUDIT_ACTIONS) {
      for (const outcome of AUDIT_OUTCOMES) {
        await appendAuditNow(test.db, auditRecordFor(clinician(), { action, outcome }));
      }
    }
    const awkward = await appendAuditNow(
      test.db,
      auditRecordFor(
        clinician({
          displayName: 'Dr Siân O\'Brien "on call" 🚑',
          roles: ['clinician', 'senior-clinician'],
          breakGlassReason: 'unconscious\0 \uD800 {"x":1}',
          clientAddress: '2001:db8::1',
        }),
        {
          action: 'break-glass',
          nhsNumber: NHS_NUMBER,
          detail: { big: 2 ** 60, tiny: 5e-324, third: 0.1 + 0.2, nested: { é: [true, null, 'a,b'] } },
        },
      ),
    );
    const stored = (await readAll(test.db)).find((entry) => entry.seq === awkward.seq);
    expect(stored).toEqual(awkward);
    expect(awkward.breakGlassReason).toBe('unconscious\uFFFD \uFFFD {"x":1}');
    const verification = await verifyAuditChain(test.db);
    expect(verification).toMatchObject({ ok: true, checked: await headSeq(test.db) });
  });

  it('runs its append-only triggers as plpgsql', async () => {
    const { rows } = await test.db.query<{ proname: string; lanname: string }>(
      `SELECT p.proname, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.proname IN ('audit_log_refuse_change', 'audit_log_check_link') ORDER BY p.proname`,
    );
    expect(rows).toEqual([
      { proname: 'audit_log_check_link', lanname: 'plpgsql' },
      { proname: 'audit_log_refuse_change', lanname: 'plpgsql' },
    ]);
  });

  it.each([
    ['UPDATE', "UPDATE audit_log SET outcome = 'failure' WHERE seq = 1"],
    ['UPDATE', 'UPDATE audit_log SET detail = detail WHERE false'],
    ['DELETE', 'DELETE FROM audit_log WHERE seq = 1'],
    ['DELETE', 'DELETE FROM audit_log WHERE false'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses %s in the database itself: %s', async (operation, sql) => {
    const before = await readAll(test.db);
    await expect(test.db.query(sql)).rejects.toThrow(`audit_log is append-only: ${operation} is not allowed`);
    await expect(test.db.transaction((tx) => tx.query(sql))).rejects.toThrow(/append-only/);
    expect(await readAll(test.db)).toEqual(before);
  });

  it('refuses a row that does not extend the chain', async () => {
    const [head] = (await readAll(test.db)).slice(-1);
    if (!head) throw new Error('the log is empty');
    const insert = (seq: number, prevHash: string) =>
      test.db.query(
        `INSERT INTO audit_log (seq, recorded_at, action, outcome, actor_id, actor_kind, roles, detail, prev_hash, hash)
         VALUES ($1, now(), 'read', 'success', 'intruder', 'user', '{}', '{}', $2, $3)`,
        [seq, prevHash, 'f'.repeat(64)],
      );
    await expect(insert(head.seq + 1, GENESIS_HASH)).rejects.toThrow(/does not extend the chain/);
    await expect(insert(head.seq + 2, head.hash)).rejects.toThrow(/does not extend the chain/);
    await expect(insert(head.seq, head.prevHash)).rejects.toThrow(/does not extend the chain/);
    expect(await headSeq(test.db)).toBe(head.seq);
  });

  it('keeps one valid chain when many transactions append at once', async () => {
    const start = await headSeq(test.db);
    const reads = Array.from({ length: 20 }, (_, index) =>
      appendAuditNow(test.db, auditRecordFor(clinician(), { action: 'read', nhsNumber: NHS_NUMBER, detail: { index } })),
    );
    // Writes that hold the chain lock while they go on working, as a real write transaction does.
    const writes = Array.from({ length: 20 }, (_, index) =>
      test.db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        const entry = await appendAudit(tx, auditRecordFor(gp(), { action: 'update', detail: { index } }));
        await delay(index % 3);
        return entry;
      }),
    );
    const entries = await Promise.all([...reads, ...writes]);
    const seqs = entries.map((entry) => entry.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, index) => start + index + 1));
    expect(await verifyAuditChain(test.db, { batchSize: 7 })).toMatchObject({ ok: true, checked: start + 40 });
    const stored = await readAll(test.db);
    for (let index = 1; index < stored.length; index += 1) {
      expect(stored[index]?.prevHash).toBe(stored[index - 1]?.hash);
      expect(Date.parse(stored[index]?.recordedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(stored[index - 1]?.recordedAt ?? ''));
    }
  });

  it('leaves no record of a write that was rolled back, and the chain goes on without a gap', async () => {
    const before = await headSeq(test.db);
    const failure = await test.db
      .transaction(async (tx) => {
        await appendAudit(tx, auditRecordFor(clinician(), { action: 'create', nhsNumber: NHS_NUMBER }));
        throw new Error('the write failed after its audit record');
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(await headSeq(test.db)).toBe(before);
    const next = await appendAuditNow(test.db, auditRecordFor(clinician(), { action: 'create', outcome: 'failure' }));
    expect(next.seq).toBe(before + 1);
    expect((await verifyAuditChain(test.db)).ok).toBe(true);
  });
});

describe(`audit log fails closed on ${backend}`, () => {
  let empty: TestDatabase;
  beforeAll(async () => {
    empty = await createEmptyTestDatabase();
    await empty.db.exec('CREATE TABLE plan_note (id integer)');
  });
  afterAll(() => empty.drop());

  it('refuses a read whose record cannot be written', async () => {
    const failure = await appendAuditNow(empty.db, auditRecordFor(clinician(), { action: 'read' })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('unavailable');
    expect((failure as AppError).status).toBe(503);
  });

  it('takes the write down with its record', async () => {
    const failure = await empty.db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO plan_note VALUES (1)');
        await appendAudit(tx, auditRecordFor(clinician(), { action: 'create' }));
      })
      .catch((error: unknown) => error);
    expect((failure as AppError).code).toBe('unavailable');
    const { rows } = await empty.db.query('SELECT count(*)::int AS n FROM plan_note');
    expect(rows).toEqual([{ n: 0 }]);
  });
});
