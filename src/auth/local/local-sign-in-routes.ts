import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../http/schemas.js';
import { checkSameOrigin } from '../sessions/csrf-check.js';
import type { SessionSettings } from '../sessions/session-settings.js';
import type { LocalSignInService } from './local-sign-in-service.js';
import { SignedIn, SignInBody } from './local-sign-in-schemas.js';

export interface LocalSignInOptions {
  signIns: LocalSignInService;
  /** The session settings: the origin a sign-in must come from. */
  settings: SessionSettings;
}

/**
 * Sign-in with a local account: the fallback where single sign-on is not available. Every
 * attempt is audited; the answer never says whether a username exists.
 */
export const localSignInRoutes: FastifyPluginAsyncTypebox<LocalSignInOptions> = async (app, { signIns, settings }) => {
  app.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['authentication'],
        summary: 'Sign in with a local account (username, password, and a one-time code if enrolled)',
        body: SignInBody,
        response: { 200: SignedIn, ...problemResponses },
      },
    },
    async (request, reply) => {
      // There is no session yet to hold a CSRF token, so the origin is what stops a forged sign-in.
      checkSameOrigin(request, settings.publicOrigin);
      const { started, odsCode } = await signIns.signIn(reply, { ...request.body, clientAddress: request.ip });
      reply.header('cache-control', 'no-store');
      return {
        displayName: started.caller.displayName,
        organisation: { odsCode, name: started.caller.organisation?.name ?? odsCode },
        roles: [...started.caller.roles],
        csrfToken: started.csrfToken,
        expiresAt: started.session.absoluteExpiresAt.toISOString(),
      };
    },
  );
};
