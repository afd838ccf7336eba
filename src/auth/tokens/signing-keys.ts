import {
  calculateJwkThumbprint,
  errors,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { Database, Queryable } from '../../db/database.js';

/** The one algorithm tokens are signed with, and the only one verification accepts. */
export const SIGNING_ALGORITHM = 'ES256';

/** Any 64-bit number unique to this purpose; every server takes the same lock to create a key. */
const SIGNING_KEY_LOCK = 7_340_112_700;

export interface PublicSigningJwk extends JWK {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

export interface StoredSigningKey {
  kid: string;
  publicJwk: PublicSigningJwk;
  privateKeyPem: string;
  createdAt: Date;
}

/** The key that signs new tokens now. */
export interface CurrentSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

type KeyRow = {
  kid: string;
  public_jwk: unknown;
  private_key_pem: string;
  created_at: Date | string;
};

/**
 * The newest usable key, created if there is none. Servers starting together serialise on an
 * advisory lock held for the transaction, so exactly one creates the key and the rest find it.
 */
export function getOrCreateSigningKey(db: Database): Promise<StoredSigningKey> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SIGNING_KEY_LOCK]);
    const existing = await newestKey(tx);
    if (existing) return existing;
    const created = await generateSigningKey();
    await tx.query(`INSERT INTO signing_key (kid, algorithm, public_jwk, private_key_pem, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      created.kid,
      SIGNING_ALGORITHM,
      JSON.stringify(created.publicJwk),
      created.privateKeyPem,
      created.createdAt,
    ]);
    return created;
  });
}

/** Public halves of every key that is not retired: what verifiers should trust. */
export async function readPublishedKeys(db: Queryable): Promise<PublicSigningJwk[]> {
  const { rows } = await db.query<{ public_jwk: unknown }>(
    `SELECT public_jwk FROM signing_key WHERE retired_at IS NULL AND algorithm = $1 ORDER BY created_at DESC, kid`,
    [SIGNING_ALGORITHM],
  );
  return rows.map((row) => toPublicJwk(row.public_jwk));
}

/** A fresh P-256 key pair, its id the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  const publicJwk = toPublicJwk({ ...exported, kid, alg: SIGNING_ALGORITHM, use: 'sig' });
  return { kid, publicJwk, privateKeyPem: await exportPKCS8(privateKey), createdAt: new Date() };
}

export interface SigningKeysOptions {
  /** How long the current key and the published set are used before the table is read again. */
  refreshIntervalMs?: number;
  /**
   * A token naming a key not in the cache makes the set be read again, but no more often than
   * this, so that tokens with made-up key ids cannot turn into a query each.
   */
  unknownKeyRefreshIntervalMs?: number;
  now?: () => number;
}

interface Cached<T> {
  value: Promise<T>;
  loadedAt: number;
}

interface PublishedKeys {
  jwks: PublicSigningJwk[];
  /** Imports start when the set is read but are awaited only when a token needs them. */
  keys: Map<string, Promise<CryptoKey>>;
}

/**
 * The signing keys of one server, over the shared `signing_key` table: the key to sign with, the
 * JWKS to publish, and the verification key for a token's `kid`. Reads are cached; a key created
 * or retired by another server is seen within the refresh interval.
 */
export class SigningKeys {
  readonly #db: Database;
  readonly #refreshIntervalMs: number;
  readonly #unknownKeyRefreshIntervalMs: number;
  readonly #now: () => number;
  #current: Cached<CurrentSigningKey> | undefined;
  #published: Cached<PublishedKeys> | undefined;

  constructor(db: Database, options: SigningKeysOptions = {}) {
    this.#db = db;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.#unknownKeyRefreshIntervalMs = options.unknownKeyRefreshIntervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The key to sign new tokens with, created on first use if the installation has none. */
  current(): Promise<CurrentSigningKey> {
    if (!this.#current || this.#isStale(this.#current, this.#refreshIntervalMs)) {
      const value = getOrCreateSigningKey(this.#db).then(async (stored) => {
        await this.#expectPublished(stored.kid);
        return { kid: stored.kid, privateKey: await importPKCS8(stored.privateKeyPem, SIGNING_ALGORITHM) };
      });
      const entry = { value, loadedAt: this.#now() };
      this.#current = entry;
      // A failed load is forgotten at once, so the next call tries again instead of failing for minutes.
      value.catch(() => {
        if (this.#current === entry) this.#current = undefined;
      });
    }
    return this.#current.value;
  }

  /** Every non-retired public key, for `GET /oauth2/jwks`. */
  async jwks(): Promise<JSONWebKeySet & { keys: PublicSigningJwk[] }> {
    const { jwks } = await this.#publishedKeys(false);
    return { keys: jwks.map((jwk) => ({ ...jwk })) };
  }

  /**
   * The public key a token names in its header, for `jwtVerify`. Throws jose's own errors, so the
   * verifier reports an algorithm that is not ES256 or a key it does not know like any other.
   */
  async verificationKey(header: { alg?: string; kid?: string }): Promise<CryptoKey> {
    if (header.alg !== SIGNING_ALGORITHM) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    const kid = header.kid;
    if (kid === undefined) throw new errors.JWKSNoMatchingKey('the token names no key ("kid" is missing)');
    let { keys } = await this.#publishedKeys(false);
    if (!keys.has(kid) && this.#published && this.#isStale(this.#published, this.#unknownKeyRefreshIntervalMs)) {
      ({ keys } = await this.#publishedKeys(true));
    }
    const key = keys.get(kid);
    if (!key) throw new errors.JWKSNoMatchingKey(`no published key has kid "${kid}"`);
    return key;
  }

  /** This server's own new key must verify at once, not after the next refresh. */
  async #expectPublished(kid: string): Promise<void> {
    const published = this.#published;
    if (published && !(await published.value.catch(() => undefined))?.keys.has(kid)) {
      if (this.#published === published) this.#published = undefined;
    }
  }

  #publishedKeys(force: boolean): Promise<PublishedKeys> {
    if (force || !this.#published || this.#isStale(this.#published, this.#refreshIntervalMs)) {
      const value = readPublishedKeys(this.#db).then((jwks) => {
        const keys = new Map(jwks.map((jwk) => [jwk.kid, importPublicKey(jwk)] as const));
        for (const pending of keys.values()) pending.catch(() => undefined);
        return { jwks, keys };
      });
      const entry = { value, loadedAt: this.#now() };
      this.#published = entry;
      value.catch(() => {
        if (this.#published === entry) this.#published = undefined;
      });
    }
    return this.#published.value;
  }

  #isStale(entry: Cached<unknown>, maxAgeMs: number): boolean {
    return this.#now() - entry.loadedAt >= maxAgeMs;
  }
}

async function importPublicKey(jwk: PublicSigningJwk): Promise<CryptoKey> {
  const key = await importJWK(jwk, SIGNING_ALGORITHM);
  if (key instanceof Uint8Array) throw new errors.JWKInvalid(`key ${jwk.kid} is not an EC public key`);
  return key;
}

async function newestKey(db: Queryable): Promise<StoredSigningKey | undefined> {
  const { rows } = await db.query<KeyRow>(
    `SELECT kid, public_jwk, private_key_pem, created_at FROM signing_key
     WHERE retired_at IS NULL AND algorithm = $1 ORDER BY created_at DESC, kid LIMIT 1`,
    [SIGNING_ALGORITHM],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    kid: row.kid,
    publicJwk: toPublicJwk(row.public_jwk),
    privateKeyPem: row.private_key_pem,
    createdAt: new Date(row.created_at),
  };
}

/** Only the public members, whatever else the stored value holds, and refuses anything that is not one. */
function toPublicJwk(value: unknown): PublicSigningJwk {
  const jwk = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (typeof jwk !== 'object' || jwk === null) throw new errors.JWKInvalid('stored signing key is not a JWK');
  const { kty, crv, x, y, kid } = jwk as Record<string, unknown>;
  if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string' || typeof kid !== 'string') {
    throw new errors.JWKInvalid('stored signing key is not a P-256 public JWK');
  }
  return { kty, crv, x, y, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}
