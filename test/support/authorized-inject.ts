import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { issueAccessToken } from '../../src/auth/tokens/access-token.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import type { App } from '../../src/server/app.js';
import type { AppServices } from '../../src/server/app-services.js';

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/**
 * An access token for an integration client that administers records (role platform-admin):
 * what the openEHR tests and the conformance run act as, since they exercise the repository,
 * not who may see what (test/access covers that).
 */
export async function integrationToken(services: AppServices): Promise<string> {
  const issued = await issueAccessToken(services.tokens.keys, services.tokens.settings, {
    clientId: 'test-integration',
    scopes: SCOPES,
    roles: ['platform-admin'],
    organisationOdsCode: undefined,
  });
  return issued.accessToken;
}

/** `app.inject` with the given bearer token, unless the request brings its own Authorization. */
export function authorizedInject(app: App, token: string): Inject {
  return (options) => app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}
