import type { FastifyReply } from 'fastify';
import type { Caller, PurposeOfUse } from '../../access/caller.js';
import type { Queryable } from '../../db/database.js';
import { callerForUser } from '../../users/user-store.js';
import { sessionCookieOf, setSessionCookie } from './session-cookie.js';
import type { SessionSettings } from './session-settings.js';
import { createSession, revokeSession, type Session } from './session-store.js';
import { csrfTokenOf, isWellFormedSessionToken, sessionIdOf } from './session-token.js';

export interface StartSessionContext {
  /** The same settings the session routes were registered with. */
  settings: SessionSettings;
  /** The person in context when launched from a trusted record system (NHS number). */
  launchContextNhsNumber?: string | undefined;
  /** The purpose of use the person declared at sign-in; otherwise their roles decide. */
  purposeOfUse?: PurposeOfUse | undefined;
}

export interface StartedSession {
  caller: Caller;
  session: Session;
  /** For the sign-in response, so the web app need not ask GET /auth/session straight away. */
  csrfToken: string;
}

/**
 * Signs a person in, for the sign-in routes (local password, single sign-on) once they have
 * verified who it is: checks the user may act for the organisation (`forbidden` otherwise, as
 * `callerForUser` says), starts a session, and sets its cookie on `reply`. A session the browser
 * already had is ended first, so a session id is never carried across a sign-in (session
 * fixation). The route audits the sign-in; this does not.
 */
export async function startSession(
  reply: FastifyReply,
  db: Queryable,
  userId: string,
  odsCode: string,
  context: StartSessionContext,
): Promise<StartedSession> {
  const { settings } = context;
  const request = reply.request;
  const caller = await callerForUser(db, { id: userId }, odsCode, {
    clientAddress: request.ip,
    purposeOfUse: context.purposeOfUse,
    launchContextNhsNumber: context.launchContextNhsNumber,
  });
  const now = settings.clock();
  const previous = sessionCookieOf(request, settings);
  if (previous !== undefined && isWellFormedSessionToken(previous)) {
    await revokeSession(db, sessionIdOf(previous), { reason: 'signed-in-again', now });
  }
  const { token, session } = await createSession(
    db,
    {
      userId,
      odsCode,
      clientAddress: request.ip,
      userAgent: request.headers['user-agent'],
      launchContextNhsNumber: context.launchContextNhsNumber,
      purposeOfUse: context.purposeOfUse,
    },
    settings,
    now,
  );
  setSessionCookie(reply, settings, token, session.absoluteExpiresAt);
  // The response sets a credential: no cache may keep it.
  reply.header('cache-control', 'no-store');
  return { caller: { ...caller, sessionId: session.id }, session, csrfToken: csrfTokenOf(token) };
}
