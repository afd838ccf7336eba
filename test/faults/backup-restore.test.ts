import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/db/pg-database.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';
import { backend, createPostgresDatabase, dropPostgresDatabase } from '../support/test-database.js';
import {
  bootstrapToken,
  checkDurability,
  EVERY_WRITE_KEPT,
  eventually,
  freshStore,
  prepareRepository,
  sleep,
  startServer,
  startWriter,
  status,
  type Store,
} from './fault-harness.js';
import { postgresBinaries } from './own-cluster.js';

const run = promisify(execFile);
const serverUrl = process.env['DATABASE_URL'];

/** Writes a few commits through a real server and stops it cleanly; returns what it acknowledged. */
async function writeSome(store: Store): Promise<string[]> {
  const { server, address } = await startServer(store.env);
  try {
    const token = await bootstrapToken(address);
    const target = await prepareRepository(address, token);
    const writer = startWriter(address, token, target, { concurrency: 2 });
    expect(await eventually(async () => writer.acknowledged.length >= 10, 30_000)).toBe(true);
    await writer.stop();
    return writer.acknowledged;
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/** docs/reliability.md, "Backup and restore": the procedures it describes, run end to end. */
describe(`backup and restore on ${backend}`, { timeout: 180_000 }, () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(serverUrl);
  });
  afterAll(() => store.dispose());

  it.runIf(backend === 'postgres')('restores a pg_dump into a new database with every commit and an intact audit chain', async () => {
    const acknowledged = await writeSome(store);
    const bin = await postgresBinaries();
    const folder = await mkdtemp(join(tmpdir(), 'ucp-backup-'));
    const restored = await createPostgresDatabase(serverUrl ?? '');
    try {
      const dump = join(folder, 'ucp.dump');
      await run(join(bin ?? '', 'pg_dump'), ['--format=custom', '--file', dump, store.env['DATABASE_URL'] ?? '']);
      await run(join(bin ?? '', 'pg_restore'), ['--no-owner', '--exit-on-error', '--dbname', restored.url, dump]);
      const db = new PgDatabase({ connectionString: restored.url, maxConnections: 2, logger: pino({ level: 'silent' }) });
      try {
        expect(await checkDurability(db, acknowledged)).toEqual(EVERY_WRITE_KEPT);
      } finally {
        await db.close();
      }
      // A server starts on the restored copy and answers as before.
      const { server, address } = await startServer({ DATABASE_URL: restored.url });
      expect(await eventually(async () => (await status(`${address}/readyz`)) === 200, 30_000)).toBe(true);
      server.child.kill('SIGTERM');
      await server.exited;
    } finally {
      await dropPostgresDatabase(serverUrl ?? '', restored.name);
      await rm(folder, { recursive: true, force: true });
    }
  });

  it.runIf(backend === 'pglite')('restores a copy of the embedded data folder taken while the server was stopped', async () => {
    const acknowledged = await writeSome(store);
    const copy = await mkdtemp(join(tmpdir(), 'ucp-copy-'));
    try {
      await cp(store.env['UCP_DATA_DIR'] ?? '', copy, { recursive: true });
      const { server, address } = await startServer({ UCP_DATA_DIR: copy });
      expect(await eventually(async () => (await status(`${address}/readyz`)) === 200, 30_000)).toBe(true);
      server.child.kill('SIGTERM');
      await server.exited;
      await sleep(100);
      const db = await PgliteDatabase.open(join(copy, 'pglite'));
      try {
        expect(await checkDurability(db, acknowledged)).toEqual(EVERY_WRITE_KEPT);
      } finally {
        await db.close();
      }
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
