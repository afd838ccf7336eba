import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditNow } from '../../src/audit/audit-log.js';
import { auditRecordFor, type AuditEntry } from '../../src/audit/audit-record.js';
import { sealAuditRows } from '../../src/audit/audit-seal.js';
import { runAuditVerify } from '../../src/audit/run-audit-verify.js';
import type { Database } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrations.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';
import { backend, createTestDatabase, silentLogger, type TestDatabase } from '../support/test-database.js';
import { clinician } from './audit-test-callers.js';

/**
 * The command runs against the configured database: on PostgreSQL a fresh test database named
 * by DATABASE_URL, on PGlite a store in a temporary UCP_DATA_DIR (closed while the command runs,
 * as the server would be).
 */
interface Target {
  env: Record<string, string | undefined>;
  withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T>;
  cleanUp(): Promise<void>;
}

async function createTarget(): Promise<Target> {
  if (backend === 'postgres') {
    const test: TestDatabase = await createTestDatabase();
    return { env: { DATABASE_URL: test.url }, withDatabase: (work) => work(test.db), cleanUp: () => test.drop() };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ucp-audit-verify-'));
  const withDatabase = async <T>(work: (db: Database) => Promise<T>): Promise<T> => {
    const db = await PgliteDatabase.open(join(dataDir, 'pglite'));
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };
  await withDatabase(async (db) => migrate(db, await loadMigrations()));
  return { env: { UCP_DATA_DIR: dataDir }, withDatabase, cleanUp: () => rm(dataDir, { recursive: true, force: true }) };
}

describe(`audit:verify on ${backend}`, () => {
  let target: Target;
  let head: AuditEntry;
  beforeAll(async () => {
    target = await createTarget();
    head = await target.withDatabase(async (db) => {
      let last: AuditEntry | undefined;
      for (const action of ['sign-in', 'read', 'update'] as const) {
        last = await appendAuditNow(db, auditRecordFor(clinician(), { action, nhsNumber: '9990001234' }));
      }
      if (!last) throw new Error('nothing appended');
      return last;
    });
  });
  afterAll(() => target.cleanUp());

  it('says in one line that the chain holds, with the head to keep as an anchor', async () => {
    const outcome = await runAuditVerify(target.env, [], silentLogger);
    expect(outcome).toEqual({
      exitCode: 0,
      line: `audit chain verified: 3 rows checked; head 3:${head.hash}; no seal yet; 3 newer rows not yet sealed`,
    });
    expect(await runAuditVerify(target.env, ['--anchor', `3:${head.hash}`, '--from', '2'], silentLogger)).toEqual({
      exitCode: 0,
      line: `audit chain verified: 2 rows checked; head 3:${head.hash}; no seal yet; 2 newer rows not yet sealed`,
    });
    const [seal] = await target.withDatabase((db) => sealAuditRows(db, 3));
    expect(await runAuditVerify(target.env, [], silentLogger)).toEqual({
      exitCode: 0,
      line: `audit chain verified: 3 rows checked; head 3:${head.hash}; 1 seals checked, sealed to row 3 (seal 1:${seal?.hash})`,
    });
  });

  it('exits 1 naming the broken row', async () => {
    await target.withDatabase(async (db) => {
      await db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await db.query("UPDATE audit_log SET nhs_number = '9990009999' WHERE seq = 2");
      await db.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const outcome = await runAuditVerify(target.env, [], silentLogger);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.line).toMatch(/^audit chain BROKEN at row 2 \(content-altered\): row 2 was changed/);
  });

  it('exits 1 on arguments it does not know', async () => {
    const outcome = await runAuditVerify(target.env, ['--anchor', 'nonsense'], silentLogger);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.line).toMatch(/^unexpected argument: --anchor nonsense \(usage: /);
  });

  it('exits 1 when there is no database to check', async () => {
    const missing = join(tmpdir(), 'ucp-audit-verify-missing-folder');
    const outcome = await runAuditVerify({ UCP_DATA_DIR: missing }, [], silentLogger);
    expect(outcome).toEqual({ exitCode: 1, line: `audit chain not verified: there is no database in ${join(missing, 'pglite')}` });
  });
});
