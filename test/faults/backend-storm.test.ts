import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../support/test-database.js';
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

const serverUrl = process.env['DATABASE_URL'];

/**
 * Terminates every backend of the server's database again and again while writes stream in
 * (what a failover, a DBA's pg_terminate_backend or a proxy restart does to a pool). PGlite has
 * no backends to terminate: it runs in the server's own process.
 */
describe.runIf(backend === 'postgres')('storms of terminated database backends during writes', { timeout: 120_000 }, () => {
  let store: Store;
  let admin: pg.Client;
  beforeAll(async () => {
    store = await freshStore(serverUrl);
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await store.dispose();
  });

  it('answers 201 or 503 with Retry-After, never crashes, recovers by itself, and loses no acknowledged write', async () => {
    const { server, address } = await startServer(store.env);
    try {
      const token = await bootstrapToken(address);
      const target = await prepareRepository(address, token);
      const databaseName = new URL(store.env['DATABASE_URL'] ?? '').pathname.slice(1);
      const writer = startWriter(address, token, target, { concurrency: 4 });
      let terminated = 0;
      for (let storm = 0; storm < 12; storm++) {
        await sleep(250);
        const { rowCount } = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [databaseName],
        );
        terminated += rowCount ?? 0;
      }
      await sleep(500);
      await writer.stop();

      expect(terminated).toBeGreaterThan(0);
      expect(server.child.exitCode).toBeNull();
      const statuses = new Set(writer.answers.map((answer) => answer.status));
      expect([...statuses].filter((code) => code !== 201 && code !== 503)).toEqual([]);
      expect(writer.answers.filter((answer) => answer.status === 503).every((answer) => answer.retryAfter !== null)).toBe(true);
      expect(Math.max(...writer.answers.map((answer) => answer.ms))).toBeLessThan(15_000);
      expect(writer.transportErrors).toBe(0);

      // No restart: the same process answers again once the storms are over.
      expect(await eventually(async () => (await status(`${address}/readyz`)) === 200, 15_000)).toBe(true);
      const after = startWriter(address, token, target, { concurrency: 1 });
      await sleep(500);
      await after.stop();
      expect(after.acknowledged.length).toBeGreaterThan(0);

      const db = await store.open();
      try {
        const report = await checkDurability(db, [...writer.acknowledged, ...after.acknowledged]);
        expect(report).toEqual(EVERY_WRITE_KEPT);
      } finally {
        await db.close();
      }
      expect(server.stderr.join('\n')).not.toMatch(/Unhandled 'error' event/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
