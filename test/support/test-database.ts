import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrations.js';
import { PgDatabase } from '../../src/db/pg-database.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';

/**
 * Tests run on the backend the environment selects: with DATABASE_URL, each test file gets a
 * fresh database of its own on that PostgreSQL server (so files run in parallel); without it,
 * an in-memory PGlite.
 */
export const backend = process.env['DATABASE_URL'] ? 'postgres' : 'pglite';

export const silentLogger = pino({ level: 'silent' });

export interface TestDatabase {
  db: Database;
  /** The connection string of the fresh database (PostgreSQL only). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, empty database (no migrations applied). */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    const db = await PgliteDatabase.open(undefined);
    return { db, url: undefined, drop: () => db.close() };
  }
  const { name, url } = await createPostgresDatabase(serverUrl);
  const db = new PgDatabase({ connectionString: url, maxConnections: 5, logger: silentLogger });
  return {
    db,
    url,
    async drop() {
      await db.close();
      await dropPostgresDatabase(serverUrl, name);
    },
  };
}

/** A fresh database with the project's schema. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const test = await createEmptyTestDatabase();
  await migrate(test.db, await loadMigrations());
  return test;
}

export async function createPostgresDatabase(serverUrl: string): Promise<{ name: string; url: string }> {
  const name = `ucp_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
