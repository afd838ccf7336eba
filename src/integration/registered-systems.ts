import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/**
 * Record systems that call the platform with JWTs they sign themselves (CDS Hooks 2.0 §"Trusting
 * CDS Clients", the signed contextual launch): registered by issuer with the URL of their JWKS,
 * which is fetched and cached. A token is accepted only from a registered, enabled system, for
 * the purpose it is registered for, with the expected audience, unexpired, short-lived, and with
 * a JWT id never seen before.
 */
export type SystemPurpose = 'cds-hooks' | 'contextual-launch';

export interface RegisteredSystem {
  issuer: string;
  name: string;
  jwksUrl: string;
  odsCode: string | undefined;
  purposes: readonly SystemPurpose[];
  /**
   * Origins (scheme://host[:port]) whose pages may show the platform's forms in a frame after an
   * embedded launch by this system (docs/interoperability.md); none: it may not embed.
   */
  frameOrigins?: readonly string[] | undefined;
}

/** A frame origin as a CSP source: scheme, host and optional port only, no path, wildcard or quote. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;

export function isFrameOrigin(origin: string): boolean {
  return ORIGIN.test(origin);
}

export async function registerSystem(db: Queryable, system: RegisteredSystem): Promise<void> {
  const frameOrigins = system.frameOrigins ?? [];
  const bad = frameOrigins.filter((origin) => !isFrameOrigin(origin));
  if (bad.length > 0) {
    throw new AppError('bad-request', `Frame origins are scheme://host[:port] in lower case, nothing else; not ${bad.join(', ')}.`);
  }
  await db.query(
    `INSERT INTO registered_system (issuer, name, jwks_url, ods_code, purposes, frame_origins) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (issuer) DO UPDATE SET name = excluded.name, jwks_url = excluded.jwks_url, ods_code = excluded.ods_code,
       purposes = excluded.purposes, frame_origins = excluded.frame_origins, disabled_at = NULL`,
    [system.issuer, system.name, system.jwksUrl, system.odsCode ?? null, system.purposes, frameOrigins],
  );
}

export async function findSystem(db: Queryable, issuer: string): Promise<RegisteredSystem | undefined> {
  const { rows } = await db.query<{
    issuer: string;
    name: string;
    jwks_url: string;
    ods_code: string | null;
    purposes: SystemPurpose[];
    frame_origins: string[];
  }>('SELECT issuer, name, jwks_url, ods_code, purposes, frame_origins FROM registered_system WHERE issuer = $1 AND disabled_at IS NULL', [
    issuer,
  ]);
  const row = rows[0];
  return (
    row && {
      issuer: row.issuer,
      name: row.name,
      jwksUrl: row.jwks_url,
      odsCode: row.ods_code ?? undefined,
      purposes: row.purposes,
      frameOrigins: row.frame_origins,
    }
  );
}

/** Allowed signature algorithms: those CDS Hooks names and SMART's asymmetric ones; never HS* or none. */
const ALGORITHMS = ['RS256', 'RS384', 'ES256', 'ES384', 'PS256', 'PS384'];
const MAX_LIFETIME_SECONDS = 5 * 60;

export interface VerifiedSystemToken {
  system: RegisteredSystem;
  claims: JWTPayload;
}

export class SystemTokenVerifier {
  readonly #keySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly db: Database,
    private readonly options: { clockToleranceSeconds?: number } = {},
  ) {}

  /** The registered system that signed `token` for `audience`, or an `unauthenticated` AppError saying why not. */
  async verify(token: string, purpose: SystemPurpose, audience: string): Promise<VerifiedSystemToken> {
    const issuer = unverifiedIssuer(token);
    const system = issuer === undefined ? undefined : await findSystem(this.db, issuer);
    if (!system || !system.purposes.includes(purpose))
      throw refused(`comes from ${issuer ? `"${issuer}", ` : ''}no system registered for ${purpose}`);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.#keySet(system.jwksUrl), {
        issuer: system.issuer,
        audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'iat', 'jti'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        maxTokenAge: MAX_LIFETIME_SECONDS,
      }));
    } catch (error) {
      throw refused(describe(error), error);
    }
    if ((claims.exp ?? 0) - (claims.iat ?? 0) > MAX_LIFETIME_SECONDS) throw refused(`lives longer than ${MAX_LIFETIME_SECONDS} seconds`);
    await this.#refuseReplay(system.issuer, String(claims.jti), new Date((claims.exp ?? 0) * 1000 + 60_000));
    return { system, claims };
  }

  #keySet(url: string): JWTVerifyGetKey {
    let keys = this.#keySets.get(url);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 5_000 });
      this.#keySets.set(url, keys);
    }
    return keys;
  }

  async #refuseReplay(issuer: string, jti: string, keepUntil: Date): Promise<void> {
    await this.db.query('DELETE FROM used_jwt WHERE expires_at < now()');
    const { rowCount } = await this.db.query(
      'INSERT INTO used_jwt (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (issuer, jti) DO NOTHING',
      [issuer, jti.slice(0, 256), keepUntil],
    );
    if (rowCount === 0) throw refused('was used before (its "jti" has been seen): sign a new one for each request');
  }
}

function unverifiedIssuer(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' && iss.length <= 512 ? iss : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `has an invalid "${error.claim}" claim (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `is signed with an algorithm not accepted (use one of ${ALGORITHMS.join(', ')})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'has a signature that does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'is signed with a key the system does not publish';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError) return `could not be verified (${error.message})`;
  return 'could not be verified';
}

function refused(reason: string, cause?: unknown): AppError {
  return new AppError('unauthenticated', `The JWT ${reason}.`, { cause, headers: { 'www-authenticate': 'Bearer realm="ucp"' } });
}
