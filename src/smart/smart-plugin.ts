import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import { Type } from 'typebox';
import { escapeXml } from '../fhir/resources/narrative.js';
import type { SessionAuthenticator } from '../auth/sessions/session-authenticator.js';
import type { SigningKeys } from '../auth/tokens/signing-keys.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import type { LaunchContext, SmartAuthorizationService } from './smart-authorization-service.js';
import { accountIdOf } from './smart-provider.js';
import { SMART_CONTEXT_SCOPES, SMART_RESOURCE_SCOPES } from './smart-scopes.js';
import { smartConfiguration } from './smart-configuration.js';

export interface SmartPluginOptions {
  /** The provider, the apps, the launches (src/smart/smart-authorization-service.ts). */
  authorization: SmartAuthorizationService;
  /** The platform's signing keys: the provider signs with the current one. */
  keys: SigningKeys;
  authenticateSession: SessionAuthenticator;
}

const PUBLIC = { kind: 'public', reason: 'SMART authorization server: it authenticates the user’s session and the client itself' } as const;

/**
 * SMART App Launch 2 on the platform's authorization server: the provider mounted at /smart
 * (authorize, token, keys, userinfo), its sign-in and consent interaction — the platform's own
 * session is the sign-in, the registered client's scopes are the consent, and the launch
 * context is resolved here — `POST /smart/launches` for the web app to launch an app for the
 * person it shows, and the discovery document at /fhir/.well-known/smart-configuration.
 */
export const smartPlugin: FastifyPluginAsync<SmartPluginOptions> = async (app, options) => {
  // The provider signs with the key it was made with; when the platform's signing key rotates,
  // the next request gets a provider made with the new one (its state is in the database, so
  // nothing in flight is lost).
  let built: { kid: string; provider: Promise<BuiltProvider> } | undefined;
  const provider: CurrentProvider = async () => {
    const key = await options.keys.current();
    if (built?.kid !== key.kid) {
      const made = options.authorization.provider(key).then((made) => {
        made.on('server_error', (_ctx, error) => app.log.error({ err: error }, 'SMART authorization server error'));
        return { provider: made, handle: made.callback() };
      });
      const entry = { kid: key.kid, provider: made };
      built = entry;
      made.catch(() => {
        if (built === entry) built = undefined;
      });
    }
    return built.provider;
  };
  // Made on the first SMART request, not at start-up: oidc-provider costs a third of a second
  // and tens of MB, which a deployment without SMART apps need never pay.
  const { issuer } = options.authorization.settings;
  const mountPath = new URL(issuer).pathname;
  app.get(
    '/fhir/.well-known/smart-configuration',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['FHIR'],
        summary: 'SMART App Launch 2 discovery',
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(smartConfiguration(issuer)),
  );
  await app.register(async (scope) => interactionRoutes(scope, provider, mountPath, options));
  await app.register(async (scope) => launchRoutes(scope, options));
  await app.register(async (scope) => providerRoutes(scope, provider, mountPath));
};

interface BuiltProvider {
  provider: Provider;
  handle: ReturnType<Provider['callback']>;
}
type CurrentProvider = () => Promise<BuiltProvider>;

async function providerRoutes(app: FastifyInstance, provider: CurrentProvider, mountPath: string): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    const raw: IncomingMessage & { originalUrl?: string } = request.raw;
    const url = raw.url ?? '/';
    raw.originalUrl = url;
    raw.url = url.slice(mountPath.length) || '/';
    if (!raw.url.startsWith('/')) raw.url = `/${raw.url}`;
    const { handle } = await provider();
    await handle(raw, reply.raw);
  };
  // The methods the authorization server answers (OPTIONS for CORS preflights of the token endpoint).
  for (const method of ['GET', 'POST', 'OPTIONS'] as const) {
    app.route({ method, url: `${mountPath}/*`, config: { policy: PUBLIC }, schema: { hide: true }, handler: forward });
  }
}

async function interactionRoutes(
  app: FastifyInstance,
  provider: CurrentProvider,
  mountPath: string,
  options: SmartPluginOptions,
): Promise<void> {
  const config = { policy: PUBLIC };
  app.get(`${mountPath}/interaction/:uid`, { config, schema: { hide: true } }, async (request, reply) => {
    let details: InteractionDetails;
    try {
      details = await (await provider()).provider.interactionDetails(request.raw, reply.raw);
    } catch {
      return page(reply, 400, 'This sign-in has expired', 'Go back to the application and start again.');
    }
    if (details.prompt.name === 'login') {
      const caller = await options.authenticateSession(request).catch(() => undefined);
      if (!caller?.organisation) {
        return page(
          reply,
          401,
          'Sign in to the Urgent Care Plan first',
          `Sign in, then open this link again: ${mountPath}/interaction/${details.uid}`,
        );
      }
      return finish((await provider()).provider, request, reply, {
        login: { accountId: accountIdOf(caller.id, caller.organisation.odsCode) },
      });
    }
    if (details.prompt.name !== 'consent') return page(reply, 400, 'Unsupported step', details.prompt.name);
    const accountId = details.session?.accountId ?? '';
    const context = await launchContextOf(details, accountId, request, options);
    if (context === 'pick') {
      return page(
        reply,
        200,
        'Which person?',
        `The application asks for a person. Open ${mountPath}/interaction/${details.uid}?nhsNumber=<NHS number> to choose one.`,
      );
    }
    if (typeof context === 'string')
      return finish((await provider()).provider, request, reply, { error: 'access_denied', error_description: context });
    return finish((await provider()).provider, request, reply, {
      consent: { grantId: await grantFor((await provider()).provider, details, accountId, context, options) },
    });
  });
}

/** The person the app is launched for: from the EHR launch, or picked by the user, or none asked for. */
async function launchContextOf(
  details: InteractionDetails,
  accountId: string,
  request: FastifyRequest,
  options: SmartPluginOptions,
): Promise<LaunchContext | undefined | 'pick' | string> {
  const scopes = String(details.params['scope'] ?? '').split(' ');
  const audience = details.params['aud'];
  const { fhirBaseUrl } = options.authorization.settings;
  if (typeof audience === 'string' && audience.replace(/\/$/, '') !== fhirBaseUrl) {
    return `aud ${audience} is not this server's FHIR base (${fhirBaseUrl})`;
  }
  const launch = details.params['launch'];
  if (scopes.includes('launch') && typeof launch === 'string') {
    const nhsNumber = await options.authorization.launchedPerson(launch, accountId);
    return nhsNumber ? { nhsNumber, kind: 'ehr' } : 'the launch is unknown, expired, or was made for someone else';
  }
  if (scopes.includes('launch/patient')) {
    const picked = (request.query as { nhsNumber?: string }).nhsNumber?.replace(/\s/g, '');
    if (picked === undefined) return 'pick';
    return isValidNhsNumber(picked) ? { nhsNumber: picked, kind: 'standalone' } : `${picked} is not a valid NHS number`;
  }
  return undefined;
}

/** Consent is the registered client's scopes: what the app asks for, within what it may have. */
async function grantFor(
  provider: Provider,
  details: InteractionDetails,
  accountId: string,
  context: LaunchContext | undefined,
  options: SmartPluginOptions,
): Promise<string> {
  const clientId = String(details.params['client_id'] ?? '');
  const allowed = new Set(await options.authorization.clientScopes(clientId));
  const requested = String(details.params['scope'] ?? '')
    .split(' ')
    .filter((scope) => allowed.has(scope));
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(requested.filter((scope) => (SMART_CONTEXT_SCOPES as readonly string[]).includes(scope)).join(' '));
  grant.addOIDCClaims(['fhirUser']);
  grant.addResourceScope(
    options.authorization.settings.fhirBaseUrl,
    requested.filter((scope) => SMART_RESOURCE_SCOPES.includes(scope)).join(' '),
  );
  const grantId = await grant.save();
  if (context) await options.authorization.saveLaunchContext(grantId, context);
  return grantId;
}

async function finish(
  provider: Provider,
  request: FastifyRequest,
  reply: FastifyReply,
  result: Parameters<Provider['interactionFinished']>[2],
) {
  reply.hijack();
  await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: true });
  return reply;
}

async function launchRoutes(app: FastifyInstance, options: SmartPluginOptions): Promise<void> {
  app.post(
    '/smart/launches',
    {
      config: { policy: { kind: 'session' } },
      schema: {
        tags: ['authentication'],
        summary: 'Launch a registered SMART app for the person the web app shows (EHR launch)',
        body: Type.Object({ clientId: Type.String(), nhsNumber: Type.String({ pattern: '^[0-9]{10}$' }) }),
        response: { 201: Type.Object({ launch: Type.String(), url: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { clientId, nhsNumber } = request.body as { clientId: string; nhsNumber: string };
      const { launch, url } = await options.authorization.launch(request.repository, clientId, nhsNumber);
      return reply.code(201).send({ launch, url });
    },
  );
}

function page(reply: FastifyReply, status: number, title: string, text: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><title>${escapeXml(title)}</title><h1>${escapeXml(title)}</h1><p>${escapeXml(text)}</p></html>`);
}
