import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { InteractionDetails } from 'oidc-provider';
import { DEMO_USERS, type DemoUser } from '../../demo/demo-people.js';
import { consentPage, errorPage, loginPage } from './dev-idp-pages.js';
import { createDevIdpProvider, type DevIdp, type DevIdpClient } from './dev-idp-provider.js';

export interface DevIdpPluginOptions {
  /** `${publicUrl}/dev-idp`. */
  issuer: string;
  clients: readonly DevIdpClient[];
  /** Default: DEMO_USERS. */
  accounts?: readonly DemoUser[];
  trustProxy?: boolean;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Mounts the development identity provider under the issuer's path. oidc-provider is a Koa
 * application: every request under the path is handed to its raw Node handler, with Fastify's
 * body parsing switched off there so that the provider reads the body itself, and the URL
 * rewritten the way Express and Koa mounting do (`originalUrl` keeps the full path, which the
 * provider uses to build its own URLs). The login and consent pages are Fastify routes.
 */
export const devIdpPlugin: FastifyPluginAsync<DevIdpPluginOptions> = async (app, options) => {
  const idp = await createDevIdpProvider({
    issuer: options.issuer,
    clients: options.clients,
    accounts: options.accounts ?? DEMO_USERS,
    trustProxy: options.trustProxy,
  });
  // oidc-provider turns its own failures into error pages; without this they would leave no trace.
  idp.provider.on('server_error', (_ctx, error) => app.log.error({ err: error }, 'dev IdP server error'));
  await app.register(async (pages) => interactionRoutes(pages, idp));
  await app.register(async (raw) => providerRoutes(raw, idp));
};

async function providerRoutes(app: FastifyInstance, idp: DevIdp): Promise<void> {
  const handle = idp.provider.callback();
  app.removeAllContentTypeParsers();
  // Accept any body without reading it: the stream stays unread for oidc-provider.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    const raw: IncomingMessage & { originalUrl?: string } = request.raw;
    const url = raw.url ?? '/';
    raw.originalUrl = url;
    raw.url = url.slice(idp.mountPath.length) || '/';
    if (!raw.url.startsWith('/')) raw.url = `/${raw.url}`;
    await handle(raw, reply.raw);
  };
  app.all(idp.mountPath, { schema: { hide: true } }, forward);
  app.all(`${idp.mountPath}/*`, { schema: { hide: true } }, forward);
}

async function interactionRoutes(app: FastifyInstance, idp: DevIdp): Promise<void> {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });
  const base = `${idp.mountPath}/interaction/:uid`;
  const options = { schema: { hide: true } };
  app.get(base, options, async (request, reply) => withInteraction(request, reply, idp, (details) => showStep(reply, idp, details)));
  app.post(`${base}/login`, options, async (request, reply) =>
    withInteraction(request, reply, idp, (details) => submitLogin(request, reply, idp, details)),
  );
  app.post(`${base}/confirm`, options, async (request, reply) =>
    withInteraction(request, reply, idp, (details) => confirmConsent(request, reply, idp, details)),
  );
  app.post(`${base}/abort`, options, async (request, reply) =>
    withInteraction(request, reply, idp, async () => {
      reply.hijack();
      await idp.provider.interactionFinished(
        request.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'The person cancelled the sign-in.' },
        { mergeWithLastSubmission: false },
      );
      return reply;
    }),
  );
}

function interactionAction(idp: DevIdp, details: InteractionDetails): string {
  return `${idp.mountPath}/interaction/${encodeURIComponent(details.uid)}`;
}

/** The page of the step the provider asks for: choose a demo user, or agree to what the application asks. */
async function showStep(reply: FastifyReply, idp: DevIdp, details: InteractionDetails): Promise<FastifyReply> {
  const clientName = clientNameOf(idp, details);
  const action = interactionAction(idp, details);
  if (details.prompt.name === 'login')
    return html(reply, 200, loginPage({ action: `${action}/login`, users: [...idp.accounts.values()], clientName }));
  if (details.prompt.name === 'consent') {
    const accountId = details.session?.accountId ?? '';
    return html(
      reply,
      200,
      consentPage({
        action: `${action}/confirm`,
        abortAction: `${action}/abort`,
        clientName,
        accountName: idp.accounts.get(accountId)?.displayName ?? accountId,
        scopes: stringList(details.prompt.details['missingOIDCScope']),
        claims: stringList(details.prompt.details['missingOIDCClaims']),
      }),
    );
  }
  return html(reply, 400, errorPage('Unsupported step', { prompt: details.prompt.name }));
}

async function submitLogin(request: FastifyRequest, reply: FastifyReply, idp: DevIdp, details: InteractionDetails): Promise<FastifyReply> {
  if (details.prompt.name !== 'login') return html(reply, 400, errorPage('Not expected', { step: 'login', prompt: details.prompt.name }));
  const username = formField(request.body, 'username');
  if (username === undefined || !idp.accounts.has(username)) {
    return html(
      reply,
      400,
      loginPage({
        action: `${interactionAction(idp, details)}/login`,
        users: [...idp.accounts.values()],
        clientName: clientNameOf(idp, details),
        error: `There is no demo user '${username ?? ''}'.`,
      }),
    );
  }
  reply.hijack();
  await idp.provider.interactionFinished(request.raw, reply.raw, { login: { accountId: username } }, { mergeWithLastSubmission: false });
  return reply;
}

/** Grants what the consent step asked for (scopes, claims, resource scopes) and lets the provider go on. */
async function confirmConsent(
  request: FastifyRequest,
  reply: FastifyReply,
  idp: DevIdp,
  details: InteractionDetails,
): Promise<FastifyReply> {
  const accountId = details.session?.accountId;
  const clientId = details.params['client_id'];
  if (details.prompt.name !== 'consent' || accountId === undefined || typeof clientId !== 'string') {
    return html(reply, 400, errorPage('Not expected', { step: 'consent', prompt: details.prompt.name }));
  }
  const grant =
    (details.grantId === undefined ? undefined : await idp.provider.Grant.find(details.grantId)) ??
    new idp.provider.Grant({ accountId, clientId });
  const missingScopes = stringList(details.prompt.details['missingOIDCScope']);
  if (missingScopes.length > 0) grant.addOIDCScope(missingScopes.join(' '));
  const missingClaims = stringList(details.prompt.details['missingOIDCClaims']);
  if (missingClaims.length > 0) grant.addOIDCClaims(missingClaims);
  const resourceScopes = details.prompt.details['missingResourceScopes'];
  if (typeof resourceScopes === 'object' && resourceScopes !== null) {
    for (const [indicator, scopes] of Object.entries(resourceScopes)) grant.addResourceScope(indicator, stringList(scopes).join(' '));
  }
  const grantId = await grant.save();
  reply.hijack();
  await idp.provider.interactionFinished(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
  return reply;
}

/**
 * Loads the interaction the browser's cookie names and checks it is the one in the URL. A
 * missing or expired interaction is shown as a page, since a person is looking at it.
 */
async function withInteraction(
  request: FastifyRequest,
  reply: FastifyReply,
  idp: DevIdp,
  work: (details: InteractionDetails) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  let details: InteractionDetails;
  try {
    details = await idp.provider.interactionDetails(request.raw, reply.raw);
  } catch (error) {
    request.log.info({ err: error }, 'dev IdP interaction not found');
    return html(reply, 400, errorPage('This sign-in has expired', { hint: 'Go back to the application and sign in again.' }));
  }
  const uid = (request.params as { uid?: string }).uid;
  if (details.uid !== uid)
    return html(reply, 400, errorPage('This sign-in does not match', { hint: 'Go back to the application and sign in again.' }));
  return work(details);
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function clientNameOf(idp: DevIdp, details: InteractionDetails): string {
  const clientId = details.params['client_id'];
  return (typeof clientId === 'string' ? idp.clientNames.get(clientId) : undefined) ?? 'An application';
}

function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
