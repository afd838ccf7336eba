import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { issueAccessToken, type AccessTokenGrant } from '../../src/auth/tokens/access-token.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import type { Queryable } from '../../src/db/database.js';
import type { App } from '../../src/server/app.js';
import type { AppServices } from '../../src/server/app-services.js';

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/**
 * Registers a machine client with this id (no usable secret), as the token endpoint would have:
 * the server refuses tokens whose client is unknown or disabled. Its roles, scopes and
 * organisation are registered as the grant gives them (what the token endpoint puts in its
 * tokens), so work decided later on the client as registered (a subscription's delivery) sees
 * the same rights; a client registered before keeps its first registration.
 */
export async function registerTestClient(db: Queryable, clientId: string, grant?: Omit<AccessTokenGrant, 'clientId'>): Promise<void> {
  await db.query(
    `INSERT INTO oauth_client (client_id, name, secret_hash, allowed_scopes, roles, organisation_ods_code)
     VALUES ($1, $2, 'test-client-without-secret', $3, $4, $5) ON CONFLICT (client_id) DO NOTHING`,
    [clientId, `Test client ${clientId}`, grant?.scopes ?? [], grant?.roles ?? [], grant?.organisationOdsCode ?? null],
  );
}

/** An access token for `grant`, its client registered first. */
export async function issueTestToken(services: AppServices, db: Queryable, grant: AccessTokenGrant): Promise<string> {
  await registerTestClient(db, grant.clientId, grant);
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
