import { calculateJwkThumbprint, importJWK, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrCreateSigningKey, readPublishedKeys, SigningKeys } from '../../src/auth/tokens/signing-keys.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

describe(`signing keys on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());

  async function keyCount(): Promise<number> {
    const { rows } = await test.db.query<{ count: number }>('SELECT count(*)::int AS count FROM signing_key');
    return rows[0]?.count ?? -1;
  }

  it('creates exactly one key when several servers ask for it at once', async () => {
    const servers = [new SigningKeys(test.db, testSecrets), new SigningKeys(test.db, testSecrets), new SigningKeys(test.db, testSecrets)];
    const [first, second, third, fourth] = await Promise.all([
      getOrCreateSigningKey(test.db, testSecrets),
      getOrCreateSigningKey(test.db, testSecrets),
      ...servers.map((server) => server.current()),
    ]);
    expect(await keyCount()).toBe(1);
    expect(new Set([first?.kid, second?.kid, third?.kid, fourth?.kid]).size).toBe(1);
  });

  it('stores an ES256 key whose kid is the thumbprint and whose private half signs for the public half', async () => {
    const stored = await getOrCreateSigningKey(test.db, testSecrets);
    expect(stored.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: stored.kid });
    expect(stored.publicJwk).not.toHaveProperty('d');
    expect(await calculateJwkThumbprint(stored.publicJwk, 'sha256')).toBe(stored.kid);
    expect(stored.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const token = await new SignJWT({ probe: true })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(await importPKCS8(stored.privateKeyPem, 'ES256'));
    await expect(jwtVerify(token, await importJWK(stored.publicJwk, 'ES256'))).resolves.toBeTruthy();
  });

  it('publishes every key that is not retired, and only their public members', async () => {
    const keys = new SigningKeys(test.db, testSecrets);
    const current = await keys.current();
    const { keys: published } = await keys.jwks();
    expect(published.map((jwk) => jwk.kid)).toEqual([current.kid]);
    expect(Object.keys(published[0] ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('verifies a token whose key another server created after this one last read the set', async () => {
    let clock = Date.now();
    const verifier = new SigningKeys(test.db, testSecrets, { now: () => clock, unknownKeyRefreshIntervalMs: 1_000 });
    const before = await verifier.jwks();

    // A moment ago in the database's time: `now()` has microseconds, the key set compares with the process's milliseconds.
    await test.db.query("UPDATE signing_key SET retired_at = now() - interval '1 second'");
    const issuer = new SigningKeys(test.db, testSecrets);
    const fresh = await issuer.current();
    expect(before.keys.map((jwk) => jwk.kid)).not.toContain(fresh.kid);

    // Within the unknown-key interval, an unknown kid does not cost a query.
    await expect(verifier.verificationKey({ alg: 'ES256', kid: fresh.kid })).rejects.toThrow(/no published key/);
    clock += 1_000;
    await expect(verifier.verificationKey({ alg: 'ES256', kid: fresh.kid })).resolves.toBeTruthy();
    expect((await verifier.jwks()).keys.map((jwk) => jwk.kid)).toEqual([fresh.kid]);
    expect((await readPublishedKeys(test.db)).map((jwk) => jwk.kid)).toEqual([fresh.kid]);
  });

  it('signs with a new key once the current one is retired and the cache refreshes', async () => {
    let clock = Date.now();
    const keys = new SigningKeys(test.db, testSecrets, { now: () => clock, refreshIntervalMs: 60_000 });
    const first = await keys.current();
    await test.db.query('UPDATE signing_key SET retired_at = now() WHERE kid = $1', [first.kid]);
    expect((await keys.current()).kid).toBe(first.kid);
    clock += 60_000;
    const second = await keys.current();
    expect(second.kid).not.toBe(first.kid);
    // Its own new key verifies at once, without waiting for the published set to refresh.
    await expect(keys.verificationKey({ alg: 'ES256', kid: second.kid })).resolves.toBeTruthy();
    await expect(keys.verificationKey({ alg: 'ES256', kid: first.kid })).rejects.toThrow(/no published key/);
  });

  it('refuses to hand out a key for any algorithm but ES256 or without a kid', async () => {
    const keys = new SigningKeys(test.db, testSecrets);
    const { kid } = await keys.current();
    await expect(keys.verificationKey({ alg: 'HS256', kid })).rejects.toThrow(/not allowed/);
    await expect(keys.verificationKey({ alg: 'none', kid })).rejects.toThrow(/not allowed/);
    await expect(keys.verificationKey({ alg: 'ES256' })).rejects.toThrow(/kid/);
  });
});
