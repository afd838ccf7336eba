import fastifyCookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type LightMyRequestResponse } from 'fastify';
import { generateKeyPair } from 'jose';
import { Type } from 'typebox';
import type { Caller } from '../../../src/access/caller.js';
import { createSessionAuthenticator } from '../../../src/auth/sessions/session-authenticator.js';
import { sessionRoutes } from '../../../src/auth/sessions/session-routes.js';
import { SessionService } from '../../../src/auth/sessions/session-service.js';
import { sessionSettings, type SessionOptions, type SessionSettings } from '../../../src/auth/sessions/session-settings.js';
import { startSession } from '../../../src/auth/sessions/start-session.js';
import { accessTokenSettings, issueAccessToken } from '../../../src/auth/tokens/access-token.js';
import { createBearerAuthenticator } from '../../../src/auth/tokens/bearer-authenticator.js';
import type { Database } from '../../../src/db/database.js';
import { findOrganisation, upsertOrganisation, type Organisation } from '../../../src/organisations/organisation-store.js';
import { problemJsonErrorHandler, problemJsonNotFoundHandler } from '../../../src/http/problem-json-handlers.js';
import { ProblemSchema } from '../../../src/http/schemas.js';
import { addMembership, createUser, type User } from '../../../src/users/user-store.js';
import { silentLogger } from '../../support/test-database.js';

export const HTTPS_URL = 'https://ucp.test.example';
export const HTTP_URL = 'http://localhost:8080';

export const ambulance: Organisation = {
  odsCode: 'RRU',
  name: 'London Ambulance Service',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
export const practice: Organisation = {
  odsCode: 'F84001',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private current: Date = new Date('2030-03-04T09:00:00Z')) {}
  now = (): Date => new Date(this.current.getTime());
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export async function seedOrganisations(db: Database): Promise<void> {
  await upsertOrganisation(db, ambulance);
  await upsertOrganisation(db, practice);
}

let serial = 0;
/** A user who is a clinician at the ambulance service (and a viewer at the practice). */
export async function createClinician(db: Database, name = 'Dr Ada Clinician'): Promise<User> {
  serial += 1;
  const user = await createUser(db, { displayName: name, email: `clinician${serial}.${Date.now()}@nhs.net` });
  await addMembership(db, user.id, ambulance.odsCode, ['clinician']);
  await addMembership(db, user.id, practice.odsCode, ['viewer']);
  return user;
}

/**
 * A small app set up like the real one (validation options, problem+json errors) with the cookie
 * plugin, the session routes, a test-only sign-in route calling `startSession`, and protected
 * routes that accept a session or else a bearer token, reporting the Caller they were given.
 */
export async function createSessionTestApp(db: Database, options: Omit<SessionOptions, 'publicUrl'> & { publicUrl?: string }) {
  const settings: SessionSettings = sessionSettings({ publicUrl: HTTPS_URL, ...options });
  const authenticateSession = createSessionAuthenticator(db, settings);

  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const tokenSettings = accessTokenSettings(HTTPS_URL);
  const authenticateBearer = createBearerAuthenticator({
    keys: { verificationKey: async () => publicKey },
    settings: tokenSettings,
    resolveOrganisation: (odsCode) => findOrganisation(db, odsCode),
    // Sessions are under test here; the client check has its own tests (test/auth/oauth2-token-endpoint.test.ts).
    isClientActive: async () => true,
  });
  const authenticate = async (request: Parameters<typeof authenticateSession>[0]): Promise<Caller> =>
    (await authenticateSession(request)) ?? authenticateBearer(request);

  const app = Fastify({
    loggerInstance: silentLogger as FastifyBaseLogger,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(problemJsonErrorHandler);
  app.setNotFoundHandler(problemJsonNotFoundHandler);
  app.addSchema(ProblemSchema);
  await app.register(fastifyCookie);
  await app.register(sessionRoutes, { sessions: new SessionService(db, settings) });

  app.post(
    '/test/sign-in',
    {
      schema: {
        body: Type.Object({ userId: Type.String(), odsCode: Type.String(), launchContextNhsNumber: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const { userId, odsCode, launchContextNhsNumber } = request.body;
      const started = await startSession(reply, db, userId, odsCode, { settings, launchContextNhsNumber });
      return { sessionId: started.session.id, csrfToken: started.csrfToken, callerSessionId: started.caller.sessionId };
    },
  );
  const report = (caller: Caller) => ({
    kind: caller.kind,
    id: caller.id,
    odsCode: caller.organisation?.odsCode,
    sessionId: caller.sessionId,
    roles: caller.roles,
  });
  app.get('/test/protected', async (request) => report(await authenticate(request)));
  app.post('/test/protected', async (request) => report(await authenticate(request)));
  app.delete('/test/protected', async (request) => report(await authenticate(request)));
  await app.ready();

  const bearerToken = async (): Promise<string> =>
    (
      await issueAccessToken({ current: async () => ({ kid: 'test', privateKey }) }, tokenSettings, {
        clientId: 'integration-test',
        scopes: [],
        roles: ['clinician'],
        organisationOdsCode: ambulance.odsCode,
      })
    ).accessToken;

  return { app, settings, bearerToken };
}

/** The value of a Set-Cookie response for `name`, with its attributes, or undefined. */
export function setCookieHeader(response: LightMyRequestResponse, name: string): string | undefined {
  const header = response.headers['set-cookie'];
  const all = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return all.find((cookie) => cookie.startsWith(`${name}=`));
}
