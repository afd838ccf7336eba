import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/access/caller.js';
import { issueAccessToken, verifyAccessToken, accessTokenSettings } from '../../src/auth/tokens/access-token.js';
import { rotateIfDue } from '../../src/auth/tokens/signing-key-rotation.js';
import { listSigningKeys, PUBLISH_LEAD_MS, rotateSigningKey, SigningKeys } from '../../src/auth/tokens/signing-keys.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

const MINUTE = 60_000;
const LIFETIME_SECONDS = 300;
const grant = { clientId: 'rotation-tester', scopes: SCOPES, roles: ['viewer' as const], organisationOdsCode: undefined };

describe(`signing key rotation with overlap on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());

  it('publishes the new key before it signs, switches at activation, and verifies old tokens until they have expired', async () => {
    const start = Date.now();
    let clock = start;
    const keys = new SigningKeys(test.db, testSecrets, { now: () => clock, refreshIntervalMs: MINUTE });
    const settings = accessTokenSettings('https://ucp.test', { lifetimeSeconds: LIFETIME_SECONDS });
    const verify = (token: string) =>
      verifyAccessToken(keys, settings, token, { now: new Date(clock), resolveOrganisation: async () => undefined });
    const old = await keys.current();

    const rotation = await rotateSigningKey(
      test.db,
      testSecrets,
      { maxTokenLifetimeSeconds: LIFETIME_SECONDS },
      { caller: systemCaller('test'), reason: 'test rotation' },
      new Date(clock),
    );
    expect(rotation?.introduced).toMatchObject({ state: 'pending', activatesAt: new Date(start + PUBLISH_LEAD_MS).toISOString() });
    const fresh = rotation?.introduced.kid ?? '';
    const retiresAt = start + PUBLISH_LEAD_MS + LIFETIME_SECONDS * 1000 + 5 * MINUTE;
    expect(rotation?.replaced).toEqual([
      expect.objectContaining({ kid: old.kid, state: 'signing', retiresAt: new Date(retiresAt).toISOString() }),
    ]);
    keys.refresh();

    // Published at once, while the old key still signs.
    expect((await keys.jwks()).keys.map((jwk) => jwk.kid).sort()).toEqual([old.kid, fresh].sort());
    const signedBefore = (await issueAccessToken(keys, settings, grant, new Date(clock))).accessToken;
    expect(decodeProtectedHeader(signedBefore).kid).toBe(old.kid);

    // From activation the new key signs; the old one verifies the tokens it signed.
    clock = start + PUBLISH_LEAD_MS;
    const signedAfter = (await issueAccessToken(keys, settings, grant, new Date(clock))).accessToken;
    expect(decodeProtectedHeader(signedAfter).kid).toBe(fresh);
    clock = start + PUBLISH_LEAD_MS - 1;
    const lastOld = (await issueAccessToken(keys, settings, grant, new Date(clock))).accessToken;
    expect(decodeProtectedHeader(lastOld).kid).toBe(old.kid);
    clock = start + PUBLISH_LEAD_MS + LIFETIME_SECONDS * 1000 - 1000;
    await expect(verify(lastOld)).resolves.toBeTruthy();
    expect((await listSigningKeys(test.db, new Date(clock))).map((key) => [key.kid, key.state])).toEqual([
      [fresh, 'signing'],
      [old.kid, 'verifying-only'],
    ]);

    // Once every token it could have signed has expired, it is retired: gone from the JWKS and from verification.
    clock = retiresAt;
    keys.refresh();
    expect((await keys.jwks()).keys.map((jwk) => jwk.kid)).toEqual([fresh]);
    await expect(keys.verificationKey({ alg: 'ES256', kid: old.kid })).rejects.toThrow(/no published key/);
    await expect(verify(lastOld)).rejects.toThrow();
    expect((await listSigningKeys(test.db, new Date(clock))).find((key) => key.kid === old.kid)?.state).toBe('retired');
  });

  it('runs one rotation at a time: while a new key waits to activate, another is refused', async () => {
    const now = new Date(Date.now() + 2 * 3_600_000);
    const by = { caller: systemCaller('test'), reason: 'test rotation' };
    expect(await rotateSigningKey(test.db, testSecrets, { maxTokenLifetimeSeconds: LIFETIME_SECONDS }, by, now)).toBeDefined();
    expect(
      await rotateSigningKey(test.db, testSecrets, { maxTokenLifetimeSeconds: LIFETIME_SECONDS }, by, new Date(now.getTime() + MINUTE)),
    ).toBeUndefined();
  });

  it('rotates by itself when the key has signed for the period, once, and audits it as the system', async () => {
    const schedule = { periodDays: 90, maxTokenLifetimeSeconds: LIFETIME_SECONDS };
    const keys = await listSigningKeys(test.db, new Date(Date.now() + 3 * 3_600_000));
    const signing = keys.find((key) => key.state === 'signing');
    const activatedAt = Date.parse(signing?.activatesAt ?? '');
    expect(await rotateIfDue(test.db, testSecrets, schedule, new Date(activatedAt + 89 * 86_400_000))).toBeUndefined();
    const due = new Date(activatedAt + 90 * 86_400_000);
    const [first, second] = await Promise.all([
      rotateIfDue(test.db, testSecrets, schedule, due),
      rotateIfDue(test.db, testSecrets, schedule, due),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(
      await rotateIfDue(test.db, testSecrets, { ...schedule, periodDays: 0 }, new Date(due.getTime() + 365 * 86_400_000)),
    ).toBeUndefined();
    const { rows } = await test.db.query<{ actor_id: string; resource_id: string; detail: { reason: string } }>(
      `SELECT actor_id, resource_id, detail FROM audit_log WHERE resource_type = 'signing-key' ORDER BY seq DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ actor_id: 'system:signing-key-rotation', resource_id: (first ?? second)?.introduced.kid });
    expect(rows[0]?.detail.reason).toMatch(/90 days/);
  });
});

describe(`the signing key administration API on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  it('lists the keys without private halves and rotates for a platform administrator only, audited with the reason', async () => {
    const viewer = await issueTestToken(test.services, test.database.db, { ...grant, clientId: 'just-a-viewer' });
    const refused = await test.inject({
      method: 'POST',
      url: '/api/admin/signing-keys/rotations',
      headers: { authorization: `Bearer ${viewer}` },
      payload: { reason: 'I would like a key of my own' },
    });
    expect(refused.statusCode).toBe(403);

    const tooShort = await test.inject({ method: 'POST', url: '/api/admin/signing-keys/rotations', payload: { reason: 'because' } });
    expect(tooShort.statusCode).toBe(400);

    const rotated = await test.inject({
      method: 'POST',
      url: '/api/admin/signing-keys/rotations',
      payload: { reason: 'yearly rotation of the token signing key' },
    });
    expect(rotated.statusCode, rotated.body).toBe(201);
    const { introduced } = rotated.json<{ introduced: { kid: string; state: string } }>();
    expect(introduced.state).toBe('pending');
    // Published at once on this server.
    const jwks = await test.app.inject({ method: 'GET', url: '/oauth2/jwks' });
    expect(jwks.json<{ keys: { kid: string }[] }>().keys.map((key) => key.kid)).toContain(introduced.kid);

    const again = await test.inject({
      method: 'POST',
      url: '/api/admin/signing-keys/rotations',
      payload: { reason: 'another one straight away' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);

    const listed = await test.inject({ method: 'GET', url: '/api/admin/signing-keys' });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toMatch(/PRIVATE|sealed|"d"/);
    expect(listed.json<{ state: string }[]>().map((key) => key.state)).toEqual(['pending', 'signing']);

    const { rows } = await test.database.db.query<{ actor_id: string; detail: { reason: string } }>(
      `SELECT actor_id, detail FROM audit_log WHERE resource_type = 'signing-key' AND resource_id = $1`,
      [introduced.kid],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor_id: 'test-integration',
        detail: expect.objectContaining({ reason: 'yearly rotation of the token signing key' }),
      }),
    ]);
  });
});
