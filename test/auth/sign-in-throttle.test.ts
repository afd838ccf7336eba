import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/migrations.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { buildApp, type App } from '../../src/server/app.js';
import { createAppServices } from '../../src/server/app-services.js';
import { createLocalAccount } from '../../src/users/local-accounts.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend, silentLogger } from '../support/test-database.js';
import { ADDRESS_LIMIT } from '../../src/auth/local/sign-in-throttle.js';
import { testSecrets } from '../support/test-secrets.js';

const ORIGIN = 'http://127.0.0.1:8080';
const PASSWORD = 'a-long-enough-passphrase-42';

/** Sign-in throttling per username and per client address, shared by two servers on one database. */
describe(`sign-in throttling on ${backend}`, { timeout: 180_000 }, () => {
  let test: TestApp;
  let second: App;
  beforeAll(async () => {
    test = await createTestApp();
    const { db } = test.database;
    await upsertOrganisation(db, {
      odsCode: 'HOSP1',
      name: 'Thames Hospice',
      kind: 'hospice',
      ics: 'South West London',
      dataSecurityStatus: 'standards-met',
    });
    for (const name of ['known', 'sprayed', 'bystander']) {
      const user = await createUser(db, { displayName: name, email: `${name}@example.test` });
      await addMembership(db, user.id, 'HOSP1', ['viewer']);
      await createLocalAccount(db, { userId: user.id, username: name, password: PASSWORD });
    }
    const schemaVersion = (await loadMigrations()).at(-1)?.version ?? 0;
    second = await buildApp({
      config: test.config,
      db,
      logger: silentLogger,
      schemaVersion,
      services: createAppServices(db, test.config, testSecrets),
    });
    await second.ready();
  });
  afterAll(async () => {
    await second.close();
    await test.close();
  });

  const signIn = (app: App, username: string, password: string, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/auth/sign-in', headers: { origin: ORIGIN }, remoteAddress, payload: { username, password } });

  it('throttles an unknown username exactly as a known one: same statuses, same answer, across two servers', async () => {
    const known: { status: number; body: unknown }[] = [];
    const unknown: { status: number; body: unknown }[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      // Alternate the servers: the count lives in the shared database.
      const app = attempt % 2 === 0 ? test.app : second;
      const a = await signIn(app, 'known', 'wrong password here', '10.1.0.1');
      const b = await signIn(app, 'no-such-person', 'wrong password here', '10.1.0.2');
      known.push({ status: a.statusCode, body: strip(a.json()) });
      unknown.push({ status: b.statusCode, body: strip(b.json()) });
    }
    expect(known.map((k) => k.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknown).toEqual(known);
    // Even the right password is refused while the name is blocked, without saying whether it was right.
    const blocked = await signIn(second, 'known', PASSWORD, '10.1.0.3');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('blocks an address that sprays passwords across many names, and only that address', async () => {
    for (let attempt = 0; attempt <= ADDRESS_LIMIT; attempt++) {
      const response = await signIn(attempt % 2 === 0 ? test.app : second, `name-${attempt}`, 'wrong password here', '10.2.0.1');
      expect(response.statusCode).toBe(401);
    }
    const fromSprayer = await signIn(test.app, 'sprayed', PASSWORD, '10.2.0.1');
    expect(fromSprayer.statusCode).toBe(429);
    const fromElsewhere = await signIn(second, 'bystander', PASSWORD, '10.2.0.9');
    expect(fromElsewhere.statusCode).toBe(200);
  });

  it('keeps neither names nor addresses in clear', async () => {
    const { rows } = await test.database.db.query<{ key_hash: string }>('SELECT key_hash FROM sign_in_throttle');
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/known|no-such-person|10\.1\.0/);
  });
});

/** The parts of a problem document that differ per request. */
function strip(body: Record<string, unknown>): Record<string, unknown> {
  const { instance: _instance, requestId: _requestId, ...rest } = body;
  return rest;
}
