import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/migrations.js';
import { DEMO_PASSWORD } from '../../src/demo/demo-people.js';
import { backend, createPostgresDatabase, dropPostgresDatabase } from '../support/test-database.js';
import { freePort, logMessages, spawnServer } from './server-process.js';
import { journeyToCallback } from '../auth/oidc/oidc-test-server.js';
import { TestBrowser } from '../auth/oidc/test-browser.js';

const serverUrl = process.env['DATABASE_URL'];

/** Where a spawned server keeps its data: a fresh PostgreSQL database or a fresh data folder. */
async function freshStore(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  if (serverUrl) {
    const { name, url } = await createPostgresDatabase(serverUrl);
    return { env: { DATABASE_URL: url }, dispose: () => dropPostgresDatabase(serverUrl, name) };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ucp-test-'));
  return { env: { UCP_DATA_DIR: dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}

describe('the server process', () => {
  it('stops at once with one line naming a bad variable', async () => {
    const server = spawnServer({ PORT: 'abc' });
    expect(await server.exited).toBe(1);
    expect(server.stderr).toHaveLength(1);
    expect(server.stderr[0]).toMatch(/^ucp: invalid configuration: PORT must be a whole number/);
  });
});

describe(`the server process on ${backend}`, { timeout: 120_000 }, () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore();
  });
  afterAll(() => store.dispose());

  it('starts with the demo dataset, becomes ready, stops cleanly on SIGINT, and keeps its data for the next start', async () => {
    const bootstrap = { UCP_BOOTSTRAP_CLIENT_ID: 'installer', UCP_BOOTSTRAP_CLIENT_SECRET: 'installer-secret-0123456789abcdef' };
    const first = spawnServer({ ...store.env, ...bootstrap, PORT: String(await freePort()) });
    const address = await first.listening;
    const ready = await fetch(`${address}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: backend });
    expect(await (await fetch(`${address}/api/system`)).json()).toMatchObject({ demo: true });
    await expect.poll(() => first.stdout.join('\n')).toContain('DEMO DATA');

    // The bootstrap client can obtain a token, verifiable with the published keys.
    const token = await fetch(`${address}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`installer:${bootstrap.UCP_BOOTSTRAP_CLIENT_SECRET}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.stringMatching(/^ey/) });
    const jwks = await (await fetch(`${address}/oauth2/jwks`)).json();
    expect(jwks).toMatchObject({ keys: [expect.objectContaining({ kty: 'EC', alg: 'ES256' })] });
    expect(first.stdout.join('\n')).not.toContain(bootstrap.UCP_BOOTSTRAP_CLIENT_SECRET);

    // The demo log-ins printed at start-up work.
    expect(first.stdout.join('\n')).toContain(`Demo log-ins (POST /auth/sign-in), all with the password "${DEMO_PASSWORD}"`);
    const signIn = await fetch(`${address}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: address },
      body: JSON.stringify({ username: 'viewer', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ roles: ['viewer'], organisation: { odsCode: 'DEMOAMB' } });

    // Single sign-on through the embedded development identity provider lands the same demo person in a session.
    expect(first.stdout.join('\n')).toContain(`${address}/auth/oidc/dev/login`);
    const browser = new TestBrowser();
    const journey = await journeyToCallback(browser, address, 'clinician');
    expect((await browser.get(journey.callbackUrl)).status).toBe(303);
    const session = await browser.get(`${address}/auth/session`);
    expect(await session.json()).toMatchObject({ organisation: { odsCode: 'DEMOGP1' }, roles: ['clinician'] });
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(logMessages(first)).toEqual(expect.arrayContaining(['database migrated', 'stopped']));

    const second = spawnServer(store.env);
    const secondAddress = await second.listening;
    expect(await (await fetch(`${secondAddress}/api/system`)).json()).toMatchObject({ demo: true });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const messages = logMessages(second);
    expect(messages).toContain('database schema up to date');
    expect(messages).not.toContain('database migrated');
    expect(messages).not.toContain('demo dataset loaded');
  });
});

// Embedded PostgreSQL belongs to one process, so there the second server must be refused; a
// PostgreSQL server is shared, so there both must come up and migrate once.
describe(`two servers started at once on one ${backend} store`, { timeout: 120_000 }, () => {
  const embedded = backend === 'pglite';
  it(embedded ? 'refuses the second with a message naming UCP_DATA_DIR' : 'brings both up and runs the migrations once', () =>
    embedded ? secondServerIsRefused() : bothServersComeUp(),
  );
});

async function secondServerIsRefused(): Promise<void> {
  const store = await freshStore();
  const first = spawnServer({ ...store.env, UCP_DEMO: 'off' });
  await first.listening;
  const second = spawnServer({ ...store.env, UCP_DEMO: 'off' });
  expect(await second.exited).toBe(1);
  expect(second.stderr.join('\n')).toMatch(/UCP_DATA_DIR .* is in use by another running server/);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  await store.dispose();
}

async function bothServersComeUp(): Promise<void> {
  const store = await freshStore();
  const servers = [spawnServer({ ...store.env, UCP_DEMO: 'off' }), spawnServer({ ...store.env, UCP_DEMO: 'off' })];
  const addresses = await Promise.all(servers.map((server) => server.listening));
  for (const address of addresses) expect((await fetch(`${address}/readyz`)).status).toBe(200);
  const migratedBy = servers.filter((server) => logMessages(server).includes('database migrated'));
  expect(migratedBy).toHaveLength(1);
  const client = new pg.Client({ connectionString: store.env['DATABASE_URL'] });
  await client.connect();
  const { rows } = await client.query<{ version: number; n: string }>(
    'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
  );
  await client.end();
  const migrations = await loadMigrations();
  expect(rows.map((row) => [row.version, Number(row.n)])).toEqual(migrations.map((m) => [m.version, 1]));
  for (const server of servers) server.child.kill('SIGTERM');
  expect(await Promise.all(servers.map((server) => server.exited))).toEqual([0, 0]);
  await store.dispose();
}
