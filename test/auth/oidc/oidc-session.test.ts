import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANISATIONS, DEMO_USERS } from '../../../src/demo/demo-people.js';
import { backend } from '../../support/test-database.js';
import { journeyToCallback, startOidcTestServer, type OidcTestServer } from './oidc-test-server.js';
import { TestBrowser } from './test-browser.js';

interface CurrentSession {
  user: { id: string; displayName: string };
  organisation: { odsCode: string; name: string };
  roles: string[];
  purposeOfUse: string;
}

/** The done-when of single sign-on, end to end with the real session starter. */
describe(`sign-in through the dev IdP into a real web session on ${backend}`, () => {
  let server: OidcTestServer;

  beforeAll(async () => {
    server = await startOidcTestServer({ sessions: 'real' });
  });
  afterAll(() => server.close());

  it.each([['clinician'], ['viewer'], ['auditor'], ['patient']])(
    'gives %s a session with the right organisation and role',
    async (username) => {
      const user = DEMO_USERS.find((candidate) => candidate.username === username);
      const browser = new TestBrowser();
      const { callbackUrl } = await journeyToCallback(browser, server.baseUrl, username);
      const callback = await browser.get(callbackUrl);
      expect(callback.headers.get('location')).toBe('/');
      expect(browser.cookies.has('ucp_session')).toBe(true);

      const response = await browser.get(`${server.baseUrl}/auth/session`);
      expect(response.status).toBe(200);
      const session = (await response.json()) as CurrentSession;
      expect(session.user.displayName).toBe(user?.displayName);
      expect(session.organisation).toEqual({
        odsCode: user?.odsCode,
        name: DEMO_ORGANISATIONS.find((organisation) => organisation.odsCode === user?.odsCode)?.name,
      });
      expect(session.roles).toEqual(user?.roles);
      expect(session.purposeOfUse).toBe(username === 'patient' ? 'self' : username === 'auditor' ? 'audit' : 'direct-care');
    },
  );

  it('has no session without signing in', async () => {
    expect((await new TestBrowser().get(`${server.baseUrl}/auth/session`)).status).toBe(401);
  });
});
