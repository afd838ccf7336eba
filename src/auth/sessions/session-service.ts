import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../access/caller.js';
import type { Queryable } from '../../db/database.js';
import { callerForUser } from '../../users/user-store.js';
import { sessionOfRequest, type RequestSession } from './session-request.js';
import type { SessionSettings } from './session-settings.js';
import { listActiveSessions, revokeAllSessions, revokeSession, type Session } from './session-store.js';

/**
 * A signed-in person's own web sessions: the one a request is signed in with, who it makes them,
 * the live ones, and ending one, this one or all. Starting a session is `startSession`'s.
 */
export class SessionService {
  constructor(
    private readonly db: Queryable,
    /** From `sessionSettings(…)`: the same object `startSession` is given. */
    readonly settings: SessionSettings,
  ) {}

  /** The live session the request is signed in with; undefined when it has none (see `sessionOfRequest`). */
  ofRequest(request: FastifyRequest): Promise<RequestSession | undefined> {
    return sessionOfRequest(this.db, this.settings, request);
  }

  /** Who the session makes the person, as of now. */
  callerOf(session: Session, clientAddress: string): Promise<Caller> {
    return callerForUser(this.db, { id: session.userId }, session.odsCode, {
      sessionId: session.id,
      clientAddress,
      purposeOfUse: session.purposeOfUse,
      launchContextNhsNumber: session.launchContextNhsNumber,
    });
  }

  /** Ends the session a browser signs out of (nothing when it has ended already). */
  async signOut(sessionId: string): Promise<void> {
    await revokeSession(this.db, sessionId, { reason: 'signed-out', now: this.settings.clock() });
  }

  /** Ends every session of the user, on every device and in every organisation; answers how many. */
  signOutEverywhere(userId: string): Promise<number> {
    return revokeAllSessions(this.db, userId, { reason: 'signed-out-everywhere', now: this.settings.clock() });
  }

  /** The user's live sessions, most recently active first. */
  live(userId: string): Promise<Session[]> {
    return listActiveSessions(this.db, userId, this.settings.clock());
  }

  /** Ends one of the user's own sessions; false when they have no such live session. */
  end(userId: string, sessionId: string): Promise<boolean> {
    return revokeSession(this.db, sessionId, { reason: 'ended-by-user', userId, now: this.settings.clock() });
  }
}
