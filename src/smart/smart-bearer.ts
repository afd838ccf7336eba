import { decodeJwt, jwtVerify } from 'jose';
import type { BearerAuthenticator } from '../auth/tokens/bearer-authenticator.js';
import type { VerificationKeySource } from '../auth/tokens/access-token.js';
import { SIGNING_ALGORITHM } from '../auth/tokens/signing-keys.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { callerForUser } from '../users/user-store.js';
import { ODS_CLAIM, userIdOf } from './smart-provider.js';

export interface SmartBearerOptions {
  db: Queryable;
  keys: VerificationKeySource;
  /** The SMART authorization server's issuer, and the FHIR base its tokens are for. */
  issuer: string;
  audience: string;
}

/**
 * Lets the platform's bearer authenticator accept SMART access tokens too: a token issued by
 * the SMART authorization server stands for the signed-in user acting for their organisation
 * (read afresh, so a user disabled since is refused), with the token's scopes, and — for an EHR
 * launch from the platform — the launch patient as launch context. Every other token goes to
 * the platform's own authenticator unchanged.
 */
export function smartAwareBearer(platform: BearerAuthenticator, options: SmartBearerOptions): BearerAuthenticator {
  return async (request) => {
    const token = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined || issuerOf(token) !== options.issuer) return platform(request);
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, (header) => options.keys.verificationKey(header), {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [SIGNING_ALGORITHM],
        requiredClaims: ['exp', 'sub', 'scope'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new AppError('unauthenticated', 'The SMART access token is not valid (expired, or not signed by this server).', {
        cause: error,
        headers: { 'www-authenticate': 'Bearer realm="ucp", error="invalid_token"' },
      });
    }
    const ods = claims[ODS_CLAIM];
    if (typeof ods !== 'string' || typeof claims['sub'] !== 'string')
      throw new AppError('unauthenticated', 'The SMART access token names no user and organisation.');
    const patient = typeof claims['patient'] === 'string' && claims['launch_kind'] === 'ehr' ? claims['patient'] : undefined;
    const caller = await callerForUser(options.db, { id: userIdOf(claims['sub']) }, ods, {
      clientAddress: request.ip,
      launchContextNhsNumber: patient,
    });
    return { ...caller, scopes: String(claims['scope']).split(' ').filter(Boolean) };
  };
}

function issuerOf(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}
