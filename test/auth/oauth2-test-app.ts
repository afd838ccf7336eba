import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { CallerOrganisation } from '../../src/access/caller.js';
import { accessTokenSettings, type AccessTokenSettings } from '../../src/auth/tokens/access-token.js';
import { ClientCredentialsGrant } from '../../src/auth/tokens/client-credentials-grant.js';
import { activeClientChecker } from '../../src/auth/tokens/client-store.js';
import { createBearerAuthenticator } from '../../src/auth/tokens/bearer-authenticator.js';
import { oauth2Routes } from '../../src/auth/tokens/oauth2-routes.js';
import { SigningKeys } from '../../src/auth/tokens/signing-keys.js';
import { problemJsonErrorHandler, problemJsonNotFoundHandler } from '../../src/http/problem-json-handlers.js';
import { ProblemSchema } from '../../src/http/schemas.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

export const PUBLIC_URL = 'https://ucp.test.example';

export const ORGANISATIONS: ReadonlyMap<string, CallerOrganisation> = new Map([
  [
    'RRU',
    {
      odsCode: 'RRU',
      name: 'London Ambulance Service NHS Trust',
      kind: 'ambulance-service',
      ics: 'London',
      dataSecurityStatus: 'standards-met',
    },
  ],
]);

/**
 * A Fastify app set up like the real one (same validation options, problem+json errors, OpenAPI),
 * with the OAuth 2.0 plugin and one protected route that reports the Caller it was given.
 */
export async function createOAuth2TestApp() {
  const database: TestDatabase = await createTestDatabase();
  const keys = new SigningKeys(database.db, testSecrets);
  const settings: AccessTokenSettings = accessTokenSettings(PUBLIC_URL);
  const authenticate = createBearerAuthenticator({
    keys,
    settings,
    resolveOrganisation: async (odsCode) => ORGANISATIONS.get(odsCode),
    isClientActive: activeClientChecker(database.db, 0),
  });

  const app = Fastify({
    loggerInstance: silentLogger as FastifyBaseLogger,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(problemJsonErrorHandler);
  app.setNotFoundHandler(problemJsonNotFoundHandler);
  app.addSchema(ProblemSchema);
  await app.register(fastifySwagger, { openapi: { openapi: '3.1.0', info: { title: 'test', version: '0' } } });
  await app.register(oauth2Routes, { grant: new ClientCredentialsGrant(database.db, keys, settings), keys });
  app.get('/api/test/whoami', async (request) => {
    const caller = await authenticate(request);
    return { ...caller, permissions: [...caller.permissions].sort() };
  });
  await app.ready();

  return {
    app,
    db: database.db,
    keys,
    settings,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
