import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * About 80 ms on one core and 32 MiB: cheap enough for a token endpoint, dear enough that a
 * leaked table does not give up an operator-chosen bootstrap secret quickly. Generated secrets
 * carry 256 random bits and would be safe with far less.
 */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';

/** Bounds on stored parameters, so that a corrupt row cannot make a login take minutes or gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** A fresh client secret: 32 random bytes, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url: everything needed to verify later. */
export async function hashClientSecret(secret: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(secret, salt, KEY_LENGTH, parameters);
  const { N, r, p } = parameters;
  return [PREFIX, N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * True when `secret` matches `encoded`. A malformed `encoded` never matches. The comparison
 * takes the same time wherever the first differing byte is.
 */
export async function verifyClientSecret(secret: string, encoded: string): Promise<boolean> {
  const stored = decode(encoded);
  if (!stored) return false;
  const candidate = await derive(secret, stored.salt, stored.hash.length, stored.parameters);
  return timingSafeEqual(candidate, stored.hash);
}

/**
 * A hash no secret matches, computed once. Checking a secret against it for an unknown client
 * costs as much as for a known one, so response times do not tell which client ids exist.
 */
let decoyHash: Promise<string> | undefined;
export function decoyClientSecretHash(): Promise<string> {
  decoyHash ??= hashClientSecret(generateClientSecret());
  return decoyHash;
}

interface StoredHash {
  parameters: ScryptParameters;
  salt: Buffer;
  hash: Buffer;
}

function decode(encoded: string): StoredHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,9}$/.test(part) ? Number(part) : Number.NaN));
  if (N === undefined || r === undefined || p === undefined) return undefined;
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const hash = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < SALT_LENGTH || hash.length < KEY_LENGTH) return undefined;
  return { parameters: { N, r, p }, salt, hash };
}

function derive(secret: string, salt: Buffer, length: number, { N, r, p }: ScryptParameters): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses anything over 32 MiB unless told otherwise.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
