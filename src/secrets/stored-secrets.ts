import type { Database, Queryable } from '../db/database.js';
import { SecretsKeyError } from './key-encryption-key.js';
import { isSealed, secretContext, SecretOpenError, type SecretBox } from './secret-box.js';

/** Any 64-bit number unique to this purpose: servers starting together seal once. */
const SEALING_LOCK = 7_340_112_731;
const KEY_CHECK_SETTING = 'secrets_key_check';
const KEY_CHECK_TEXT = 'ucp secrets key check';

export interface SealingOutcome {
  /** Clear values found and sealed on this start (rows stored before sealing existed). */
  sealed: { signingKeys: number; totpSecrets: number; subscriptionSecrets: number };
}

/**
 * Run at start-up, before anything reads a secret: checks that the key-encryption key is the one
 * the database's secrets are sealed under (a wrong key stops the start with a clear message
 * instead of failing later on every sign-in), then seals any secret still stored in clear.
 * One transaction under a lock, so several servers starting together do it once.
 */
export function prepareStoredSecrets(db: Database, box: SecretBox): Promise<SealingOutcome> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEALING_LOCK]);
    await checkKey(tx, box);
    return { sealed: await sealClearValues(tx, box) };
  });
}

async function checkKey(tx: Queryable, box: SecretBox): Promise<void> {
  const { rows } = await tx.query<{ value: { sealed?: unknown } }>('SELECT value FROM system_setting WHERE key = $1', [KEY_CHECK_SETTING]);
  const stored = rows[0]?.value.sealed;
  if (stored === undefined) {
    await tx.query('INSERT INTO system_setting (key, value) VALUES ($1, $2)', [
      KEY_CHECK_SETTING,
      JSON.stringify({ sealed: box.seal(KEY_CHECK_TEXT, secretContext.keyCheck) }),
    ]);
    return;
  }
  try {
    if (typeof stored === 'string' && box.open(stored, secretContext.keyCheck) === KEY_CHECK_TEXT) return;
  } catch (error) {
    if (!(error instanceof SecretOpenError)) throw error;
    const sealedUnder = error.sealedKeyId ? ` (its secrets are sealed under key ${error.sealedKeyId})` : '';
    throw new SecretsKeyError(
      `the key-encryption key (key ${box.keyId}) is not the one this database's secrets are sealed under${sealedUnder}; ` +
        'start with the UCP_SECRETS_KEY, or the data folder key file, the store was set up with',
    );
  }
  throw new SecretsKeyError('the stored secrets key check is damaged; restore system_setting.secrets_key_check from a backup');
}

async function sealClearValues(tx: Queryable, box: SecretBox): Promise<SealingOutcome['sealed']> {
  const keys = await tx.query<{ kid: string; private_key_pem: string }>(
    `SELECT kid, private_key_pem FROM signing_key WHERE private_key_pem NOT LIKE 'sealed:%' FOR UPDATE`,
  );
  for (const row of keys.rows) {
    await tx.query('UPDATE signing_key SET private_key_pem = $2 WHERE kid = $1', [
      row.kid,
      box.seal(row.private_key_pem, secretContext.signingKey(row.kid)),
    ]);
  }
  const totp = await tx.query<{ user_id: string; totp_secret: string | null; totp_pending_secret: string | null }>(
    `SELECT user_id, totp_secret, totp_pending_secret FROM local_credential
     WHERE totp_secret NOT LIKE 'sealed:%' OR totp_pending_secret NOT LIKE 'sealed:%' FOR UPDATE`,
  );
  const sealTotp = (userId: string, value: string | null) =>
    value === null || isSealed(value) ? value : box.seal(value, secretContext.totp(userId));
  for (const row of totp.rows) {
    await tx.query('UPDATE local_credential SET totp_secret = $2, totp_pending_secret = $3 WHERE user_id = $1', [
      row.user_id,
      sealTotp(row.user_id, row.totp_secret),
      sealTotp(row.user_id, row.totp_pending_secret),
    ]);
  }
  const hmac = await tx.query<{ id: string; hmac_secret: string }>(
    `SELECT id, hmac_secret FROM fhir_subscription WHERE hmac_secret NOT LIKE 'sealed:%' FOR UPDATE`,
  );
  for (const row of hmac.rows) {
    await tx.query('UPDATE fhir_subscription SET hmac_secret = $2 WHERE id = $1', [
      row.id,
      box.seal(row.hmac_secret, secretContext.subscriptionHmac(row.id)),
    ]);
  }
  return { signingKeys: keys.rows.length, totpSecrets: totp.rows.length, subscriptionSecrets: hmac.rows.length };
}
