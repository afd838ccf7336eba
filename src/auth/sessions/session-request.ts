import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { checkCsrf, isSafeMethod } from './csrf-check.js';
import { sessionCookieOf } from './session-cookie.js';
import type { SessionSettings } from './session-settings.js';
import type { MemberRow } from '../../users/user-store.js';
import { resolveSession, type Session, type SessionEndReason } from './session-store.js';
import { csrfTokenOf } from './session-token.js';

export interface RequestSession {
  session: Session;
  /** The user's membership of the session's organisation (`callerForMember`). */
  member: MemberRow;
  /** For the web app to send back in `x-csrf-token`. */
  csrfToken: string;
}

/**
 * The live session a request is signed in with.
 *
 * - undefined when it has no session cookie, or when it carries an Authorization header: a
 *   request with explicit credentials is judged by those alone (the bearer authenticator), so
 *   the ambient cookie neither mixes identities nor needs CSRF checks there.
 * - 403 when it changes state without passing the CSRF check (before the database is asked, so
 *   a forged request does not even keep the session alive).
 * - 401 when the cookie's session has ended, saying why.
 */
export async function sessionOfRequest(
  db: Queryable,
  settings: SessionSettings,
  request: FastifyRequest,
): Promise<RequestSession | undefined> {
  if (request.headers.authorization !== undefined) return undefined;
  const token = sessionCookieOf(request, settings);
  if (token === undefined) return undefined;
  // The token is an HMAC: made only for a request that is checked or a route that hands it out,
  // not for every read (an emergency summary never needs it).
  if (!isSafeMethod(request.method)) checkCsrf(request, settings.publicOrigin, csrfTokenOf(token));
  const resolution = await resolveSession(db, token, settings, settings.clock());
  if (resolution.status === 'ended') throw new AppError('unauthenticated', endedDetail(resolution.reason, settings));
  return {
    session: resolution.session,
    member: resolution.member,
    get csrfToken() {
      return csrfTokenOf(token);
    },
  };
}

function endedDetail(reason: SessionEndReason, settings: SessionSettings): string {
  switch (reason) {
    case 'unknown':
    case 'revoked':
      return 'The session in the cookie is not valid or has been signed out; sign in again.';
    case 'idle-timeout':
      return `The session ended after ${describeMinutes(settings.idleTimeoutMs)} without activity; sign in again.`;
    case 'absolute-timeout':
      return `The session reached its maximum length of ${describeMinutes(settings.absoluteTimeoutMs)}; sign in again.`;
    case 'user-disabled':
      return 'The session ended because the user account has been disabled.';
    case 'password-changed':
      return 'The session ended because the password was changed after it began; sign in again with the new password.';
  }
}

function describeMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
