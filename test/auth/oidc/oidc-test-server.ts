import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_ORGANISATIONS, DEMO_USERS, type DemoUser } from '../../../src/demo/demo-people.js';
import { devIdpPlugin } from '../../../src/auth/dev-idp/dev-idp-plugin.js';
import { devIdpSetup, type DevIdpSetupOptions } from '../../../src/auth/dev-idp/dev-idp-setup.js';
import { oidcRoutes, type SignInContext } from '../../../src/auth/oidc/oidc-routes.js';
import { sessionRoutes } from '../../../src/auth/sessions/session-routes.js';
import { SessionService } from '../../../src/auth/sessions/session-service.js';
import { OidcSignInService } from '../../../src/auth/oidc/oidc-sign-in-service.js';
import { sessionSettings } from '../../../src/auth/sessions/session-settings.js';
import { startSession } from '../../../src/auth/sessions/start-session.js';
import type { Database } from '../../../src/db/database.js';
import { upsertOrganisation } from '../../../src/organisations/organisation-store.js';
import { problemJsonErrorHandler, problemJsonNotFoundHandler } from '../../../src/http/problem-json-handlers.js';
import { ProblemSchema } from '../../../src/http/schemas.js';
import { createTestDatabase, silentLogger } from '../../support/test-database.js';
import { formAction, redirectTarget, type TestBrowser } from './test-browser.js';

export interface RecordedSignIn {
  userId: string;
  odsCode: string;
  context: SignInContext;
}

export interface OidcTestServer {
  baseUrl: string;
  db: Database;
  /** What the stub session starter was called with, in order. */
  signIns: RecordedSignIn[];
  close(): Promise<void>;
}

export interface OidcTestServerOptions {
  accounts?: readonly DemoUser[];
  /** Further relying-party entries for the same dev IdP (another provider id, other policies). */
  extraProviders?: readonly (DevIdpSetupOptions & { providerId: string })[];
  /**
   * `real`: the sign-in starts a real web session (src/auth/sessions: `startSession`, with
   * GET /auth/session to read it back). Default `stub`: only records the call.
   */
  sessions?: 'stub' | 'real';
}

/**
 * A real HTTP server on 127.0.0.1 (port chosen by the OS) hosting both ends: the dev IdP under
 * /dev-idp and the relying party's /auth/oidc routes, set up as the real app sets up Fastify,
 * with a stub session starter that records its calls. The socket listens before the app is
 * built because the issuer URL (and so the provider) needs the port.
 */
export async function startOidcTestServer(options: OidcTestServerOptions = {}): Promise<OidcTestServer> {
  const database = await createTestDatabase();
  for (const organisation of DEMO_ORGANISATIONS) await upsertOrganisation(database.db, organisation);

  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const accounts = options.accounts ?? DEMO_USERS;
  const main = devIdpSetup(baseUrl, { accounts });
  const extras = (options.extraProviders ?? []).map((extra) => devIdpSetup(baseUrl, { accounts, ...extra }));

  const app = Fastify({
    loggerInstance: silentLogger as FastifyBaseLogger,
    serverFactory: (fastifyHandler) => {
      handler = fastifyHandler;
      return server;
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(problemJsonErrorHandler);
  app.setNotFoundHandler(problemJsonNotFoundHandler);
  app.addSchema(ProblemSchema);
  await app.register(fastifySwagger, { openapi: { openapi: '3.1.0', info: { title: 'test', version: '0' } } });

  const signIns: RecordedSignIn[] = [];
  const settings = sessionSettings({ publicUrl: baseUrl });
  if (options.sessions === 'real') {
    await app.register(fastifyCookie);
    await app.register(sessionRoutes, { sessions: new SessionService(database.db, settings) });
  }
  await app.register(devIdpPlugin, {
    ...main.plugin,
    clients: [...main.plugin.clients, ...extras.flatMap((extra) => extra.plugin.clients)],
  });
  await app.register(oidcRoutes, {
    signIns: new OidcSignInService({
      db: database.db,
      publicUrl: baseUrl,
      providers: [main.relyingParty, ...extras.map((extra) => extra.relyingParty)],
    }),
    onSignedIn: async (reply, userId, odsCode, context) => {
      signIns.push({ userId, odsCode, context });
      if (options.sessions === 'real') await startSession(reply, database.db, userId, odsCode, { settings });
    },
  });
  await app.ready();

  return {
    baseUrl,
    db: database.db,
    signIns,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    },
  };
}

export interface SignInJourney {
  /** Where the login sent the browser: the dev IdP's authorisation endpoint. */
  authorizationUrl: URL;
  /** Where the dev IdP sent the browser back, not yet visited. */
  callbackUrl: string;
}

/**
 * Drives the browser from `/auth/oidc/<provider>/login` through the dev IdP's sign-in and
 * consent pages, stopping just before the callback so tests can visit it (or tamper with it).
 */
export async function journeyToCallback(
  browser: TestBrowser,
  baseUrl: string,
  username: string,
  options: { provider?: string; consent?: 'allow' | 'cancel'; returnTo?: string } = {},
): Promise<SignInJourney> {
  const provider = options.provider ?? 'dev';
  const query = options.returnTo === undefined ? '' : `?${new URLSearchParams({ returnTo: options.returnTo }).toString()}`;
  const loginUrl = `${baseUrl}/auth/oidc/${provider}/login${query}`;
  const login = await browser.get(loginUrl);
  const authorizationUrl = redirectTarget(login, loginUrl);
  if (!authorizationUrl) throw new Error(`login did not redirect: ${login.status} ${await login.text()}`);
  const isCallback = (url: URL) => url.pathname === `/auth/oidc/${provider}/callback`;

  let { response, url } = await browser.follow(authorizationUrl.href, (next) => !isCallback(next));
  for (let step = 0; step < 5; step++) {
    const target = redirectTarget(response, url);
    if (target && isCallback(target)) return { authorizationUrl, callbackUrl: target.href };
    if (response.status !== 200) throw new Error(`unexpected ${response.status} at ${url}: ${await response.text()}`);
    const page = await response.text();
    let action: string;
    let posted: Response;
    if (page.includes('/login"')) {
      action = formAction(page, '/login', url);
      posted = await browser.postForm(action, { username });
    } else {
      action = formAction(page, options.consent === 'cancel' ? '/abort' : '/confirm', url);
      posted = await browser.postForm(action, {});
    }
    const next = redirectTarget(posted, action);
    if (!next) throw new Error(`form ${action} answered ${posted.status}: ${await posted.text()}`);
    if (isCallback(next)) return { authorizationUrl, callbackUrl: next.href };
    ({ response, url } = await browser.follow(next.href, (hop) => !isCallback(hop)));
  }
  throw new Error('the sign-in did not reach the callback');
}
