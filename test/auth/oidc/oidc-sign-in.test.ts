import { calculatePKCECodeChallenge } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf } from '../../../src/access/roles.js';
import { DEMO_USERS, type DemoUser } from '../../../src/demo/demo-people.js';
import { callerForUser, findUserByEmail, membershipsOf } from '../../../src/users/user-store.js';
import { backend } from '../../support/test-database.js';
import { journeyToCallback, startOidcTestServer, type OidcTestServer } from './oidc-test-server.js';
import { redirectTarget, TestBrowser } from './test-browser.js';

/** Claims an organisation no one has registered here. */
const STRANGER: DemoUser = {
  username: 'stranger',
  displayName: 'Sol Stranger',
  email: 'stranger@demo.ucp.invalid',
  odsCode: 'ZZZ999',
  roles: ['clinician'],
};
/** Signs in only through the provider that does not create users. */
const NEWCOMER: DemoUser = {
  username: 'newcomer',
  displayName: 'Nico Newcomer',
  email: 'newcomer@demo.ucp.invalid',
  odsCode: 'DEMOGP1',
  roles: ['viewer'],
};

/** Signs in only through the provider that authenticates with private_key_jwt. */
const KEYHOLDER: DemoUser = {
  username: 'keyholder',
  displayName: 'Kim Keyholder',
  email: 'keyholder@demo.ucp.invalid',
  odsCode: 'DEMOHSP',
  roles: ['senior-clinician'],
};

describe(`single sign-on through the embedded dev IdP on ${backend}`, () => {
  let server: OidcTestServer;

  beforeAll(async () => {
    server = await startOidcTestServer({
      accounts: [...DEMO_USERS, STRANGER, NEWCOMER, KEYHOLDER],
      extraProviders: [
        { providerId: 'dev-closed', relyingParty: { createUsers: false } },
        { providerId: 'dev-link', relyingParty: { createUsers: false, linkByVerifiedEmail: true } },
        { providerId: 'dev-jwt', clientAuthentication: 'private_key_jwt' },
      ],
    });
  });
  afterAll(() => server.close());

  /** Runs the whole flow and returns where the callback sent the browser. */
  async function signIn(username: string, options: { provider?: string; returnTo?: string } = {}) {
    const browser = new TestBrowser();
    const journey = await journeyToCallback(browser, server.baseUrl, username, options);
    const callback = await browser.get(journey.callbackUrl);
    return { browser, journey, callback, location: callback.headers.get('location') };
  }

  function refusal(location: string | null): string | null {
    if (location === null || !location.startsWith('/sign-in?')) return null;
    return new URLSearchParams(location.slice('/sign-in?'.length)).get('error');
  }

  it.each(DEMO_USERS.map((user) => [user.username, user] as const))(
    'lands the demo user %s in a session with the right organisation and role',
    async (_username, user) => {
      const before = server.signIns.length;
      const { callback, location } = await signIn(user.username);

      expect(callback.status).toBe(303);
      expect(location).toBe('/');
      expect(server.signIns).toHaveLength(before + 1);
      const signedIn = server.signIns.at(-1);
      expect(signedIn).toMatchObject({
        odsCode: user.odsCode,
        context: { method: 'oidc', provider: 'dev', roles: user.roles, createdUser: true },
      });

      const userId = signedIn?.userId ?? '';
      const memberships = await membershipsOf(server.db, userId);
      expect(memberships.map((m) => [m.organisation.odsCode, m.roles])).toEqual([[user.odsCode, user.roles]]);
      const caller = await callerForUser(server.db, { id: userId }, user.odsCode);
      expect(caller).toMatchObject({ kind: 'user', displayName: user.displayName, roles: user.roles });
      expect(caller.organisation?.odsCode).toBe(user.odsCode);
      expect(caller.permissions).toEqual(permissionsOf(user.roles));
      expect(caller.ownNhsNumber).toBe(user.nhsNumber);

      const { rows } = await server.db.query('SELECT user_id FROM external_identity WHERE provider = $1 AND subject = $2', [
        'dev',
        user.username,
      ]);
      expect(rows).toEqual([{ user_id: userId }]);

      const audit = await server.db.query(
        "SELECT outcome, actor_kind, ods_code, roles, detail FROM audit_log WHERE action = 'sign-in' AND actor_id = $1",
        [userId],
      );
      expect(audit.rows).toEqual([
        {
          outcome: 'success',
          actor_kind: 'user',
          ods_code: user.odsCode,
          roles: user.roles,
          detail: { method: 'oidc', provider: 'dev', createdUser: true },
        },
      ]);
    },
  );

  it('finds the same user at the next sign-in instead of creating another', async () => {
    await signIn('contributor');
    const first = server.signIns.at(-1);
    await signIn('contributor');
    const second = server.signIns.at(-1);
    expect(second?.userId).toBe(first?.userId);
    expect(second?.context.createdUser).toBe(false);
  });

  it('uses the authorisation code flow with PKCE (S256), state and nonce, keeping the verifier server-side', async () => {
    const browser = new TestBrowser();
    const { authorizationUrl, callbackUrl } = await journeyToCallback(browser, server.baseUrl, 'viewer');
    const query = authorizationUrl.searchParams;
    expect(authorizationUrl.pathname).toBe('/dev-idp/auth');
    expect(query.get('response_type')).toBe('code');
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('redirect_uri')).toBe(`${server.baseUrl}/auth/oidc/dev/callback`);
    expect(query.get('scope')?.split(' ')).toContain('openid');
    expect(query.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const state = query.get('state');
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { rows } = await server.db.query<{ code_verifier: string; nonce: string }>(
      'SELECT code_verifier, nonce FROM oidc_pending_login WHERE state = $1',
      [state],
    );
    const pending = rows[0];
    expect(pending?.nonce).toBe(query.get('nonce'));
    expect(await calculatePKCECodeChallenge(pending?.code_verifier ?? '')).toBe(query.get('code_challenge'));
    expect(authorizationUrl.href).not.toContain(pending?.code_verifier);

    expect((await browser.get(callbackUrl)).headers.get('location')).toBe('/');
    const after = await server.db.query('SELECT 1 FROM oidc_pending_login WHERE state = $1', [state]);
    expect(after.rows).toHaveLength(0);
  });

  it('binds the sign-in to the browser with an HttpOnly, SameSite=Lax cookie limited to the OIDC routes', async () => {
    const browser = new TestBrowser();
    const login = await browser.get(`${server.baseUrl}/auth/oidc/dev/login`);
    const cookie = login.headers.getSetCookie().find((header) => header.startsWith('ucp_oidc_login='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/auth\/oidc\//);
    expect(login.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a tampered state, and the genuine callback still works afterwards', async () => {
    const browser = new TestBrowser();
    const { callbackUrl } = await journeyToCallback(browser, server.baseUrl, 'clinician');
    const tampered = new URL(callbackUrl);
    const state = tampered.searchParams.get('state') ?? '';
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const before = server.signIns.length;

    const audited = await server.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'sign-in-failed' AND actor_id = 'anonymous'",
    );
    const refused = await browser.get(tampered.href);
    expect(refused.status).toBe(303);
    expect(refusal(refused.headers.get('location'))).toBe('state-mismatch');
    expect(server.signIns).toHaveLength(before);
    const after = await server.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'sign-in-failed' AND actor_id = 'anonymous'",
    );
    expect(after.rows[0]?.['n']).toBe(Number(audited.rows[0]?.['n']) + 1);

    expect((await browser.get(callbackUrl)).headers.get('location')).toBe('/');
    expect(server.signIns).toHaveLength(before + 1);
  });

  it('refuses a replayed callback', async () => {
    const { browser, journey, location } = await signIn('senior-clinician');
    expect(location).toBe('/');
    const count = server.signIns.length;
    const replay = await browser.get(journey.callbackUrl);
    expect(refusal(replay.headers.get('location'))).toBe('state-mismatch');
    expect(server.signIns).toHaveLength(count);
  });

  it('lets only one of two simultaneous callbacks with the same state through', async () => {
    const browser = new TestBrowser();
    const { callbackUrl } = await journeyToCallback(browser, server.baseUrl, 'clinician');
    const before = server.signIns.length;
    const answers = await Promise.all([browser.get(callbackUrl), browser.get(callbackUrl)]);
    const locations = answers.map((answer) => answer.headers.get('location'));
    expect(locations.filter((location) => location === '/')).toHaveLength(1);
    expect(locations.map(refusal).filter((code) => code === 'state-mismatch')).toHaveLength(1);
    expect(server.signIns).toHaveLength(before + 1);
  });

  it('authenticates to the token endpoint with private_key_jwt, as CIS2 expects', async () => {
    const { location } = await signIn('keyholder', { provider: 'dev-jwt' });
    expect(location).toBe('/');
    expect(server.signIns.at(-1)).toMatchObject({
      odsCode: 'DEMOHSP',
      context: { provider: 'dev-jwt', roles: ['senior-clinician'], createdUser: true },
    });
  });

  it('refuses a callback carried to another browser (login CSRF)', async () => {
    const { callbackUrl } = await journeyToCallback(new TestBrowser(), server.baseUrl, 'clinician');
    const other = await new TestBrowser().get(callbackUrl);
    expect(refusal(other.headers.get('location'))).toBe('state-mismatch');
  });

  it('refuses an unknown provider at login and at callback, naming the request', async () => {
    const browser = new TestBrowser();
    const login = await browser.get(`${server.baseUrl}/auth/oidc/nope/login`);
    expect(login.status).toBe(303);
    const location = login.headers.get('location') ?? '';
    expect(refusal(location)).toBe('unknown-provider');
    expect(new URLSearchParams(location.split('?')[1]).get('requestId')).toBeTruthy();
    const callback = await browser.get(`${server.baseUrl}/auth/oidc/nope/callback?code=x&state=y`);
    expect(refusal(callback.headers.get('location'))).toBe('unknown-provider');
  });

  it('refuses a callback for a different provider than the login was for', async () => {
    const browser = new TestBrowser();
    const { callbackUrl } = await journeyToCallback(browser, server.baseUrl, 'clinician');
    const elsewhere = callbackUrl.replace('/auth/oidc/dev/callback', '/auth/oidc/dev-closed/callback');
    expect(refusal((await browser.get(elsewhere)).headers.get('location'))).toBe('state-mismatch');
  });

  it('refuses a user whose organisation is not known here, and creates nothing', async () => {
    const before = server.signIns.length;
    const { location } = await signIn('stranger');
    expect(refusal(location)).toBe('unknown-organisation');
    expect(server.signIns).toHaveLength(before);
    expect(await findUserByEmail(server.db, STRANGER.email)).toBeUndefined();
    const { rows } = await server.db.query('SELECT 1 FROM external_identity WHERE subject = $1', ['stranger']);
    expect(rows).toHaveLength(0);
    const audit = await server.db.query(
      "SELECT outcome, actor_kind, detail FROM audit_log WHERE action = 'sign-in-failed' AND actor_id = $1",
      ['dev/stranger'],
    );
    expect(audit.rows).toEqual([
      { outcome: 'denied', actor_kind: 'anonymous', detail: { method: 'oidc', provider: 'dev', reason: 'unknown-organisation' } },
    ]);
  });

  it('reports the identity provider refusing (the person cancels at consent)', async () => {
    const browser = new TestBrowser();
    const { callbackUrl } = await journeyToCallback(browser, server.baseUrl, 'viewer', { consent: 'cancel' });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    expect(refusal((await browser.get(callbackUrl)).headers.get('location'))).toBe('identity-provider-error');
  });

  it('refuses someone unknown when the provider does not create users', async () => {
    const { location } = await signIn('newcomer', { provider: 'dev-closed' });
    expect(refusal(location)).toBe('not-registered');
    expect(await findUserByEmail(server.db, NEWCOMER.email)).toBeUndefined();
  });

  it('does not link by email unless the provider is configured to, and then only a verified one', async () => {
    await signIn('auditor');
    const viaDev = server.signIns.at(-1);
    expect(refusal((await signIn('auditor', { provider: 'dev-closed' })).location)).toBe('account-conflict');

    expect((await signIn('auditor', { provider: 'dev-link' })).location).toBe('/');
    const viaLink = server.signIns.at(-1);
    expect(viaLink?.userId).toBe(viaDev?.userId);
    expect(viaLink?.context).toMatchObject({ provider: 'dev-link', createdUser: false });
  });

  it('returns to the page the sign-in was started from, but never off-site', async () => {
    expect((await signIn('viewer', { returnTo: '/plans/9990000018?tab=cpr' })).location).toBe('/plans/9990000018?tab=cpr');
    expect((await signIn('viewer', { returnTo: '//evil.example/' })).location).toBe('/');
    expect((await signIn('viewer', { returnTo: 'https://evil.example/' })).location).toBe('/');
  });

  it('lists the configured providers for the sign-in page', async () => {
    const response = await fetch(`${server.baseUrl}/auth/oidc/providers`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { providers: { id: string; loginUrl: string }[] };
    expect(body.providers.map((provider) => provider.id)).toEqual(['dev', 'dev-closed', 'dev-link', 'dev-jwt']);
    expect(body.providers[0]?.loginUrl).toBe('/auth/oidc/dev/login');
  });

  it('publishes the dev IdP discovery document under its issuer', async () => {
    const response = await fetch(`${server.baseUrl}/dev-idp/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata['issuer']).toBe(`${server.baseUrl}/dev-idp`);
    expect(metadata['code_challenge_methods_supported']).toEqual(['S256']);
    expect(metadata['token_endpoint']).toBe(`${server.baseUrl}/dev-idp/token`);
  });

  it('shows the dev IdP sign-in page with every demo user and a development-only warning', async () => {
    const browser = new TestBrowser();
    const login = await browser.get(`${server.baseUrl}/auth/oidc/dev/login`);
    const authorization = redirectTarget(login, `${server.baseUrl}/auth/oidc/dev/login`);
    const { response } = await browser.follow(authorization?.href ?? '');
    const page = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('Never enable it in production');
    for (const user of DEMO_USERS) expect(page).toContain(`value="${user.username}"`);
    expect(page).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
  });
});
