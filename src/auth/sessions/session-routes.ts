import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { CSRF_HEADER, checkCsrf } from './csrf-check.js';
import { clearSessionCookie, sessionCookieOf } from './session-cookie.js';
import { CurrentSessionSchema, SessionListSchema } from './session-schemas.js';
import type { RequestSession } from './session-request.js';
import type { SessionService } from './session-service.js';
import { csrfTokenOf, isWellFormedSessionToken, sessionIdOf } from './session-token.js';

export interface SessionRoutesOptions {
  /** The sessions, over the settings `startSession` is given too. */
  sessions: SessionService;
}

const SESSION_ID_PATTERN = '^[0-9a-f]{64}$';
const csrfHeaders = Type.Object({
  [CSRF_HEADER]: Type.Optional(Type.String({ description: 'The csrfToken from GET /auth/session' })),
});

/**
 * The web app's session endpoints: who am I, sign out, sign out everywhere, and the person's own
 * list of sessions. Signing in is the sign-in routes' (they call `startSession`). Needs
 * @fastify/cookie registered first. Every answer is `Cache-Control: no-store`.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, { sessions }) => {
  const { settings } = sessions;
  if (!app.hasReplyDecorator('setCookie')) {
    throw new Error('The session routes need @fastify/cookie: register it before them.');
  }
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const signedIn = async (request: FastifyRequest): Promise<RequestSession> => {
    const current = await sessions.ofRequest(request);
    if (current) return current;
    throw new AppError(
      'unauthenticated',
      request.headers.authorization === undefined
        ? 'Not signed in: the request has no session cookie. Sign in first.'
        : 'This endpoint is for the web app session; it uses the session cookie, not an Authorization header.',
    );
  };

  app.get(
    '/auth/session',
    {
      config: { policy: { kind: 'session' } },
      schema: {
        tags: ['authentication'],
        summary: 'The signed-in user, the organisation acted for, and the CSRF token to use',
        description: 'Asking keeps the session alive, like any other request.',
        response: { 200: CurrentSessionSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { session, csrfToken } = await signedIn(request);
      const caller = await sessions.callerOf(session, request.ip);
      return {
        sessionId: session.id,
        user: { id: caller.id, displayName: caller.displayName },
        organisation: { odsCode: session.odsCode, name: caller.organisation?.name ?? session.odsCode },
        roles: [...caller.roles],
        purposeOfUse: caller.purposeOfUse,
        ...(caller.launchContextNhsNumber === undefined ? {} : { launchContextNhsNumber: caller.launchContextNhsNumber }),
        ...(caller.ownNhsNumber === undefined ? {} : { ownNhsNumber: caller.ownNhsNumber }),
        csrfToken,
        csrfHeader: CSRF_HEADER,
        idleExpiresAt: session.idleExpiresAt.toISOString(),
        absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/auth/sign-out',
    {
      schema: {
        tags: ['authentication'],
        summary: 'End this session',
        description: `Needs the ${CSRF_HEADER} header like any state-changing request. Signing out of a session that has already ended (or without one) just clears the cookie.`,
        headers: csrfHeaders,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const token = sessionCookieOf(request, settings);
      if (token !== undefined) {
        checkCsrf(request, settings.publicOrigin, csrfTokenOf(token));
        if (isWellFormedSessionToken(token)) {
          await sessions.signOut(sessionIdOf(token));
        }
      }
      clearSessionCookie(reply, settings);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/sign-out-everywhere',
    {
      config: { policy: { kind: 'session' } },
      schema: {
        tags: ['authentication'],
        summary: "End all the user's sessions, on every device and in every organisation",
        headers: csrfHeaders,
        response: {
          200: Type.Object({ endedSessions: Type.Integer({ description: 'How many sessions ended, this one included' }) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { session } = await signedIn(request);
      const endedSessions = await sessions.signOutEverywhere(session.userId);
      clearSessionCookie(reply, settings);
      return { endedSessions };
    },
  );

  app.get(
    '/auth/sessions',
    {
      config: { policy: { kind: 'session' } },
      schema: {
        tags: ['authentication'],
        summary: "The signed-in user's live sessions, most recently active first",
        response: { 200: SessionListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { session: current } = await signedIn(request);
      const live = await sessions.live(current.userId);
      return {
        sessions: live.map((session) => ({
          id: session.id,
          current: session.id === current.id,
          odsCode: session.odsCode,
          createdAt: session.createdAt.toISOString(),
          lastSeenAt: session.lastSeenAt.toISOString(),
          idleExpiresAt: session.idleExpiresAt.toISOString(),
          absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
          ...(session.clientAddress === undefined ? {} : { clientAddress: session.clientAddress }),
          ...(session.userAgent === undefined ? {} : { userAgent: session.userAgent }),
        })),
      };
    },
  );

  app.delete(
    '/auth/sessions/:sessionId',
    {
      config: { policy: { kind: 'session' } },
      schema: {
        tags: ['authentication'],
        summary: 'End one of the signed-in user’s sessions (for example on a lost device)',
        params: Type.Object({ sessionId: Type.String({ pattern: SESSION_ID_PATTERN }) }),
        headers: csrfHeaders,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { session: current } = await signedIn(request);
      const { sessionId } = request.params;
      const ended = await sessions.end(current.userId, sessionId);
      if (!ended) throw new AppError('not-found', `You have no live session ${sessionId}.`);
      if (sessionId === current.id) clearSessionCookie(reply, settings);
      return reply.code(204).send(null);
    },
  );
};
