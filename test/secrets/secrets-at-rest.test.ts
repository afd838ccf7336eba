import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { SigningKeys } from '../../src/auth/tokens/signing-keys.js';
import { loadMigrations, migrate } from '../../src/db/migrations.js';
import { SecretsKeyError } from '../../src/secrets/key-encryption-key.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { prepareStoredSecrets } from '../../src/secrets/stored-secrets.js';
import { base32Decode } from '../../src/users/base32.js';
import { confirmTotp, createLocalAccount, enrolTotp, verifyLogin } from '../../src/users/local-accounts.js';
import { totp } from '../../src/users/totp.js';
import { createUser } from '../../src/users/user-store.js';
import { backend, createEmptyTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The last migration before secrets were sealed: a store as an older release left it. */
const BEFORE_SEALING = 18;
const PASSWORD = 'a long enough phrase for tests';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const HMAC_SECRET = 'subscriber-hmac-secret-0123456789abcdef';

describe(`secrets at rest on ${backend}`, () => {
  let test: TestDatabase;
  const box = new SecretBox(Buffer.alloc(32, 42));
  let userId: string;
  let clearPem: string;
  const raw = async () => {
    const keys = await test.db.query<{ kid: string; private_key_pem: string }>('SELECT kid, private_key_pem FROM signing_key');
    const totps = await test.db.query<{ totp_secret: string | null; totp_pending_secret: string | null }>(
      'SELECT totp_secret, totp_pending_secret FROM local_credential',
    );
    const hmacs = await test.db.query<{ hmac_secret: string | null }>('SELECT hmac_secret FROM fhir_subscription');
    return { keys: keys.rows, totps: totps.rows, hmacs: hmacs.rows, all: JSON.stringify([keys.rows, totps.rows, hmacs.rows]) };
  };

  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    const migrations = await loadMigrations();
    await migrate(
      test.db,
      migrations.filter((migration) => migration.version <= BEFORE_SEALING),
    );
    // What an older release stored in clear: a signing key, an active second factor, a subscription's HMAC key.
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    clearPem = await exportPKCS8(privateKey);
    await test.db.query(`INSERT INTO signing_key (kid, algorithm, public_jwk, private_key_pem) VALUES ('old-key', 'ES256', $1, $2)`, [
      JSON.stringify({ ...(await exportJWK(publicKey)), kid: 'old-key' }),
      clearPem,
    ]);
    const user = await createUser(test.db, { displayName: 'Dr Clear Text', email: 'clear.text@example.nhs.uk' });
    userId = user.id;
    await createLocalAccount(test.db, { userId, username: 'clear.text', password: PASSWORD });
    await test.db.query('UPDATE local_credential SET totp_secret = $2 WHERE user_id = $1', [userId, TOTP_SECRET]);
    await test.db.query(
      `INSERT INTO fhir_subscription (owner_id, owner_kind, criteria, resource_type, channel_type, endpoint, hmac_secret, reason, status, cursor_seq)
       VALUES ('someone', 'client', 'Flag', 'Flag', 'rest-hook', 'https://subscriber.example/hook', $1, 'tests', 'active', 0)`,
      [HMAC_SECRET],
    );
    await migrate(test.db, migrations);
  });
  afterAll(() => test.drop());

  it('seals every clear secret on the first start with a key, and finds none to seal on the next', async () => {
    expect((await raw()).all).toContain(TOTP_SECRET);
    expect(await prepareStoredSecrets(test.db, box)).toEqual({ sealed: { signingKeys: 1, totpSecrets: 1, subscriptionSecrets: 1 } });
    const stored = await raw();
    for (const secret of [TOTP_SECRET, HMAC_SECRET, 'PRIVATE KEY', clearPem.split('\n')[1] ?? '']) expect(stored.all).not.toContain(secret);
    expect(stored.keys[0]?.private_key_pem).toMatch(/^sealed:v1:/);
    expect(stored.totps[0]?.totp_secret).toMatch(/^sealed:v1:/);
    expect(stored.hmacs[0]?.hmac_secret).toMatch(/^sealed:v1:/);
    expect(await prepareStoredSecrets(test.db, box)).toEqual({ sealed: { signingKeys: 0, totpSecrets: 0, subscriptionSecrets: 0 } });
  });

  it('keeps working with what was sealed: the old key signs, the second factor accepts its codes', async () => {
    const keys = new SigningKeys(test.db, box);
    expect((await keys.current()).kid).toBe('old-key');
    const now = new Date();
    const code = totp(base32Decode(TOTP_SECRET), now);
    expect((await verifyLogin(test.db, box, 'clear.text', PASSWORD, code, now)).outcome).toBe('ok');
  });

  it('stores a newly enrolled second factor and a new signing key sealed, never in clear', async () => {
    const enrolment = await enrolTotp(test.db, box, userId);
    expect((await raw()).all).not.toContain(enrolment.secret);
    const later = new Date(Date.now() + 120_000);
    expect(await confirmTotp(test.db, box, userId, totp(base32Decode(enrolment.secret), later), later)).toBe(true);
    expect((await raw()).all).not.toContain(enrolment.secret);
    await test.db.query(`UPDATE signing_key SET retired_at = now()`);
    const fresh = await new SigningKeys(test.db, box).current();
    const stored = (await raw()).keys.find((key) => key.kid === fresh.kid);
    expect(stored?.private_key_pem).toMatch(/^sealed:v1:/);
  });

  it('refuses to store a secret in clear: the database checks every row written', async () => {
    await expect(
      test.db.query('UPDATE local_credential SET totp_pending_secret = $2 WHERE user_id = $1', [userId, TOTP_SECRET]),
    ).rejects.toThrow(/local_credential_totp_sealed/);
    await expect(
      test.db.query(`INSERT INTO signing_key (kid, algorithm, public_jwk, private_key_pem) VALUES ('clear', 'ES256', '{}', $1)`, [
        clearPem,
      ]),
    ).rejects.toThrow(/signing_key_private_key_sealed/);
  });

  it('stops with a message naming both keys when started with another key, and changes nothing', async () => {
    const before = (await raw()).all;
    const wrong = new SecretBox(Buffer.alloc(32, 43));
    const refusal = prepareStoredSecrets(test.db, wrong);
    await expect(refusal).rejects.toThrow(SecretsKeyError);
    await expect(prepareStoredSecrets(test.db, wrong)).rejects.toThrow(
      new RegExp(`key ${wrong.keyId}\\) is not the one .* sealed under key ${box.keyId}`),
    );
    expect((await raw()).all).toBe(before);
  });
});
