import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../http/schemas.js';
import { checkSameOrigin } from '../sessions/csrf-check.js';
import type { SessionSettings } from '../sessions/session-settings.js';
import type { LocalSignInService } from './local-sign-in-service.js';

export interface LocalSignInOptions {
  signIns: LocalSignInService;
  /** The session settings: the origin a sign-in must come from. */
  settings: SessionSettings;
}

const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totp: Type.Optional(Type.String({ maxLength: 16, description: 'one-time code, when the account has a second factor' })),
    organisation: Type.Optional(Type.String({ description: 'ODS code to act for, when the user belongs to several' })),
    newPassword: Type.Optional(Type.String({ maxLength: 1024, description: 'required when the password must be changed' })),
  },
  { additionalProperties: false },
);

const SignedIn = Type.Object({
  displayName: Type.String(),
  organisation: Type.Object({ odsCode: Type.String(), name: Type.String() }),
  roles: Type.Array(Type.String()),
  csrfToken: Type.String({ description: 'send as x-csrf-token on every state-changing request' }),
  expiresAt: Type.String(),
});

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
