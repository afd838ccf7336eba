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
import { secretContext, type SecretBox } from '../../secrets/secret-box.js';
import type { Caller } from '../../access/caller.js';
import { appendAudit } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';

/** The one algorithm tokens are signed with, and the only one verification accepts. */
export const SIGNING_ALGORITHM = 'ES256';

/** Any 64-bit number unique to this purpose; every server takes the same lock to create a key. */
const SIGNING_KEY_LOCK = 7_340_112_700;

/**
 * How long a new key is published before it signs: every verifier — this platform's servers
 * (cache of 5 minutes) and record systems caching `GET /oauth2/jwks` (max-age 5 minutes) — has
 * seen it before the first token it signs arrives.
 */
export const PUBLISH_LEAD_MS = 15 * 60_000;

/** Margin beyond the longest token lifetime before a replaced key stops verifying: clock skew and cache age. */
const RETIREMENT_MARGIN_MS = 5 * 60_000;

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
  /** When it begins to sign; published (and verifying) from its creation. */
  activatesAt: Date;
}

/** The key that signs new tokens now. */
export interface CurrentSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** What an administrator sees of a key: never its private half. */
export interface SigningKeyStatus {
  kid: string;
  createdAt: string;
  activatesAt: string;
  /** When it stops verifying (set when a successor was introduced); absent while it has none. */
  retiresAt: string | undefined;
  state: 'pending' | 'signing' | 'verifying-only' | 'retired';
}

type KeyRow = {
  kid: string;
  public_jwk: unknown;
  private_key_pem: string;
  created_at: Date | string;
  activates_at: Date | string;
};

const KEY_COLUMNS = 'kid, public_jwk, private_key_pem, created_at, activates_at';

/**
 * The newest key that signs at `now`, created (signing at once) if there is none. Servers
 * starting together serialise on an advisory lock held for the transaction, so exactly one
 * creates the key and the rest find it. The private key is stored sealed by `box`.
 */
export function getOrCreateSigningKey(db: Database, box: SecretBox, now: Date = new Date()): Promise<StoredSigningKey> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SIGNING_KEY_LOCK]);
    const existing = (await usableKeys(tx, box, now)).find((key) => key.activatesAt <= now);
    if (existing) return existing;
    const created = await generateSigningKey(now);
    await insertKey(tx, box, created);
    return created;
  });
}

export interface RotationSettings {
  /** The longest lifetime of a token signed with these keys: a replaced key verifies that long after it stopped signing. */
  maxTokenLifetimeSeconds: number;
}

export interface Rotation {
  introduced: SigningKeyStatus;
  /** Keys that stop signing when the new one activates, with the time they stop verifying. */
  replaced: SigningKeyStatus[];
}

/**
 * Introduces a new key with overlap: published now, signing from `now + PUBLISH_LEAD_MS`; every
 * key it replaces keeps verifying until tokens it could have signed have expired, then retires
 * by itself (`retired_at` in the future). Only one rotation runs at a time: while a new key waits
 * to activate, another rotation is a conflict (`undefined`).
 */
export function rotateSigningKey(
  db: Database,
  box: SecretBox,
  settings: RotationSettings,
  by: { caller: Caller; reason: string },
  now: Date = new Date(),
): Promise<Rotation | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SIGNING_KEY_LOCK]);
    const usable = await usableKeys(tx, box, now);
    if (usable.some((key) => key.activatesAt > now)) return undefined;
    const created = await generateSigningKey(new Date(now.getTime() + PUBLISH_LEAD_MS));
    created.createdAt = now;
    await insertKey(tx, box, created);
    const retiresAt = new Date(created.activatesAt.getTime() + settings.maxTokenLifetimeSeconds * 1000 + RETIREMENT_MARGIN_MS);
    const { rows } = await tx.query<{ kid: string }>(
      `UPDATE signing_key SET retired_at = $2 WHERE kid <> $1 AND algorithm = $3 AND (retired_at IS NULL OR retired_at > $2) RETURNING kid`,
      [created.kid, retiresAt, SIGNING_ALGORITHM],
    );
    const statuses = await listSigningKeys(tx, now);
    const replacedKids = new Set(rows.map((row) => row.kid));
    const introduced = statuses.find((status) => status.kid === created.kid);
    if (!introduced) throw new Error('the new signing key was not stored');
    const rotation = { introduced, replaced: statuses.filter((status) => replacedKids.has(status.kid)) };
    await appendAudit(
      tx,
      auditRecordFor(by.caller, {
        action: 'create',
        resource: { type: 'signing-key', id: created.kid },
        detail: {
          reason: by.reason,
          activatesAt: introduced.activatesAt,
          replaced: rotation.replaced.map((key) => ({ kid: key.kid, retiresAt: key.retiresAt ?? null })),
        },
      }),
    );
    return rotation;
  });
}

/** Every key with its state at `now`, newest first, for administrators. */
export async function listSigningKeys(db: Queryable, now: Date = new Date()): Promise<SigningKeyStatus[]> {
  const { rows } = await db.query<{
    kid: string;
    created_at: Date | string;
    activates_at: Date | string;
    retired_at: Date | string | null;
  }>(`SELECT kid, created_at, activates_at, retired_at FROM signing_key WHERE algorithm = $1 ORDER BY activates_at DESC, kid`, [
    SIGNING_ALGORITHM,
  ]);
  const signing = rows.find((row) => new Date(row.activates_at) <= now && (row.retired_at === null || new Date(row.retired_at) > now));
  return rows.map((row) => {
    const retiresAt = row.retired_at === null ? undefined : new Date(row.retired_at);
    const state: SigningKeyStatus['state'] =
      retiresAt && retiresAt <= now
        ? 'retired'
        : new Date(row.activates_at) > now
          ? 'pending'
          : row === signing
            ? 'signing'
            : 'verifying-only';
    return {
      kid: row.kid,
      createdAt: new Date(row.created_at).toISOString(),
      activatesAt: new Date(row.activates_at).toISOString(),
      retiresAt: retiresAt?.toISOString(),
      state,
    };
  });
}

/** Public halves of every key that is not retired at `now` (pending ones included): what verifiers should trust. */
export async function readPublishedKeys(db: Queryable, now: Date = new Date()): Promise<PublicSigningJwk[]> {
  const { rows } = await db.query<{ public_jwk: unknown }>(
    `SELECT public_jwk FROM signing_key WHERE (retired_at IS NULL OR retired_at > $2) AND algorithm = $1 ORDER BY activates_at DESC, kid`,
    [SIGNING_ALGORITHM, now],
  );
  return rows.map((row) => toPublicJwk(row.public_jwk));
}

/** A fresh P-256 key pair, its id the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(activatesAt: Date = new Date()): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  const publicJwk = toPublicJwk({ ...exported, kid, alg: SIGNING_ALGORITHM, use: 'sig' });
  return { kid, publicJwk, privateKeyPem: await exportPKCS8(privateKey), createdAt: new Date(), activatesAt };
}

async function insertKey(tx: Queryable, box: SecretBox, key: StoredSigningKey): Promise<void> {
  await tx.query(
    `INSERT INTO signing_key (kid, algorithm, public_jwk, private_key_pem, created_at, activates_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      key.kid,
      SIGNING_ALGORITHM,
      JSON.stringify(key.publicJwk),
      box.seal(key.privateKeyPem, secretContext.signingKey(key.kid)),
      key.createdAt,
      key.activatesAt,
    ],
  );
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

interface Signer {
  kid: string;
  activatesAt: number;
  privateKey: Promise<CryptoKey>;
}

/**
 * The signing keys of one server, over the shared `signing_key` table: the key to sign with, the
 * JWKS to publish, and the verification key for a token's `kid`. Reads are cached; a key created
 * or retired by another server is seen within the refresh interval. Which cached key signs is
 * decided at each call, so a rotated key takes over at its activation time on every server.
 */
export class SigningKeys {
  readonly #db: Database;
  readonly #box: SecretBox;
  readonly #refreshIntervalMs: number;
  readonly #unknownKeyRefreshIntervalMs: number;
  readonly #now: () => number;
  #signers: Cached<Signer[]> | undefined;
  #published: Cached<PublishedKeys> | undefined;

  constructor(db: Database, box: SecretBox, options: SigningKeysOptions = {}) {
    this.#db = db;
    this.#box = box;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.#unknownKeyRefreshIntervalMs = options.unknownKeyRefreshIntervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The key to sign new tokens with, created on first use if the installation has none. */
  async current(): Promise<CurrentSigningKey> {
    const cached = this.#signers && !this.#isStale(this.#signers, this.#refreshIntervalMs) ? this.#signers.value : this.#loadSigners();
    let signer = pickSigner(await cached, this.#now());
    if (!signer) {
      await getOrCreateSigningKey(this.#db, this.#box, new Date(this.#now()));
      signer = pickSigner(await this.#loadSigners(), this.#now());
      if (!signer) throw new Error('no signing key is usable after creating one');
      await this.#expectPublished(signer.kid);
    }
    return { kid: signer.kid, privateKey: await signer.privateKey };
  }

  /** Forgets what was read, so a rotation made by this server is seen at once. */
  refresh(): void {
    this.#signers = undefined;
    this.#published = undefined;
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

  #loadSigners(): Promise<Signer[]> {
    const value = usableKeys(this.#db, this.#box, new Date(this.#now())).then((keys) =>
      keys.map((key) => {
        const privateKey = importPKCS8(key.privateKeyPem, SIGNING_ALGORITHM, { extractable: true });
        privateKey.catch(() => undefined);
        return { kid: key.kid, activatesAt: key.activatesAt.getTime(), privateKey };
      }),
    );
    const entry = { value, loadedAt: this.#now() };
    this.#signers = entry;
    // A failed load is forgotten at once, so the next call tries again instead of failing for minutes.
    value.catch(() => {
      if (this.#signers === entry) this.#signers = undefined;
    });
    return value;
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
      const value = readPublishedKeys(this.#db, new Date(this.#now())).then((jwks) => {
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

/** The newest key that has begun to sign (keys are ordered newest activation first). */
function pickSigner(signers: Signer[], now: number): Signer | undefined {
  return signers.find((signer) => signer.activatesAt <= now);
}

async function importPublicKey(jwk: PublicSigningJwk): Promise<CryptoKey> {
  const key = await importJWK(jwk, SIGNING_ALGORITHM);
  if (key instanceof Uint8Array) throw new errors.JWKInvalid(`key ${jwk.kid} is not an EC public key`);
  return key;
}

/** Keys not retired at `now`, pending ones included, newest activation first, private halves opened. */
async function usableKeys(db: Queryable, box: SecretBox, now: Date): Promise<StoredSigningKey[]> {
  const { rows } = await db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM signing_key
     WHERE (retired_at IS NULL OR retired_at > $2) AND algorithm = $1 ORDER BY activates_at DESC, kid`,
    [SIGNING_ALGORITHM, now],
  );
  return rows.map((row) => ({
    kid: row.kid,
    publicJwk: toPublicJwk(row.public_jwk),
    privateKeyPem: box.open(row.private_key_pem, secretContext.signingKey(row.kid)),
    createdAt: new Date(row.created_at),
    activatesAt: new Date(row.activates_at),
  }));
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
