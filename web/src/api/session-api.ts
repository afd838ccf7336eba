import { getJson, request, rememberCsrfToken } from './http';

/** GET /auth/session: who is signed in, for which organisation, and until when. */
export interface Session {
  sessionId: string;
  user: { id: string; displayName: string };
  organisation: { odsCode: string; name: string };
  roles: string[];
  purposeOfUse: string;
  launchContextNhsNumber?: string;
  /** A patient's own NHS number. */
  ownNhsNumber?: string;
  csrfToken: string;
  csrfHeader: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

export interface IdentityProvider {
  id: string;
  displayName: string;
  loginUrl: string;
}

export interface SignInRequest {
  username: string;
  password: string;
  totp?: string;
  organisation?: string;
  newPassword?: string;
}

/** The current session, or undefined when nobody is signed in. */
export async function currentSession(): Promise<Session | undefined> {
  try {
    const session = await getJson<Session>('/auth/session', { expectUnauthenticated: true });
    rememberCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof Error && 'status' in error && error.status === 401) return undefined;
    throw error;
  }
}

export async function signIn(details: SignInRequest): Promise<Session | undefined> {
  const answer = await request<{ csrfToken: string }>('/auth/sign-in', { method: 'POST', body: details, expectUnauthenticated: true });
  rememberCsrfToken(answer.body.csrfToken);
  return currentSession();
}

export async function signOut(everywhere = false): Promise<void> {
  await request(everywhere ? '/auth/sign-out-everywhere' : '/auth/sign-out', { method: 'POST', expectUnauthenticated: true });
  rememberCsrfToken(undefined);
}

export async function identityProviders(): Promise<IdentityProvider[]> {
  return (await getJson<{ providers: IdentityProvider[] }>('/auth/oidc/providers', { expectUnauthenticated: true })).providers;
}

/** Where single sign-on with a provider starts, returning to `returnTo` (a path of this app). */
export function singleSignOnUrl(provider: IdentityProvider, returnTo: string): string {
  return `${provider.loginUrl}?${new URLSearchParams({ returnTo }).toString()}`;
}
