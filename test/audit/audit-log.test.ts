import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, appendAuditNow } from '../../src/audit/audit-log.js';
import { auditHash } from '../../src/audit/audit-hash.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditRecordFor, auditRecordForAnonymous } from '../../src/audit/audit-record.js';
import { AUDIT_COLUMNS, auditEntryFromRow, type AuditRow } from '../../src/audit/audit-row.js';
import { sealAuditRows } from '../../src/audit/audit-seal.js';
import { sealSettledAuditRows } from '../../src/audit/audit-sealer.js';
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

  it('appends a first row, and reads it back exactly as hashed', async () => {
    const record = auditRecordFor(clinician(), {
      action: 'read',
      nhsNumber: NHS_NUMBER,
      ehrId: '7d44b88c-4199-4bad-97dc-d78268e01398',
      resource: { type: 'COMPOSITION', id: '8849182c-82ad-4088-a07f-48ead4180515::ucp.local::1' },
      detail: { status: 200, route: '/openehr/v1/ehr/{ehr_id}/composition/{uid}' },
    });
    const entry = await appendAuditNow(test.db, record);
    expect(entry).toMatchObject({ ...record, seq: 1 });
    expect(entry.prevHash).toBeUndefined();
    expect(entry.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(entry.recordedAt) - Date.now())).toBeLessThan(60_000);
    const [stored] = await readAll(test.db);
    expect(stored).toEqual(entry);
    const { hash, ...content } = entry;
    expect(auditHash(content)).toBe(hash);
  });

  it('numbers each row after the one before', async () => {
    const first = await appendAuditNow(test.db, auditRecordFor(gp(), { action: 'create', nhsNumber: NHS_NUMBER }));
    const second = await appendAuditNow(test.db, auditRecordForAnonymous({ action: 'sign-in-failed', outcome: 'denied' }));
    expect(second.seq).toBe(first.seq + 1);
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
       WHERE p.proname IN ('audit_log_refuse_change', 'audit_log_check_positions', 'audit_seal_refuse_change', 'audit_seal_check_link')
       ORDER BY p.proname`,
    );
    expect(rows).toEqual([
      { proname: 'audit_log_check_positions', lanname: 'plpgsql' },
      { proname: 'audit_log_refuse_change', lanname: 'plpgsql' },
      { proname: 'audit_seal_check_link', lanname: 'plpgsql' },
      { proname: 'audit_seal_refuse_change', lanname: 'plpgsql' },
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

  it('refuses a row inside a sealed range, and a row linked the old way', async () => {
    const [head] = (await readAll(test.db)).slice(-1);
    if (!head) throw new Error('the log is empty');
    // A position handed out and never used (as a rolled-back append leaves), then sealed over.
    const { rows } = await test.db.query<{ seq: string }>("SELECT nextval('audit_log_seq')::text AS seq");
    const hole = Number(rows[0]?.seq);
    await sealAuditRows(test.db, hole);
    const insert = (seq: number, prevHash: string | null) =>
      test.db.query(
        `INSERT INTO audit_log (seq, recorded_at, action, outcome, actor_id, actor_kind, roles, detail, prev_hash, hash)
         VALUES ($1, now(), 'read', 'success', 'intruder', 'user', '{}', '{}', $2, $3)`,
        [seq, prevHash, 'f'.repeat(64)],
      );
    await expect(insert(hole, null)).rejects.toThrow(/lies in a sealed range/);
    // A sealed position that holds a row is refused by its key before the range is checked.
    await expect(insert(head.seq - 3, null)).rejects.toThrow(/duplicate key|lies in a sealed range/);
    await expect(insert(hole + 100, head.hash)).rejects.toThrow(/rows are sealed, not linked/);
    expect(await headSeq(test.db)).toBe(head.seq);
  });

  it('keeps one verifiable log when many transactions append at once, none waiting for another', async () => {
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
    expect(new Set(seqs).size).toBe(40);
    expect(seqs[0]).toBeGreaterThan(start);
    const seals = await sealSettledAuditRows(test.db);
    expect(seals.at(-1)?.toSeq).toBe(seqs.at(-1));
    expect(await verifyAuditChain(test.db, { batchSize: 7 })).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('seals only settled rows: a position taken by a transaction still in flight holds the seal back', async () => {
    if (backend === 'pglite') return; // one connection: nothing is ever in flight beside the sealer
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = test.db.transaction(async (tx) => {
      const entry = await appendAudit(tx, auditRecordFor(gp(), { action: 'update' }));
      await held;
      return entry;
    });
    await delay(50);
    const later = await appendAuditNow(test.db, auditRecordFor(clinician(), { action: 'read' }));
    expect(await sealSettledAuditRows(test.db, { maxWaitMs: 30 })).toEqual([]);
    release();
    const slowEntry = await slow;
    expect(slowEntry.seq).toBeLessThan(later.seq);
    const seals = await sealSettledAuditRows(test.db);
    expect(seals.at(-1)?.toSeq).toBeGreaterThanOrEqual(later.seq);
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('leaves no record of a write that was rolled back; the hole it leaves is sealed as such', async () => {
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
    expect(next.seq).toBe(before + 2);
    const [seal] = await sealSettledAuditRows(test.db);
    expect(seal).toMatchObject({ fromSeq: before + 1, toSeq: next.seq, rowCount: 1 });
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: true, unsealed: 0 });
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
