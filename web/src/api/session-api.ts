import type { Static } from 'typebox';
import type { SignedIn, SignInBody } from '../../../src/auth/local/local-sign-in-schemas';
import type { ProviderListSchema } from '../../../src/auth/oidc/oidc-schemas';
import type { CurrentSessionSchema } from '../../../src/auth/sessions/session-schemas';
import { getJson, request, rememberCsrfToken } from './http';

/** GET /auth/session: who is signed in, for which organisation, and until when (its schema: src/auth/sessions/session-schemas.ts). */
export type Session = Static<typeof CurrentSessionSchema>;

/** An identity provider to offer on the sign-in page (GET /auth/oidc/providers). */
export type IdentityProvider = Static<typeof ProviderListSchema>['providers'][number];

/** What POST /auth/sign-in takes. */
export type SignInRequest = Static<typeof SignInBody>;

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
  const answer = await request<Static<typeof SignedIn>>('/auth/sign-in', { method: 'POST', body: details, expectUnauthenticated: true });
  rememberCsrfToken(answer.body.csrfToken);
  return currentSession();
}

export async function signOut(everywhere = false): Promise<void> {
  await request(everywhere ? '/auth/sign-out-everywhere' : '/auth/sign-out', { method: 'POST', expectUnauthenticated: true });
  rememberCsrfToken(undefined);
}

export async function identityProviders(): Promise<IdentityProvider[]> {
  return (await getJson<Static<typeof ProviderListSchema>>('/auth/oidc/providers', { expectUnauthenticated: true })).providers;
}

/** Where single sign-on with a provider starts, returning to `returnTo` (a path of this app). */
export function singleSignOnUrl(provider: IdentityProvider, returnTo: string): string {
  return `${provider.loginUrl}?${new URLSearchParams({ returnTo }).toString()}`;
}
