import type { Queryable } from '../../db/database.js';
import { issueAccessToken, type AccessTokenSettings, type IssuedAccessToken, type SigningKeySource } from './access-token.js';
import { authenticateClient } from './client-store.js';
import { OAuth2Error } from './oauth2-error.js';
import { parseScopeParameter } from './scopes.js';
import type { ClientCredentials } from './token-request.js';

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 §4.4): authenticates the machine client, then
 * issues an access token with the scopes asked for, within those it may have. Every refusal is an
 * `OAuth2Error` for the token endpoint to answer.
 */
export class ClientCredentialsGrant {
  constructor(
    private readonly db: Queryable,
    private readonly keys: SigningKeySource,
    private readonly settings: AccessTokenSettings,
  ) {}

  /** `grantType` and `scope` as the request gave them. */
  async issue(
    credentials: ClientCredentials,
    request: { grantType: string | undefined; scope: string | undefined },
  ): Promise<{ clientId: string; issued: IssuedAccessToken }> {
    const client = await authenticateClient(this.db, credentials.clientId, credentials.secret);
    if (!client) throw new OAuth2Error('invalid_client', 'Client authentication failed.');

    const { grantType } = request;
    if (grantType === undefined) throw new OAuth2Error('invalid_request', 'grant_type is missing; use client_credentials.');
    if (grantType !== 'client_credentials') {
      throw new OAuth2Error('unsupported_grant_type', `This server supports only grant_type=client_credentials, not ${grantType}.`);
    }

    const issued = await issueAccessToken(this.keys, this.settings, {
      clientId: client.clientId,
      scopes: grantedScopes(request.scope, client.allowedScopes),
      roles: client.roles,
      organisationOdsCode: client.organisationOdsCode,
    });
    return { clientId: client.clientId, issued };
  }
}

/**
 * No `scope` means every scope the client may have (RFC 6749 §3.3 lets the server pick the
 * default); a `scope` asking for more than that is refused rather than quietly cut down.
 */
function grantedScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined) return [...allowed];
  const asked = parseScopeParameter(requested);
  if (asked === undefined) throw new OAuth2Error('invalid_scope', 'scope is not a space-separated list of scope names.');
  if (asked.length === 0) return [...allowed];
  const refused = asked.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) {
    throw new OAuth2Error(
      'invalid_scope',
      `This client may not have ${refused.join(', ')}; it may have ${allowed.length > 0 ? allowed.join(', ') : 'no scopes'}.`,
    );
  }
  return asked;
}
