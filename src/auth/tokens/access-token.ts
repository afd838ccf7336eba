import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { clientCaller, type Caller, type CallerOrganisation } from '../../access/caller.js';
import type { Role } from '../../access/roles.js';
import { isClientRole } from './client-roles.js';
import { AppError } from '../../errors/app-error.js';
import { isScope } from './scopes.js';
import { SIGNING_ALGORITHM, type CurrentSigningKey } from './signing-keys.js';

export interface AccessTokenSettings {
  /** `iss` of issued tokens and the only issuer accepted: the server's public URL. */
  issuer: string;
  /** `aud` of issued tokens and the only audience accepted: the server's public URL. */
  audience: string;
  lifetimeSeconds: number;
  /** How far apart the clocks of the issuing and the verifying server may be. */
  clockToleranceSeconds: number;
}

export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 300;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** RFC 9068 media type of JWT access tokens, in the `typ` header, so no other JWT passes for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Longer than any token this server issues; a longer string is refused before parsing. */
const MAX_TOKEN_LENGTH = 8_192;

export function accessTokenSettings(
  publicUrl: string,
  options: { lifetimeSeconds?: number; clockToleranceSeconds?: number } = {},
): AccessTokenSettings {
  return {
    issuer: publicUrl,
    audience: publicUrl,
    lifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS,
    clockToleranceSeconds: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };
}

/** What a token grants: decided by the token endpoint from the client and the scopes it asked for. */
export interface AccessTokenGrant {
  clientId: string;
  scopes: readonly string[];
  roles: readonly Role[];
  organisationOdsCode: string | undefined;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
  expiresAt: Date;
  /** The granted scopes, space-separated, as the token and the token response carry them. */
  scope: string;
  jti: string;
}

export interface SigningKeySource {
  current(): Promise<CurrentSigningKey>;
}

export interface VerificationKeySource {
  verificationKey(header: { alg?: string; kid?: string }): Promise<CryptoKey>;
}

/** Finds the organisation an ODS code names; undefined when the platform does not know it. */
export type OrganisationResolver = (odsCode: string) => Promise<CallerOrganisation | undefined>;

export interface VerificationContext {
  resolveOrganisation: OrganisationResolver;
  /** The address the request came from, recorded on the Caller. */
  clientAddress?: string;
  /** Defaults to the present; tests move it. */
  now?: Date;
}

interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
  roles: string[];
  org?: string;
}

/** Signs an access token for `grant` with the installation's current key. */
export async function issueAccessToken(
  keys: SigningKeySource,
  settings: AccessTokenSettings,
  grant: AccessTokenGrant,
  now: Date = new Date(),
): Promise<IssuedAccessToken> {
  const key = await keys.current();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + settings.lifetimeSeconds;
  const jti = randomUUID();
  const scope = grant.scopes.join(' ');
  const claims: AccessTokenClaims = {
    client_id: grant.clientId,
    scope,
    roles: [...grant.roles],
    ...(grant.organisationOdsCode !== undefined ? { org: grant.organisationOdsCode } : {}),
  };
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(grant.clientId)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { accessToken, expiresIn: settings.lifetimeSeconds, expiresAt: new Date(expiresAt * 1000), scope, jti };
}

/**
 * The Caller an access token stands for. Anything wrong with the token is an `unauthenticated`
 * AppError whose detail says what; a fault of the server itself (database unreachable) is
 * thrown as it is, so it is not mistaken for a bad token.
 */
export async function verifyAccessToken(
  keys: VerificationKeySource,
  settings: AccessTokenSettings,
  token: string,
  context: VerificationContext,
): Promise<Caller> {
  if (token.length > MAX_TOKEN_LENGTH) throw refused("is too long to be one of this server's tokens");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header) => keys.verificationKey(header), {
      algorithms: [SIGNING_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      typ: ACCESS_TOKEN_TYPE,
      clockTolerance: settings.clockToleranceSeconds,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      ...(context.now ? { currentDate: context.now } : {}),
    }));
  } catch (error) {
    const reason = describeFailure(error, token);
    if (reason === undefined) throw error;
    throw refused(reason, error);
  }
  // A token signed with our key but minted to live for years (a leaked key, a hand-made token, a
  // misconfigured issuer) is refused: no token of ours lives longer than the configured lifetime.
  const lifetime = Number(payload.exp) - Number(payload.iat);
  if (!(lifetime > 0 && lifetime <= settings.lifetimeSeconds)) {
    throw refused(`claims a lifetime of ${lifetime} seconds; this server's tokens live at most ${settings.lifetimeSeconds}`);
  }
  const claims = readClaims(payload);
  const organisation = claims.org === undefined ? undefined : await context.resolveOrganisation(claims.org);
  if (claims.org !== undefined && organisation === undefined) {
    throw refused(`names organisation ${claims.org}, which this platform does not know`);
  }
  return clientCaller({
    clientId: claims.clientId,
    organisation,
    roles: claims.roles,
    scopes: claims.scopes,
    clientAddress: context.clientAddress,
  });
}

interface ReadClaims {
  clientId: string;
  scopes: string[];
  roles: Role[];
  org: string | undefined;
}

/**
 * The signature proves this server wrote the claims, but a token from an older or newer release
 * may still hold a role or scope this one no longer knows: those are dropped, never trusted.
 */
function readClaims(payload: JWTPayload): ReadClaims {
  const { sub, client_id: clientId, scope, roles, org } = payload;
  if (typeof sub !== 'string' || sub === '') throw refused('has no subject ("sub")');
  if (clientId !== undefined && clientId !== sub) throw refused('names two different clients ("sub" and "client_id")');
  if (typeof scope !== 'string') throw refused('has no "scope" claim');
  if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === 'string')) {
    throw refused('has no valid "roles" claim');
  }
  if (org !== undefined && typeof org !== 'string') throw refused('has an "org" claim that is not an ODS code');
  return {
    clientId: sub,
    scopes: scope.split(' ').filter(isScope),
    roles: roles.filter(isClientRole),
    org,
  };
}

/** Machine clients act for care when they hold a care role; otherwise they audit or administer. */
function refused(reason: string, cause?: unknown): AppError {
  return new AppError('unauthenticated', `The access token ${reason}.`, { cause });
}

/** Why jose refused the token, in words; undefined when the error is not about the token. */
function describeFailure(error: unknown, token: string): string | undefined {
  if (error instanceof errors.JWTExpired) return 'has expired; request a new one from /oauth2/token';
  if (error instanceof errors.JWTClaimValidationFailed) return describeClaimFailure(error);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `is signed with algorithm ${JSON.stringify(algorithmOf(token))}; only ${SIGNING_ALGORITHM} is accepted`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'has a signature that does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'is signed with a key this server does not publish (unknown or retired "kid")';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return 'is not a well-formed signed JWT';
  }
  return undefined;
}

function describeClaimFailure(error: InstanceType<typeof errors.JWTClaimValidationFailed>): string {
  if (error.reason === 'missing') return `lacks the "${error.claim}" claim`;
  switch (error.claim) {
    case 'iss':
      return 'was issued by another server ("iss" is not this server\'s URL)';
    case 'aud':
      return 'is meant for another audience ("aud" is not this server\'s URL)';
    case 'typ':
      return `is not an access token (its "typ" header must be ${ACCESS_TOKEN_TYPE})`;
    case 'nbf':
      return 'is not valid yet ("nbf" is in the future)';
    case 'iat':
      return 'claims to be issued in the future ("iat")';
    default:
      return `has an invalid "${error.claim}" claim`;
  }
}

function algorithmOf(token: string): unknown {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}
