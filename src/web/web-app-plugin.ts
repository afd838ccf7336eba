import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRoutePolicy } from '../http/route-policy.js';

export interface WebAppOptions {
  /** The built web app (web/dist): index.html and the hashed files under assets/. */
  root: string;
}

/** Where `npm run build:web` puts the web app. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the APIs and the sign-in machinery: never answered with the web app's page. */
const NOT_THE_APP = /^\/(?:api|openehr|fhir|auth|oauth2|dev-idp|docs|\.well-known)(?:\/|$)|^\/(?:healthz|readyz)$/;

/** Hashed file names change with their content, so browsers may keep them for a year unasked. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page (and unhashed files) are checked on every visit, so a new release shows at once. */
const REVALIDATE = 'no-cache';

/** True when the built web app is there to be served. */
export function webAppBuilt(root: string = DEFAULT_WEB_ROOT): boolean {
  return existsSync(join(root, 'index.html'));
}

/**
 * Serves the web app from the server's own port: its files as they are, and its page for every
 * other GET that is not an API path, so that a deep link (a person, a plan version, an audit
 * page) opens the app, which then routes in the browser. The files hold no personal data: the
 * app asks the APIs for it, under their own policies.
 */
export const webAppPlugin: FastifyPluginAsync<WebAppOptions> = async (app, { root }) => {
  defaultRoutePolicy(app, { kind: 'public', reason: "the web app's own code and styles: no personal data" });
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file, found at start-up; anything else falls through to the page below.
    wildcard: false,
    index: false,
    cacheControl: false,
    etag: true,
    lastModified: true,
    setHeaders(reply, path) {
      const underAssets = path.startsWith(join(root, 'assets'));
      reply.header('cache-control', underAssets ? IMMUTABLE : REVALIDATE);
    },
  });

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    // An API path or a file that is not there is a plain 404, never the page.
    if (NOT_THE_APP.test(path) || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    return reply.header('cache-control', REVALIDATE).sendFile('index.html', root);
  };
  app.get('/', page);
  app.get('/*', page);
};
