import Fastify, { type LightMyRequestResponse } from 'fastify';
import { sessionRoutes } from '../../../src/auth/sessions/session-routes.js';
import { SessionService } from '../../../src/auth/sessions/session-service.js';
import { sessionSettings } from '../../../src/auth/sessions/session-settings.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenOf } from '../../../src/auth/sessions/session-token.js';
import { testNhsNumber } from '../../../src/nhs/nhs-number.js';
import { createLocalAccount, setPassword } from '../../../src/users/local-accounts.js';
import { disableUser, removeMembership } from '../../../src/users/user-store.js';
import { backend, createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import {
  ambulance,
  createClinician,
  createSessionTestApp,
  HTTP_URL,
  HTTPS_URL,
  practice,
  seedOrganisations,
  setCookieHeader,
  TestClock,
} from './session-test-app.js';

type TestApp = Awaited<ReturnType<typeof createSessionTestApp>>;
type Method = 'GET' | 'POST' | 'DELETE';

interface SignedIn {
  token: string;
  csrfToken: string;
  sessionId: string;
}

const TLS_COOKIE = '__Host-ucp_session';
const PLAIN_COOKIE = 'ucp_session';

function problem(response: LightMyRequestResponse): { status: number; code: string; detail: string } {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return response.json<{ status: number; code: string; detail: string }>();
}

describe(`web app sessions over HTTP on ${backend}`, () => {
  let database: TestDatabase;
  let clock: TestClock;
  let test: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedOrganisations(database.db);
    clock = new TestClock();
    test = await createSessionTestApp(database.db, { clock: clock.now });
  });
  afterAll(async () => {
    await test.app.close();
    await database.drop();
  });

  async function signIn(app: TestApp, userId: string, odsCode = ambulance.odsCode, cookies: Record<string, string> = {}) {
    const response = await app.app.inject({ method: 'POST', url: '/test/sign-in', payload: { userId, odsCode }, cookies });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((candidate) => candidate.name === app.settings.cookieName);
    if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(response.headers['set-cookie'])}`);
    const body = response.json<{ sessionId: string; csrfToken: string; callerSessionId: string }>();
    expect(body.callerSessionId).toBe(body.sessionId);
    return { response, signedIn: { token: cookie.value, csrfToken: body.csrfToken, sessionId: body.sessionId } };
  }

  /** A request as the web app sends it: the cookie, its own origin, and the CSRF token for unsafe methods. */
  function send(session: SignedIn, method: Method, url: string, headers: Record<string, string | undefined> = {}, app: TestApp = test) {
    const defaults: Record<string, string> =
      method === 'GET' ? {} : { origin: app.settings.publicOrigin, 'x-csrf-token': session.csrfToken };
    const merged = Object.fromEntries(
      Object.entries({ ...defaults, ...headers }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return app.app.inject({ method, url, headers: merged, cookies: { [app.settings.cookieName]: session.token } });
  }

  describe('the cookie', () => {
    it('is __Host-ucp_session, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, for the absolute lifetime, under TLS', async () => {
      const user = await createClinician(database.db);
      const { response } = await signIn(test, user.id);
      const header = setCookieHeader(response, TLS_COOKIE);
      expect(header).toBeDefined();
      const attributes = (header ?? '').split(/;\s*/).slice(1);
      expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Lax', 'Secure']);
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('is ucp_session without Secure when not served over TLS', async () => {
      const plain = await createSessionTestApp(database.db, { publicUrl: HTTP_URL, clock: clock.now });
      try {
        expect(plain.settings.tls).toBe(false);
        const user = await createClinician(database.db);
        const { response, signedIn } = await signIn(plain, user.id);
        expect(setCookieHeader(response, TLS_COOKIE)).toBeUndefined();
        const attributes = (setCookieHeader(response, PLAIN_COOKIE) ?? '').split(/;\s*/).slice(1);
        expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Lax']);
        const whoami = await send(signedIn, 'GET', '/auth/session', {}, plain);
        expect(whoami.statusCode).toBe(200);
        // A __Host- cookie is not what this server reads.
        const wrongName = await plain.app.inject({ method: 'GET', url: '/auth/session', cookies: { [TLS_COOKIE]: signedIn.token } });
        expect(wrongName.statusCode).toBe(401);
      } finally {
        await plain.app.close();
      }
    });

    it('follows the TLS option over the URL scheme (TLS terminated by a proxy), with a shorter absolute lifetime', async () => {
      const proxied = await createSessionTestApp(database.db, {
        publicUrl: HTTP_URL,
        tls: true,
        absoluteTimeoutHours: 8,
        clock: clock.now,
      });
      try {
        const user = await createClinician(database.db);
        const { response } = await signIn(proxied, user.id);
        const attributes = (setCookieHeader(response, TLS_COOKIE) ?? '').split(/;\s*/).slice(1);
        expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Lax', 'Secure']);
      } finally {
        await proxied.app.close();
      }
    });

    it('carries a token the database never holds in clear', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      const { rows } = await database.db.query('SELECT * FROM user_session WHERE user_id = $1', [user.id]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(signedIn.token);
      expect(JSON.stringify(rows)).not.toContain(signedIn.csrfToken);
      expect(rows[0]?.['id']).toBe(signedIn.sessionId);
    });
  });

  describe('who am I', () => {
    it('says who is signed in, for which organisation, with which roles, the CSRF token and the expiry', async () => {
      const user = await createClinician(database.db, 'Dr Whoami');
      const { signedIn } = await signIn(test, user.id);
      const response = await send(signedIn, 'GET', '/auth/session');
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const now = clock.now().getTime();
      expect(response.json()).toEqual({
        sessionId: signedIn.sessionId,
        user: { id: user.id, displayName: 'Dr Whoami' },
        organisation: { odsCode: ambulance.odsCode, name: ambulance.name },
        roles: ['clinician'],
        purposeOfUse: 'direct-care',
        csrfToken: signedIn.csrfToken,
        csrfHeader: 'x-csrf-token',
        idleExpiresAt: new Date(now + 15 * 60_000).toISOString(),
        absoluteExpiresAt: new Date(now + 12 * 3_600_000).toISOString(),
      });
      expect(signedIn.csrfToken).toBe(csrfTokenOf(signedIn.token));
    });

    it('gives the roles of the organisation chosen at sign-in only, and the launch context', async () => {
      const user = await createClinician(database.db);
      const nhsNumber = testNhsNumber(7);
      const response = await test.app.inject({
        method: 'POST',
        url: '/test/sign-in',
        payload: { userId: user.id, odsCode: practice.odsCode, launchContextNhsNumber: nhsNumber },
      });
      const token = response.cookies.find((cookie) => cookie.name === TLS_COOKIE)?.value ?? '';
      const whoami = await test.app.inject({ method: 'GET', url: '/auth/session', cookies: { [TLS_COOKIE]: token } });
      expect(whoami.json()).toMatchObject({
        organisation: { odsCode: practice.odsCode },
        roles: ['viewer'],
        launchContextNhsNumber: nhsNumber,
      });
    });

    it('is 401 problem+json without a session cookie, and for a made-up one', async () => {
      const none = await test.app.inject({ method: 'GET', url: '/auth/session' });
      expect(none.statusCode).toBe(401);
      expect(problem(none)).toMatchObject({ code: 'unauthenticated', detail: expect.stringContaining('no session cookie') });
      const madeUp = await test.app.inject({ method: 'GET', url: '/auth/session', cookies: { [TLS_COOKIE]: 'x'.repeat(43) } });
      expect(madeUp.statusCode).toBe(401);
      expect(problem(madeUp).detail).toMatch(/not valid or has been signed out/);
    });

    it('hands the route layer a user Caller carrying the session id', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      const response = await send(signedIn, 'GET', '/test/protected');
      expect(response.json()).toEqual({ kind: 'user', id: user.id, odsCode: 'RRU', sessionId: signedIn.sessionId, roles: ['clinician'] });
    });
  });

  describe('timeouts', () => {
    it('ends a session idle for 15 minutes', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      clock.advanceMinutes(15);
      const response = await send(signedIn, 'GET', '/test/protected');
      expect(response.statusCode).toBe(401);
      expect(problem(response).detail).toBe('The session ended after 15 minutes without activity; sign in again.');
    });

    it('keeps an active session alive past the idle timeout (slide)', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      for (let step = 0; step < 4; step += 1) {
        clock.advanceMinutes(10);
        expect((await send(signedIn, 'GET', '/test/protected')).statusCode).toBe(200);
      }
      const whoami = await send(signedIn, 'GET', '/auth/session');
      expect(whoami.json<{ idleExpiresAt: string }>().idleExpiresAt).toBe(new Date(clock.now().getTime() + 15 * 60_000).toISOString());
    });

    it('ends a session at its absolute expiry however active', async () => {
      const short = await createSessionTestApp(database.db, { absoluteTimeoutHours: 1, clock: clock.now });
      try {
        const user = await createClinician(database.db);
        const { signedIn } = await signIn(short, user.id);
        for (let step = 0; step < 5; step += 1) {
          clock.advanceMinutes(10);
          expect((await send(signedIn, 'GET', '/test/protected', {}, short)).statusCode).toBe(200);
        }
        clock.advanceMinutes(10);
        const response = await send(signedIn, 'GET', '/test/protected', {}, short);
        expect(response.statusCode).toBe(401);
        expect(problem(response).detail).toBe('The session reached its maximum length of 1 hour; sign in again.');
      } finally {
        await short.app.close();
      }
    });
  });

  describe('ending sessions', () => {
    it('signs out: the session ends and the cookie is cleared', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      const response = await send(signedIn, 'POST', '/auth/sign-out');
      expect(response.statusCode).toBe(204);
      expect(setCookieHeader(response, TLS_COOKIE)).toMatch(/^__Host-ucp_session=; Max-Age=0; Path=\/;.*HttpOnly; Secure; SameSite=Lax/);
      const after = await send(signedIn, 'GET', '/test/protected');
      expect(after.statusCode).toBe(401);
      // Signing out again, or without a session, just clears the cookie.
      expect((await send(signedIn, 'POST', '/auth/sign-out')).statusCode).toBe(204);
      expect((await test.app.inject({ method: 'POST', url: '/auth/sign-out' })).statusCode).toBe(204);
    });

    it('refuses a forged sign-out', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      const forged = await send(signedIn, 'POST', '/auth/sign-out', { origin: 'https://evil.example', 'x-csrf-token': undefined });
      expect(forged.statusCode).toBe(403);
      expect((await send(signedIn, 'GET', '/test/protected')).statusCode).toBe(200);
    });

    it('signs out everywhere: both of two sessions end, and only that user’s', async () => {
      const user = await createClinician(database.db);
      const bystander = await createClinician(database.db, 'Bystander');
      const laptop = (await signIn(test, user.id)).signedIn;
      const phone = (await signIn(test, user.id, practice.odsCode)).signedIn;
      const theirs = (await signIn(test, bystander.id)).signedIn;
      const response = await send(phone, 'POST', '/auth/sign-out-everywhere');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ endedSessions: 2 });
      expect(setCookieHeader(response, TLS_COOKIE)).toMatch(/Max-Age=0/);
      expect((await send(laptop, 'GET', '/test/protected')).statusCode).toBe(401);
      expect((await send(phone, 'GET', '/test/protected')).statusCode).toBe(401);
      expect((await send(theirs, 'GET', '/test/protected')).statusCode).toBe(200);
    });

    it("lists the user's sessions and ends one of them", async () => {
      const user = await createClinician(database.db);
      const laptop = (await signIn(test, user.id)).signedIn;
      const phone = (await signIn(test, user.id)).signedIn;
      const list = await send(laptop, 'GET', '/auth/sessions');
      expect(list.statusCode).toBe(200);
      const sessions = list.json<{ sessions: { id: string; current: boolean }[] }>().sessions;
      expect(sessions.map((session) => [session.id, session.current]).sort()).toEqual(
        [
          [laptop.sessionId, true],
          [phone.sessionId, false],
        ].sort(),
      );
      const ended = await send(laptop, 'DELETE', `/auth/sessions/${phone.sessionId}`);
      expect(ended.statusCode).toBe(204);
      expect(setCookieHeader(ended, TLS_COOKIE)).toBeUndefined();
      expect((await send(phone, 'GET', '/test/protected')).statusCode).toBe(401);
      expect((await send(laptop, 'GET', '/test/protected')).statusCode).toBe(200);
      const again = await send(laptop, 'DELETE', `/auth/sessions/${phone.sessionId}`);
      expect(again.statusCode).toBe(404);
    });

    it("cannot end another user's session", async () => {
      const user = await createClinician(database.db);
      const other = await createClinician(database.db, 'Other');
      const mine = (await signIn(test, user.id)).signedIn;
      const theirs = (await signIn(test, other.id)).signedIn;
      expect((await send(mine, 'DELETE', `/auth/sessions/${theirs.sessionId}`)).statusCode).toBe(404);
      expect((await send(theirs, 'GET', '/test/protected')).statusCode).toBe(200);
    });

    it('ends the session the browser had when it signs in again (no session fixation)', async () => {
      const user = await createClinician(database.db);
      const first = (await signIn(test, user.id)).signedIn;
      const second = (await signIn(test, user.id, ambulance.odsCode, { [TLS_COOKIE]: first.token })).signedIn;
      expect(second.token).not.toBe(first.token);
      expect((await send(first, 'GET', '/test/protected')).statusCode).toBe(401);
      expect((await send(second, 'GET', '/test/protected')).statusCode).toBe(200);
    });

    it('ends sessions when the password changes', async () => {
      const user = await createClinician(database.db);
      await createLocalAccount(
        database.db,
        { userId: user.id, username: `pw.${user.id.slice(0, 8)}`, password: 'silver orchard beacon 31' },
        clock.now(),
      );
      const { signedIn } = await signIn(test, user.id);
      clock.advanceMinutes(1);
      await setPassword(database.db, user.id, 'velvet thunder marble 64', clock.now());
      const response = await send(signedIn, 'GET', '/test/protected');
      expect(response.statusCode).toBe(401);
      expect(problem(response).detail).toMatch(/password was changed/);
    });

    it('refuses a disabled user, at sign-in and with a session already open', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      await disableUser(database.db, user.id);
      const response = await send(signedIn, 'GET', '/test/protected');
      expect(response.statusCode).toBe(401);
      expect(problem(response).detail).toMatch(/disabled/);
      const again = await test.app.inject({
        method: 'POST',
        url: '/test/sign-in',
        payload: { userId: user.id, odsCode: ambulance.odsCode },
      });
      expect(again.statusCode).toBe(403);
      expect(setCookieHeader(again, TLS_COOKIE)).toBeUndefined();
    });

    it('refuses a user no longer a member of the organisation the session acts for', async () => {
      const user = await createClinician(database.db);
      const { signedIn } = await signIn(test, user.id);
      await removeMembership(database.db, user.id, ambulance.odsCode);
      const response = await send(signedIn, 'GET', '/test/protected');
      expect(response.statusCode).toBe(403);
      expect(problem(response).detail).toMatch(/not a member/);
    });
  });

  it('refuses to start without @fastify/cookie', async () => {
    const bare = Fastify();
    await expect(
      bare.register(sessionRoutes, { sessions: new SessionService(database.db, sessionSettings({ publicUrl: HTTPS_URL })) }),
    ).rejects.toThrow(/need @fastify\/cookie/);
    await bare.close();
  });

  describe('CSRF protection', () => {
    let signedIn: SignedIn;
    beforeAll(async () => {
      const user = await createClinician(database.db, 'CSRF Target');
      signedIn = (await signIn(test, user.id)).signedIn;
    });

    it('refuses a POST without the x-csrf-token header', async () => {
      const response = await send(signedIn, 'POST', '/test/protected', { 'x-csrf-token': undefined });
      expect(response.statusCode).toBe(403);
      expect(problem(response)).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('must carry the header x-csrf-token') });
    });

    it('refuses a wrong token, including the token of another session', async () => {
      const wrong = await send(signedIn, 'POST', '/test/protected', { 'x-csrf-token': 'not-the-token' });
      expect(wrong.statusCode).toBe(403);
      expect(problem(wrong).detail).toMatch(/does not match this session's CSRF token/);
      const other = await createClinician(database.db);
      const otherSession = (await signIn(test, other.id)).signedIn;
      const swapped = await send(signedIn, 'DELETE', '/test/protected', { 'x-csrf-token': otherSession.csrfToken });
      expect(swapped.statusCode).toBe(403);
    });

    it('refuses another origin, a null origin, or no origin and no referer', async () => {
      const evil = await send(signedIn, 'POST', '/test/protected', { origin: 'https://evil.example' });
      expect(evil.statusCode).toBe(403);
      expect(problem(evil).detail).toMatch(/comes from "https:\/\/evil.example", not from https:\/\/ucp.test.example/);
      // Same host, another scheme or port, is another origin.
      expect((await send(signedIn, 'POST', '/test/protected', { origin: 'http://ucp.test.example' })).statusCode).toBe(403);
      expect((await send(signedIn, 'POST', '/test/protected', { origin: 'https://ucp.test.example:8443' })).statusCode).toBe(403);
      expect((await send(signedIn, 'POST', '/test/protected', { origin: 'null' })).statusCode).toBe(403);
      const none = await send(signedIn, 'POST', '/test/protected', { origin: undefined });
      expect(none.statusCode).toBe(403);
      expect(problem(none).detail).toMatch(/sends neither/);
      const evilReferer = await send(signedIn, 'POST', '/test/protected', { origin: undefined, referer: 'https://evil.example/page' });
      expect(evilReferer.statusCode).toBe(403);
    });

    it('accepts the right token from the right origin (or referer when there is no Origin)', async () => {
      const response = await send(signedIn, 'POST', '/test/protected');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ kind: 'user', sessionId: signedIn.sessionId });
      const byReferer = await send(signedIn, 'DELETE', '/test/protected', { origin: undefined, referer: `${HTTPS_URL}/plans/123` });
      expect(byReferer.statusCode).toBe(200);
    });

    it('never blocks GET', async () => {
      const response = await send(signedIn, 'GET', '/test/protected', { origin: 'https://evil.example', 'x-csrf-token': 'wrong' });
      expect(response.statusCode).toBe(200);
      expect((await send(signedIn, 'GET', '/auth/session', { referer: 'https://evil.example/' })).statusCode).toBe(200);
    });

    it('does not check requests authenticated with a bearer token, even with a cookie beside it', async () => {
      const token = await test.bearerToken();
      const bare = await test.app.inject({
        method: 'POST',
        url: '/test/protected',
        headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
      });
      expect(bare.statusCode).toBe(200);
      expect(bare.json()).toMatchObject({ kind: 'client', id: 'integration-test' });
      const withCookie = await send(signedIn, 'POST', '/test/protected', {
        authorization: `Bearer ${token}`,
        origin: undefined,
        'x-csrf-token': undefined,
      });
      expect(withCookie.statusCode).toBe(200);
      expect(withCookie.json()).toMatchObject({ kind: 'client', id: 'integration-test' });
      expect(withCookie.json()).not.toHaveProperty('sessionId');
      // The cookie is not a fallback for a bad Authorization header.
      const badBearer = await send(signedIn, 'POST', '/test/protected', { authorization: 'Bearer nonsense' });
      expect(badBearer.statusCode).toBe(401);
    });

    it('checks CSRF before the session is touched, so a forged request does not keep it alive', async () => {
      const user = await createClinician(database.db);
      const victim = (await signIn(test, user.id)).signedIn;
      clock.advanceMinutes(10);
      expect((await send(victim, 'POST', '/test/protected', { origin: 'https://evil.example' })).statusCode).toBe(403);
      clock.advanceMinutes(6);
      expect((await send(victim, 'GET', '/test/protected')).statusCode).toBe(401);
    });
  });
});
