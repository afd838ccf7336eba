import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { CONTEXTUAL_LAUNCH_PATH, type ContextualLaunchService } from './contextual-launch-service.js';

export interface ContextualLaunchOptions {
  launches: ContextualLaunchService;
}

/**
 * In-context launch for record systems that cannot do SMART: the system sends the user's browser
 * to `/launch/context?token=<JWT>` (or posts `token` as a form), a JWT it signed with its
 * registered key for this URL, living at most five minutes, never used before, that names the
 * user (`email`), the organisation (`ods`, which must be the system's own when it is registered
 * for one), the role the user acts in (`role`, which they must hold there) and the person
 * (`nhs_number`). The user is signed in with that person as their launch context — the
 * legitimate relationship the access policy accepts — and lands on the person's page.
 */
export const contextualLaunchRoutes: FastifyPluginAsyncTypebox<ContextualLaunchOptions> = async (app, options) => {
  const { launches } = options;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  const launch = async (token: string | undefined, reply: FastifyReply, address: string) => {
    const nhsNumber = await launches.launch(token, reply, address);
    return reply.code(303).header('location', `/people/${nhsNumber}`).send();
  };
  const config = {
    policy: { kind: 'public', reason: 'contextual launch: it verifies the record system’s signed launch token itself' },
  } as const;
  const schema = {
    tags: ['authentication'],
    summary: 'Launch the web app in a person’s context from a record system (signed launch token)',
  };
  app.get(
    CONTEXTUAL_LAUNCH_PATH,
    { config, schema: { ...schema, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 8192 })) }) } },
    (request, reply) => launch(request.query.token, reply, request.ip),
  );
  app.post(
    CONTEXTUAL_LAUNCH_PATH,
    { config, schema: { ...schema, body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 8192 })) }) } },
    (request, reply) => launch(request.body.token, reply, request.ip),
  );
};
