import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { issueAccessToken, type AccessTokenGrant } from '../../src/auth/tokens/access-token.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import type { Queryable } from '../../src/db/database.js';
import type { App } from '../../src/server/app.js';
import type { AppServices } from '../../src/server/app-services.js';

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/**
 * Registers a machine client with this id (no usable secret), as the token endpoint would have:
 * the server refuses tokens whose client is unknown or disabled.
 */
export async function registerTestClient(db: Queryable, clientId: string): Promise<void> {
  await db.query(
    `INSERT INTO oauth_client (client_id, name, secret_hash) VALUES ($1, $2, 'test-client-without-secret') ON CONFLICT (client_id) DO NOTHING`,
    [clientId, `Test client ${clientId}`],
  );
}

/** An access token for `grant`, its client registered first. */
export async function issueTestToken(services: AppServices, db: Queryable, grant: AccessTokenGrant): Promise<string> {
  await registerTestClient(db, grant.clientId);
  return (await issueAccessToken(services.tokens.keys, services.tokens.settings, grant)).accessToken;
}

/**
 * An access token for an integration client that administers records (role platform-admin):
 * what the openEHR tests and the conformance run act as, since they exercise the repository,
 * not who may see what (test/access covers that).
 */
export function integrationToken(services: AppServices, db: Queryable): Promise<string> {
  return issueTestToken(services, db, {
    clientId: 'test-integration',
    scopes: SCOPES,
    roles: ['platform-admin'],
    organisationOdsCode: undefined,
  });
}

/** `app.inject` with the given bearer token, unless the request brings its own Authorization. */
export function authorizedInject(app: App, token: string): Inject {
  return (options) => app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}
