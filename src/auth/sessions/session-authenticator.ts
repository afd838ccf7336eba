import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../access/caller.js';
import type { Queryable } from '../../db/database.js';
import { callerForMember } from '../../users/user-store.js';
import type { SessionSettings } from './session-settings.js';
import { sessionOfRequest } from './session-request.js';

/**
 * Turns a request into the Caller its session cookie stands for; undefined when it has no
 * session cookie (or sends an Authorization header), so the route layer tries the bearer
 * authenticator next. Throws 401 for an ended session, 403 for a failed CSRF check or a user no
 * longer a member of the session's organisation.
 */
export type SessionAuthenticator = (request: FastifyRequest) => Promise<Caller | undefined>;

export function createSessionAuthenticator(db: Queryable, settings: SessionSettings): SessionAuthenticator {
  return async (request) => {
    const current = await sessionOfRequest(db, settings, request);
    if (!current) return undefined;
    const { session, member } = current;
    return callerForMember(member, session.userId, session.odsCode, {
      sessionId: session.id,
      clientAddress: request.ip,
      purposeOfUse: session.purposeOfUse,
      launchContextNhsNumber: session.launchContextNhsNumber,
    });
  };
}
