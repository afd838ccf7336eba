import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { whenActive, whenSignedOut } from '../api/http';
import { currentSession, signOut as endSession, type Session } from '../api/session-api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'idle' | 'ended' | 'signed-out' }
  | { status: 'signed-in'; session: Session; idleExpiresAt: number };

interface SessionContextValue {
  state: SessionState;
  /** Asks the server who is signed in (after sign-in, or to stay signed in). */
  refresh(): Promise<void>;
  signOut(everywhere?: boolean): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** Holds who is signed in, and notices when the server's session ends (idle, signed out elsewhere). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const idleWindow = useRef(15 * 60_000);

  const refresh = useCallback(() => {
    const asked = Date.now();
    return currentSession().then(
      (session) => {
        if (!session) return setState({ status: 'signed-out' });
        const idleExpiresAt = Date.parse(session.idleExpiresAt);
        idleWindow.current = Math.max(60_000, idleExpiresAt - asked);
        setState({ status: 'signed-in', session, idleExpiresAt });
      },
      () => setState({ status: 'signed-out' }),
    );
  }, []);

  useEffect(() => {
    void refresh();
    whenSignedOut(() => setState((current) => (current.status === 'signed-in' ? { status: 'signed-out', reason: 'ended' } : current)));
    // Every answer from the server moves the idle deadline on, as the server does.
    whenActive(() =>
      setState((current) => (current.status === 'signed-in' ? { ...current, idleExpiresAt: Date.now() + idleWindow.current } : current)),
    );
    return () => {
      whenSignedOut(undefined);
      whenActive(undefined);
    };
  }, [refresh]);

  const signOut = useCallback(async (everywhere = false) => {
    try {
      await endSession(everywhere);
    } finally {
      setState({ status: 'signed-out', reason: 'signed-out' });
    }
  }, []);

  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    const timer = window.setTimeout(
      () => setState({ status: 'signed-out', reason: 'idle' }),
      Math.max(0, state.idleExpiresAt - Date.now()),
    );
    return () => window.clearTimeout(timer);
  }, [state]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a SessionProvider');
  return value;
}

/** The signed-in session; only for pages under RequireSignIn. */
export function useSignedIn(): Session {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn outside a signed-in page');
  return state.session;
}

export function hasRole(session: Session, ...roles: string[]): boolean {
  return session.roles.some((role) => roles.includes(role));
}
