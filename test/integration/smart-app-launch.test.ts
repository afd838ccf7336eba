import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import { parseOidcProviders } from '../../src/auth/oidc/provider-config.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { TestBrowser } from '../auth/oidc/test-browser.js';
import { createPlanTestKit, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { startTestRecordSystem, type TestRecordSystem } from './test-record-system.js';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const CLINICIAN = { sub: 'gp-7', name: 'Dr Rowan Ashby', email: 'rowan.ashby@faraway.example' };

describe(`the web app launched as a SMART app from a record system on ${backend}`, () => {
  let kit: PlanTestKit;
  let platform: string;
  let recordSystem: TestRecordSystem;
  let nhsNumber: string;
  let ehrId: string;

  beforeAll(async () => {
    const port = await freePort();
    platform = `http://127.0.0.1:${port}`;
    recordSystem = await startTestRecordSystem(CLINICIAN, {
      clientId: 'urgent-care-plan',
      clientSecret: 'record-system-secret',
      redirectUri: `${platform}/auth/oidc/faraway-gp/callback`,
    });
    const identityProviders = parseOidcProviders([
      {
        id: 'faraway-gp',
        displayName: 'Faraway GP record system',
        issuer: recordSystem.issuer,
        clientId: 'urgent-care-plan',
        clientSecret: 'record-system-secret',
        allowInsecureHttp: true,
        linkByVerifiedEmail: true,
        smartLaunch: { fhirBaseUrl: recordSystem.fhirBaseUrl },
        claims: { organisation: { from: 'fixed', odsCode: STRANGER.odsCode }, roles: { from: 'platform' } },
      },
    ]);
    kit = await createPlanTestKit({ env: { PORT: String(port), UCP_PUBLIC_URL: platform }, identityProviders });
    await kit.test.app.listen({ port, host: '127.0.0.1' });
    const db = kit.test.database.db;
    const doctor = await createUser(db, { displayName: CLINICIAN.name, email: CLINICIAN.email });
    await addMembership(db, doctor.id, STRANGER.odsCode, ['clinician']);
    nhsNumber = nextTestNhsNumber();
    ({ ehrId } = await publishedPlan(kit, nhsNumber));
    recordSystem.patients.set('p-1001', {
      resourceType: 'Patient',
      id: 'p-1001',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
      name: [{ family: 'Okafor', given: ['Grace'] }],
    });
    recordSystem.patients.set('p-no-nhs-number', { resourceType: 'Patient', id: 'p-no-nhs-number', identifier: [] });
  });
  afterAll(async () => {
    await kit.close();
    await recordSystem.close();
  });

  /** Follows the whole launch in one browser until it returns to a page of the platform that is not sign-in plumbing. */
  async function launch(iss: string, launchValue: string) {
    const browser = new TestBrowser();
    const start = `${platform}/auth/oidc/launch?${new URLSearchParams({ iss, launch: launchValue }).toString()}`;
    const { response, url } = await browser.follow(start, (next) => next.origin !== platform || next.pathname.startsWith('/auth/'));
    return { browser, response, landing: response.headers.get('location'), url };
  }

  it('signs the clinician in through the record system and lands on the person it has in context, whose plan opens', async () => {
    const { browser, landing } = await launch(recordSystem.fhirBaseUrl, recordSystem.launchFor('p-1001'));
    expect(landing).toBe(`/people/${nhsNumber}`);
    expect(recordSystem.fhirRequests).toContainEqual({ path: '/Patient/p-1001', status: 200 });
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const plan = await fetch(`${platform}/api/care-plans/${ehrId}`, { headers: { cookie } });
    expect(plan.status, await plan.clone().text()).toBe(200);
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 50 });
    expect(audit.entries.find((entry) => entry.action === 'sign-in')?.detail).toMatchObject({
      method: 'smart-launch',
      provider: 'faraway-gp',
    });
    expect(audit.entries.find((entry) => entry.action === 'read')?.detail).toMatchObject({ basis: 'launch-context' });
  });

  it('without the launch, the same clinician has no relationship with the person: the launch is what opens the plan', async () => {
    const browser = new TestBrowser();
    const { response } = await browser.follow(
      `${platform}/auth/oidc/faraway-gp/login`,
      (next) => next.origin !== platform || next.pathname.startsWith('/auth/'),
    );
    expect(response.headers.get('location')).toBe('/');
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    expect((await fetch(`${platform}/api/care-plans/${ehrId}`, { headers: { cookie } })).status).toBe(403);
  });

  it('refuses a launch from a FHIR server no record system is configured for, or for a patient without an NHS number, signing nobody in', async () => {
    for (const [what, iss, patient, error] of [
      ['an unconfigured iss', 'http://127.0.0.1:9/fhir', 'p-1001', 'unknown-provider'],
      ['a patient without an NHS number', recordSystem.fhirBaseUrl, 'p-no-nhs-number', 'claims-missing'],
    ] as const) {
      const { browser, landing } = await launch(iss, recordSystem.launchFor(patient));
      expect(landing, what).toMatch(new RegExp(`^/sign-in\\?error=${error}&`));
      expect(
        [...browser.cookies.keys()].filter((name) => name.startsWith('ucp_session')),
        what,
      ).toEqual([]);
    }
  });
});
