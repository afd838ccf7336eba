import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { PgDatabase } from '../../src/db/pg-database.js';
import { backend } from '../support/test-database.js';
import {
  bootstrapToken,
  checkDurability,
  EVERY_WRITE_KEPT,
  eventually,
  prepareRepository,
  sleep,
  startServer,
  startWriter,
} from './fault-harness.js';
import { createOwnCluster, type OwnCluster } from './own-cluster.js';

/**
 * The database server itself goes away under load (crash-stop: no checkpoint) and comes back.
 * The cluster is the test's own (initdb, pg_ctl), so stopping it disturbs nothing else; it runs
 * in the PostgreSQL pass of the suite.
 */
describe.runIf(backend === 'postgres')('a PostgreSQL cluster stopped and restarted under load', { timeout: 180_000 }, () => {
  let cluster: OwnCluster;
  beforeAll(async () => {
    cluster = await createOwnCluster();
  }, 120_000);
  afterAll(() => cluster.destroy());

  it('answers 503 with Retry-After while it is down, goes unready, and recovers by itself with every acknowledged write', async () => {
    const { server, address } = await startServer({ DATABASE_URL: cluster.url });
    try {
      const token = await bootstrapToken(address);
      const target = await prepareRepository(address, token);
      const writer = startWriter(address, token, target, { concurrency: 4 });
      await sleep(1_000);

      await cluster.stop('immediate');
      const downSince = Date.now();
      expect(await eventually(async () => (await fetch(`${address}/readyz`)).status === 503, 10_000)).toBe(true);
      const probe = await fetch(`${address}/readyz`);
      expect(probe.headers.get('retry-after')).toMatch(/^\d+$/);
      const answeredWhileDown = writer.answers.length;
      await sleep(2_000);
      expect(writer.answers.length).toBeGreaterThan(answeredWhileDown);

      await cluster.start();
      const upAt = Date.now();
      expect(await eventually(async () => (await fetch(`${address}/readyz`)).status === 200, 30_000)).toBe(true);
      const acknowledgedBefore = writer.acknowledged.length;
      expect(await eventually(async () => writer.acknowledged.length > acknowledgedBefore + 3, 30_000)).toBe(true);
      await writer.stop();

      expect(server.child.exitCode).toBeNull();
      const downAnswers = writer.answers.filter((answer) => answer.status !== 201);
      expect(downAnswers.length).toBeGreaterThan(0);
      expect(new Set(downAnswers.map((answer) => answer.status))).toEqual(new Set([503]));
      expect(downAnswers.every((answer) => answer.retryAfter !== null)).toBe(true);
      // Bounded: no request waited for the database longer than the pool's connect timeout and then some.
      expect(Math.max(...writer.answers.map((answer) => answer.ms))).toBeLessThan(10_000);
      expect(writer.transportErrors).toBe(0);
      expect(upAt - downSince).toBeGreaterThan(1_000);

      const db = new PgDatabase({ connectionString: cluster.url, maxConnections: 2, logger: pino({ level: 'silent' }) });
      try {
        expect(await checkDurability(db, writer.acknowledged)).toEqual(EVERY_WRITE_KEPT);
      } finally {
        await db.close();
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
