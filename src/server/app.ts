import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import packageJson from '../../package.json' with { type: 'json' };
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { apiRoutes } from '../api/api-routes.js';
import { administrationRoutes } from '../api/administration-routes.js';
import { subjectAccessRoutes } from '../api/subject-access-routes.js';
import { breakGlassReviewRoutes } from '../api/break-glass-review-routes.js';
import { signingKeyRoutes } from '../auth/tokens/signing-key-routes.js';
import { auditRoutes } from '../api/audit-routes.js';
import { careTeamRoutes } from '../api/care-team-routes.js';
import { carePlanPdfRoutes } from '../careplan/http/care-plan-pdf-routes.js';
import { carePlanReportRoutes } from '../careplan/http/care-plan-report-routes.js';
import { carePlanRoutes } from '../careplan/http/care-plan-routes.js';
import { designerPreviewRoutes } from '../designer/http/designer-preview-routes.js';
import { designerRoutes } from '../designer/http/designer-routes.js';
import { templateComposerRoutes } from '../designer/http/template-composer-routes.js';
import { peopleRoutes } from '../demographics/http/people-routes.js';
import { devIdpPlugin } from '../auth/dev-idp/dev-idp-plugin.js';
import type { DevIdpSetup } from '../auth/dev-idp/dev-idp-setup.js';
import { localSignInRoutes } from '../auth/local/local-sign-in-routes.js';
import { totpRoutes } from '../auth/local/totp-routes.js';
import { oidcRoutes } from '../auth/oidc/oidc-routes.js';
import { OidcSignInService } from '../auth/oidc/oidc-sign-in-service.js';
import type { OidcProviderConfig } from '../auth/oidc/provider-config.js';
import { startSession } from '../auth/sessions/start-session.js';
import { sessionRoutes } from '../auth/sessions/session-routes.js';
import { oauth2Routes } from '../auth/tokens/oauth2-routes.js';
import { standingCaller } from '../auth/standing-caller.js';
import { systemFacts } from '../api/system-facts.js';
import { SubjectAccessExporter } from '../api/subject-access-export.js';
import { readStoredPerson } from '../demographics/demographics-store.js';
import { listIntegratedCareSystems, listOrganisations } from '../organisations/organisation-store.js';
import { RealTimeEvents } from '../events/real-time-events.js';
import { RegisteredSystemCallers } from '../cds-hooks/registered-system-callers.js';
import { databaseProbe } from './database-probe.js';
import { openEhrRestPlugin } from '../openehr/rest/openehr-rest-plugin.js';
import { realTimeEventsPlugin } from '../events/http/real-time-events-plugin.js';
import { webAppPlugin, type WebAppOptions } from '../web/web-app-plugin.js';
import { fhirFacade } from '../fhir/fhir-facade.js';
import { nrlPlugin } from '../nrl/nrl-plugin.js';
import { nrlPointerConsumer } from '../nrl/nrl-pointer-consumer.js';
import { cdsHooksPlugin } from '../cds-hooks/cds-hooks-plugin.js';
import { carePlanServiceLookup } from '../cds-hooks/emergency-summary-lookup.js';
import { contextualLaunchRoutes } from '../integration/contextual-launch-routes.js';
import { embeddedFormRoutes } from '../integration/embedded-form-routes.js';
import { carePlanEmbedRoutes } from '../careplan/http/care-plan-embed-routes.js';
import { smartPlugin } from '../smart/smart-plugin.js';
import type { AppServices } from './app-services.js';
import { registerAccessControl } from './access-control.js';
import { registerPreviewGuard } from './preview-guard.js';
import { defaultRoutePolicy } from '../http/route-policy.js';
import { healthRoutes } from './health-routes.js';
import { LazySchemaCompilers } from './lazy-schema-compilers.js';
import { registerInputGuard } from './input-guard.js';
import { registerSecurityHeaders } from './security-headers.js';
import { problemJsonErrorHandler, problemJsonNotFoundHandler } from '../http/problem-json-handlers.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { ProblemSchema } from '../http/schemas.js';

export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  /** The newest migration this build carries; /readyz waits for the database to reach it. */
  schemaVersion: number;
  services: AppServices;
  /** Identity providers for single sign-on, and the embedded development one when it runs. */
  signOn?: { providers: readonly OidcProviderConfig[]; devIdp: DevIdpSetup | undefined };
  /** The built web app to serve on the same port (absent: the APIs only). */
  web?: WebAppOptions;
  /** Builds route schemas' functions on first use (default: a new one; tests pass theirs to build them all). */
  schemaCompilers?: LazySchemaCompilers;
}

const OPENEHR_PREFIX = '/openehr/v1';

/** The API families and parts of the OpenAPI description, in the order /docs lists them. */
const API_TAGS = [
  { name: 'operations', description: 'Liveness and readiness' },
  { name: 'system', description: 'About this installation' },
  { name: 'administration', description: 'Organisations, users, machine clients and identity providers' },
  { name: 'events', description: 'Real-time events: server-sent event streams of plan changes' },
  {
    name: 'care plans',
    description: 'The urgent care plan: one living plan per person, its lifecycle, history and emergency summary',
  },
  {
    name: 'designer',
    description:
      'Pathways as versioned data for clinical designers: drafts, a second designer’s review, publication, roll-back (docs/designer.md)',
  },
  { name: 'people', description: "A person's identity from the national demographics service (PDS)" },
  { name: 'audit', description: "Audit reports for auditors, and a person's own access report" },
  {
    name: 'authentication',
    description: 'Sign-in and web sessions; OAuth 2.0 client credentials for machine clients; published keys',
  },
  { name: 'openEHR EHR', description: 'openEHR REST API: EHR and EHR_STATUS' },
  { name: 'openEHR COMPOSITION', description: 'openEHR REST API: compositions and their versions' },
  { name: 'openEHR CONTRIBUTION', description: 'openEHR REST API: contributions' },
  { name: 'openEHR DIRECTORY', description: 'openEHR REST API: the EHR directory (folders)' },
  { name: 'openEHR DEFINITION', description: 'openEHR REST API: operational templates' },
  { name: 'CDS Hooks', description: 'CDS Hooks 2.0 services at /cds-services for record systems (signed JWTs)' },
  { name: 'FHIR', description: 'FHIR R4 (UK Core) at /fhir: errors are OperationOutcomes; see /fhir/metadata' },
];

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * Builds the HTTP application without listening, so tests drive it with `inject()` and
 * `main.ts` alone owns the socket and the process lifecycle.
 */
export async function buildApp(context: AppContext): Promise<App> {
  const { config, logger } = context;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestIdFor,
    bodyLimit: config.maxBodyBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    schemaController: { compilersFactory: context.schemaCompilers ?? new LazySchemaCompilers() },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.setErrorHandler(problemJsonErrorHandler);
  app.setNotFoundHandler(problemJsonNotFoundHandler);
  registerInputGuard(app);
  registerPreviewGuard(app);
  app.addSchema(ProblemSchema);

  await registerApiDescription(app, context);
  // Cookies are parsed before the policy point runs: its hook needs the session cookie. The
  // policy point is in place before any route of ours, so it sees every one.
  await app.register(fastifyCookie);
  // Websocket routes (FHIR subscriptions' channel) upgrade through the same hooks, so the policy point sees them too.
  await app.register(fastifyWebsocket);
  registerAccessControl(app, {
    repositories: context.services.repositories,
    authenticateSession: context.services.sessions.authenticate,
    authenticateBearer: context.services.tokens.authenticate,
    authenticateEmbedded: async (request) => (await context.services.embeddedLaunch.sessionOf(request))?.caller,
  });
  await app.register(healthRoutes, { database: databaseProbe(context.db), expectedSchemaVersion: context.schemaVersion });
  await registerAuthentication(app, context);
  await registerPlatformApi(app, context);
  await registerOpenEhrAndFhir(app, context);
  await registerIntegrations(app, context);
  // Last, so that every API route is matched before the web app's page is.
  if (context.web) await app.register(webAppPlugin, context.web);
  return app;
}

/** OpenAPI 3.1 at /docs, behind the security headers. */
async function registerApiDescription(app: App, { config, services }: AppContext): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Urgent Care Plan',
        version: packageJson.version,
        description:
          'The Urgent Care Plan platform: its own API under /api (errors as application/problem+json), ' +
          'operations endpoints, and the API families documented alongside.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: config.publicUrl }],
      tags: API_TAGS,
    },
  });
  const tls = services.sessions.settings.tls;
  registerSecurityHeaders(app, { tls, frameAncestors: config.frameAncestors });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Its own page policy asks browsers to upgrade every request to https, which breaks /docs served over plain http.
    transformStaticCSP: (header) => (tls ? header : header.replace(/\s*upgrade-insecure-requests;?/, '')),
  });
}

/** Sign-in, session, single sign-on, token and key endpoints: they authenticate requests themselves. */
async function registerAuthentication(app: App, { config, db, services, signOn }: AppContext): Promise<void> {
  await app.register(async (scope) => {
    defaultRoutePolicy(scope, { kind: 'public', reason: 'authentication endpoint: it authenticates the request itself' });
    const sessionSettings = services.sessions.settings;
    await scope.register(sessionRoutes, { sessions: services.sessions.service });
    await scope.register(localSignInRoutes, { signIns: services.sessions.localSignIn, settings: sessionSettings });
    await scope.register(totpRoutes, { totp: services.sessions.totp });
    const devIdp = signOn?.devIdp;
    if (devIdp) await scope.register(devIdpPlugin, devIdp.plugin);
    const providers = [...(signOn?.providers ?? []), ...(devIdp ? [devIdp.relyingParty] : [])];
    await scope.register(oidcRoutes, {
      signIns: new OidcSignInService({ db, publicUrl: config.publicUrl, providers, now: services.clock }),
      onSignedIn: async (reply, userId, odsCode, { launchContextNhsNumber }) => {
        await startSession(reply, db, userId, odsCode, { settings: sessionSettings, launchContextNhsNumber });
      },
    });
    await scope.register(oauth2Routes, { grant: services.tokens.clientCredentials, keys: services.tokens.keys });
  });
}

/** The platform's own API under /api: administration, audit, events, care plans, people. */
async function registerPlatformApi(app: App, { config, db, logger, services, signOn }: AppContext): Promise<void> {
  const devIdp = signOn?.devIdp;
  const providers = [...(signOn?.providers ?? []), ...(devIdp ? [devIdp.relyingParty] : [])];
  await app.register(apiRoutes, { prefix: '/api', facts: systemFacts(db), config, version: packageJson.version });
  await app.register(auditRoutes, { prefix: '/api', systemId: config.systemId });
  await app.register(careTeamRoutes, { prefix: '/api' });
  await app.register(breakGlassReviewRoutes, { prefix: '/api' });
  await app.register(subjectAccessRoutes, {
    prefix: '/api',
    exporter: new SubjectAccessExporter({
      plans: services.carePlans,
      heldPerson: (nhsNumber) => readStoredPerson(db, nhsNumber),
      clock: services.clock,
    }),
  });
  await app.register(administrationRoutes, {
    prefix: '/api',
    administration: services.administration,
    identityProviders: providers,
  });
  await app.register(signingKeyRoutes, { prefix: '/api', signingKeys: services.tokens.signingKeys });
  await app.register(realTimeEventsPlugin, {
    prefix: '/api',
    events: new RealTimeEvents(db, logger, { maxStreams: config.events.maxStreams }),
  });
  await app.register(designerRoutes, { prefix: '/api', design: services.pathwayDesign });
  await app.register(designerPreviewRoutes, { prefix: '/api', design: services.pathwayDesign, plans: services.carePlans });
  await app.register(templateComposerRoutes, { prefix: '/api', composer: services.templateDesign });
  await app.register(carePlanRoutes, {
    prefix: '/api',
    plans: services.carePlans,
    queries: services.carePlanQueries,
    people: services.demographics,
    names: services.demographics,
  });
  await app.register(carePlanReportRoutes, {
    prefix: '/api',
    organisationsOfIcs: async (ics) => (await listOrganisations(db, { ics })).map((organisation) => organisation.odsCode),
    integratedCareSystems: () => listIntegratedCareSystems(db),
    queries: services.carePlanQueries,
    plans: services.carePlans,
    names: services.demographics,
  });
  await app.register(peopleRoutes, { prefix: '/api', demographics: services.demographics });
  await app.register(carePlanPdfRoutes, {
    prefix: '/api',
    plans: services.carePlans,
    personOf: (nhsNumber) => services.demographics.printedIdentity(nhsNumber),
  });
}

/** The standard APIs: openEHR REST, the national record locator's pointers, and FHIR. */
async function registerOpenEhrAndFhir(app: App, { config, db, logger, services }: AppContext): Promise<void> {
  await app.register(openEhrRestPlugin, {
    prefix: OPENEHR_PREFIX,
    services: services.openehr,
    baseUrl: `${config.publicUrl}${OPENEHR_PREFIX}`,
    clock: services.clock,
  });
  const backoff = { baseMs: config.delivery.retryBaseMs, maxMs: config.delivery.retryMaxMs };
  if (services.nrl)
    await app.register(nrlPlugin, {
      consumer: nrlPointerConsumer({
        db,
        logger,
        client: services.nrl,
        custodianOdsCode: config.nrl.custodianOdsCode,
        fhirBaseUrl: `${config.publicUrl}/fhir`,
        backoff,
      }),
    });
  await app.register(fhirFacade, {
    prefix: '/fhir',
    db,
    logger,
    services,
    publicUrl: config.publicUrl,
    version: packageJson.version,
    systemId: config.systemId,
    subscriptionEndpoints: { allowedHosts: config.subscriptions.allowedHosts },
    subscriptionOwners: (owner) => standingCaller(db, owner),
    subscriptionBackoff: backoff,
  });
}

/** Record systems' ways in: contextual launch, SMART on FHIR apps, CDS Hooks. */
async function registerIntegrations(app: App, { config, db, services, web }: AppContext): Promise<void> {
  await app.register(contextualLaunchRoutes, { launches: services.contextualLaunch });
  await app.register(embeddedFormRoutes, { launches: services.embeddedLaunch, webRoot: web?.root });
  await app.register(carePlanEmbedRoutes, { prefix: '/api', plans: services.carePlans });
  await app.register(smartPlugin, {
    authorization: services.smart,
    keys: services.tokens.keys,
    authenticateSession: services.sessions.authenticate,
  });
  await app.register(cdsHooksPlugin, {
    publicUrl: config.publicUrl,
    verifier: services.systemTokens,
    callers: new RegisteredSystemCallers(db),
    repositories: services.repositories,
    lookup: carePlanServiceLookup(services.carePlans),
  });
}
