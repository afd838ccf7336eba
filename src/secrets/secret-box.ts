import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets the server must be able to use again (token signing keys, second-factor secrets,
 * subscription HMAC keys) are stored sealed: AES-256-GCM under the installation's
 * key-encryption key, which lives outside the database (configuration or a key file). A copy of
 * the database alone gives none of them away.
 *
 * A sealed value is one string, `sealed:v1:<key id>:<iv>:<ciphertext>:<tag>` (base64url parts),
 * so it fits the text columns that held the clear value. The key id tells a value sealed under
 * another key from a tampered one. Each value is bound to its place (`context`, e.g. the row it
 * belongs to) as additional authenticated data: a sealed value copied into another row does not
 * open there.
 */

const PREFIX = 'sealed:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The value could not be opened: sealed under another key, changed, or moved from its place. */
export class SecretOpenError extends Error {
  constructor(
    message: string,
    readonly sealedKeyId: string | undefined,
  ) {
    super(message);
    this.name = 'SecretOpenError';
  }
}

export class SecretBox {
  readonly #key: Buffer;
  /** Names the key without revealing it (an HMAC of a fixed label), for error messages and the key check. */
  readonly keyId: string;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new RangeError(`a key-encryption key has ${KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
    this.keyId = createHmac('sha256', this.#key).update('ucp secrets key id').digest('base64url').slice(0, 11);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.keyId}:${iv.toString('base64url')}:${ciphertext.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split(':') : [];
    const [keyId, iv, ciphertext, tag] = parts;
    if (parts.length !== 4 || !keyId || !iv || ciphertext === undefined || !tag) {
      throw new SecretOpenError(`the stored value for ${context} is not a sealed secret`, undefined);
    }
    if (keyId !== this.keyId) {
      throw new SecretOpenError(`the secret for ${context} was sealed under key ${keyId}, not under this key (${this.keyId})`, keyId);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretOpenError(`the secret for ${context} does not open: it was changed or belongs elsewhere`, keyId);
    }
  }
}

/** Whether a stored value is already sealed (anything else is a clear value from before sealing). */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Where each kind of secret lives: the additional data its sealed value is bound to. */
export const secretContext = {
  signingKey: (kid: string) => `signing_key.private_key_pem:${kid}`,
  totp: (userId: string) => `local_credential.totp:${userId}`,
  subscriptionHmac: (subscriptionId: string) => `fhir_subscription.hmac_secret:${subscriptionId}`,
  keyCheck: 'system_setting.secrets_key_check',
} as const;
