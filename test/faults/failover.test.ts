import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { createOwnCluster, createStandbyOf, type OwnCluster } from './own-cluster.js';

/**
 * Two server instances over a primary and a hot standby in synchronous replication, both named
 * in one libpq multi-host URL. The primary crashes under load; the standby is promoted (as
 * pg_auto_failover or an operator would, with `pg_ctl promote`); both servers find the new
 * primary by themselves, and every write either acknowledged is on it.
 */
describe.runIf(backend === 'postgres')('failover from a primary to its synchronous standby, with two servers', { timeout: 240_000 }, () => {
  let primary: OwnCluster;
  let standby: OwnCluster;

  beforeAll(async () => {
    primary = await createOwnCluster();
    standby = await createStandbyOf(primary);
    // Synchronous: a commit is acknowledged only once the standby has it, so promoting it loses nothing acknowledged.
    const db = new PgDatabase({ connectionString: primary.url, maxConnections: 1, logger: pino({ level: 'silent' }) });
    try {
      await db.exec(`ALTER SYSTEM SET synchronous_standby_names = '*'`);
      await db.exec('SELECT pg_reload_conf()');
      expect(
        await eventually(
          async () => (await db.query<{ sync_state: string }>('SELECT sync_state FROM pg_stat_replication')).rows[0]?.sync_state === 'sync',
          20_000,
        ),
      ).toBe(true);
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(async () => {
    await primary?.destroy();
    await standby?.destroy();
  });

  it('reads AQL from the replica once it has caught up, and from the primary while it lags: a writer reads its own writes', async () => {
    const logger = pino({ level: 'silent' });
    const db = new PgDatabase({ connectionString: primary.url, replicaConnectionString: standby.url, maxConnections: 2, logger });
    const standbyAdmin = new PgDatabase({ connectionString: standby.url, maxConnections: 1, logger });
    const where = async () => (await db.reader.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]?.standby;
    try {
      await db.exec('CREATE TABLE IF NOT EXISTS replica_probe (n integer)');
      expect(await eventually(async () => (await where()) === true, 10_000)).toBe(true);
      // Replay paused: what the primary commits now is not on the replica, so reads go to the primary and see it.
      await standbyAdmin.query('SELECT pg_wal_replay_pause()');
      await db.query('INSERT INTO replica_probe VALUES (1)');
      expect(await where()).toBe(false);
      expect((await db.reader.query<{ n: number }>('SELECT count(*)::int AS n FROM replica_probe')).rows[0]?.n).toBe(1);
      await expect(db.reader.query('INSERT INTO replica_probe VALUES (2)')).rejects.toMatchObject({ code: '25006' });
      // Replay resumed: the replica catches up and takes the reads again, with the write on it.
      await standbyAdmin.query('SELECT pg_wal_replay_resume()');
      expect(await eventually(async () => (await where()) === true, 10_000)).toBe(true);
      expect((await db.reader.query<{ n: number }>('SELECT count(*)::int AS n FROM replica_probe')).rows[0]?.n).toBe(1);
    } finally {
      await standbyAdmin.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
      await standbyAdmin.close();
      await db.close();
    }
  });

  it('both servers follow the promoted standby, answering 503 meanwhile, and no acknowledged write is lost', async () => {
    // As behind a load balancer: one public address, one key sealing the stored secrets.
    const shared = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres`,
      DATABASE_REPLICA_URL: standby.url,
      UCP_PUBLIC_URL: 'http://ucp.failover.test',
      UCP_SECRETS_KEY: randomBytes(32).toString('base64'),
    };
    const one = await startServer(shared);
    const two = await startServer(shared);
    try {
      const token = await bootstrapToken(one.address);
      const target = await prepareRepository(one.address, token);
      // A write through one server is read through the other at once: both work on the primary.
      const written = await fetch(`${one.address}/openehr/v1/ehr/${target.ehrId}/composition`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=minimal' },
        body: target.composition,
      });
      expect(written.status).toBe(201);
      const uid = String(written.headers.get('etag')).replaceAll('"', '');
      const read = await fetch(`${two.address}/openehr/v1/ehr/${target.ehrId}/composition/${uid}`, {
        headers: { authorization: `Bearer ${await bootstrapToken(two.address)}` },
      });
      expect(read.status).toBe(200);
      // And by AQL, which the other server sends to the replica when it has caught up, else to the primary.
      const query = await fetch(`${two.address}/openehr/v1/query/aql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await bootstrapToken(two.address)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ q: `SELECT c/uid/value FROM EHR e[ehr_id/value='${target.ehrId}'] CONTAINS COMPOSITION c` }),
      });
      expect(query.status).toBe(200);
      expect(((await query.json()) as { rows: string[][] }).rows.flat()).toContain(uid);

      const writers = [
        startWriter(one.address, token, target, { concurrency: 2 }),
        startWriter(two.address, token, target, { concurrency: 2 }),
      ];
      await sleep(1_500);
      await primary.stop('immediate');
      await sleep(500);
      await standby.promote();
      const before = writers.map((writer) => writer.acknowledged.length);
      // Each server finds the new primary without a restart: acknowledged writes resume on both.
      for (const [index, writer] of writers.entries()) {
        expect(await eventually(async () => writer.acknowledged.length > (before[index] ?? 0) + 3, 60_000), `server ${index + 1}`).toBe(
          true,
        );
      }
      await Promise.all(writers.map((writer) => writer.stop()));

      for (const server of [one, two]) expect(server.server.child.exitCode).toBeNull();
      const failed = writers.flatMap((writer) => writer.answers.filter((answer) => answer.status !== 201));
      expect(new Set(failed.map((answer) => answer.status))).toEqual(new Set(failed.length > 0 ? [503] : []));
      expect(writers.reduce((sum, writer) => sum + writer.transportErrors, 0)).toBe(0);

      const promoted = new PgDatabase({ connectionString: standby.url, maxConnections: 2, logger: pino({ level: 'silent' }) });
      try {
        expect((await promoted.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]?.standby).toBe(false);
        const acknowledged = [uid, ...writers.flatMap((writer) => writer.acknowledged)];
        expect(await checkDurability(promoted, acknowledged)).toEqual(EVERY_WRITE_KEPT);
      } finally {
        await promoted.close();
      }
    } finally {
      for (const server of [one, two]) server.server.child.kill('SIGTERM');
      await Promise.all([one.server.exited, two.server.exited]);
    }
  });
});
