import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../access/caller.js';
import { AppError } from '../../errors/app-error.js';
import { verifyAccessToken, type AccessTokenSettings, type OrganisationResolver, type VerificationKeySource } from './access-token.js';

/** Turns a request into the Caller its bearer token stands for, or throws a 401 AppError. */
export type BearerAuthenticator = (request: FastifyRequest) => Promise<Caller>;

export interface BearerAuthenticatorOptions {
  keys: VerificationKeySource;
  settings: AccessTokenSettings;
  resolveOrganisation: OrganisationResolver;
  /**
   * Whether the client a token names is registered and enabled now. A signature only proves the
   * token was minted with our key; a client that was disabled (or never existed: a hand-made
   * token) gets no access, even with a token that has not expired yet.
   */
  isClientActive: (clientId: string) => Promise<boolean>;
}

const REALM = 'ucp';

/** RFC 6750 §2.1: `Bearer` and a token68, the scheme name in any case. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Reads `Authorization: Bearer …` and verifies the token. Every refusal is `unauthenticated`
 * (401) with a `WWW-Authenticate` challenge (RFC 6750 §3): without error details when no
 * credentials were sent at all, `error="invalid_token"` and the reason otherwise.
 */
export function createBearerAuthenticator(options: BearerAuthenticatorOptions): BearerAuthenticator {
  return async (request) => {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw new AppError(
        'unauthenticated',
        'This endpoint needs an access token: send Authorization: Bearer <token>, obtained from POST /oauth2/token.',
        { headers: { 'www-authenticate': `Bearer realm="${REALM}"` } },
      );
    }
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) {
      throw invalidToken(
        new AppError(
          'unauthenticated',
          'The Authorization header is not "Bearer" followed by a token; send Authorization: Bearer <token>.',
        ),
      );
    }
    try {
      const caller = await verifyAccessToken(options.keys, options.settings, match[1], {
        resolveOrganisation: options.resolveOrganisation,
        clientAddress: request.ip,
      });
      if (!(await options.isClientActive(caller.id))) {
        throw new AppError('unauthenticated', `The access token names client ${caller.id}, which is unknown or disabled.`);
      }
      return caller;
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthenticated') throw invalidToken(error);
      throw error;
    }
  };
}

function invalidToken(error: AppError): AppError {
  const challenge = `Bearer realm="${REALM}", error="invalid_token", error_description="${quotable(error.detail)}"`;
  return new AppError('unauthenticated', error.detail, {
    headers: { ...error.headers, 'www-authenticate': challenge },
    cause: error.cause ?? error,
  });
}

/** RFC 6750 §3: error_description is printable ASCII without '"' and '\'. */
function quotable(text: string): string {
  return text
    .replaceAll('"', "'")
    .replaceAll('\\', '/')
    .replace(/[^\x20-\x7E]/g, '?');
}
