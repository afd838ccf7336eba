import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.js';
import { EMBEDDED_LAUNCH_PATH, type EmbeddedLaunchService } from './embedded-launch-service.js';

export interface EmbeddedFormOptions {
  launches: EmbeddedLaunchService;
  /** The built web app (its index.html is the embedded page); undefined: no page, the API only. */
  webRoot: string | undefined;
}

const TAG = 'authentication';
const PageParams = Type.Object({ pathway: Type.String({ maxLength: 64 }), nhs_number: Type.String({ maxLength: 16 }) });

/**
 * Embedded forms (see embedded-launch-service.ts): the launch a record system points its frame
 * at and the page it lands on: the web app's, with the launching system's registered origins as its
 * only frame-ancestors. The one read the page makes is careplan/http/care-plan-embed-routes.ts.
 */
export const embeddedFormRoutes: FastifyPluginAsyncTypebox<EmbeddedFormOptions> = async (app, { launches, webRoot }) => {
  app.get(
    EMBEDDED_LAUNCH_PATH,
    {
      config: { policy: { kind: 'public', reason: 'embedded launch: it verifies the record system’s signed launch token itself' } },
      schema: {
        tags: [TAG],
        summary: 'Launch an embedded form for one person from a record system (signed launch token)',
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 8192 })) }),
      },
    },
    async (request, reply) => {
      const location = await launches.launch(request.query.token, reply, request.ip);
      return reply.code(303).header('location', location).send();
    },
  );

  const page = async (reply: FastifyReply, frameOrigins: readonly string[]) => {
    if (!webRoot) throw new AppError('not-found', 'The web app is not served here.');
    const html = await readFile(join(webRoot, 'index.html'), 'utf8');
    const policy = String(reply.getHeader('content-security-policy') ?? '');
    const ancestors = frameOrigins.length > 0 ? frameOrigins.join(' ') : "'none'";
    return reply
      .header('content-security-policy', withFrameAncestors(policy, ancestors))
      .removeHeader('x-frame-options')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  };
  app.get(
    '/embed/:pathway/:nhs_number',
    {
      config: {
        policy: {
          kind: 'public',
          reason: "the web app's page, no personal data; framed only by the origins of the system that launched the embedded session",
        },
      },
      schema: { hide: true, params: PageParams },
    },
    async (request, reply) => {
      const session = await launches.sessionOf(request).catch(() => undefined);
      return page(reply, session?.frameOrigins ?? []);
    },
  );
};

/** The CSP with its frame-ancestors directive replaced (or added). */
export function withFrameAncestors(policy: string, ancestors: string): string {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !directive.startsWith('frame-ancestors'));
  return [...directives, `frame-ancestors ${ancestors}`].join(';');
}
