import type { Bundle } from '@medplum/fhirtypes';
import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import smart from 'fhirclient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions/session-store.js';
import { csrfTokenOf } from '../../src/auth/sessions/session-token.js';
import { registerSmartClient } from '../../src/smart/smart-client-store.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { createPlanTestKit, HOSPICE, publishedPlan, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { expectValidFhir } from '../support/fhir-validation.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A browser, reduced to what a redirect dance needs: cookies per host and manual redirects. */
class Browser {
  readonly #cookies = new Map<string, Map<string, string>>();

  async visit(url: string, maxHops = 20): Promise<{ url: string; status: number; body: string }> {
    let current = url;
    for (let hop = 0; hop < maxHops; hop++) {
      const host = new URL(current).host;
      const jar = this.#cookies.get(host) ?? new Map<string, string>();
      this.#cookies.set(host, jar);
      const response = await fetch(current, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const [name = '', value = ''] = pair.split('=');
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name.trim());
        else jar.set(name.trim(), value);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).href;
        continue;
      }
      return { url: current, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  setCookie(origin: string, name: string, value: string): void {
    const host = new URL(origin).host;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.#cookies.set(host, jar);
  }
}

describe(`SMART App Launch 2: an app launched from the platform with fhirclient on ${backend}`, () => {
  let kit: PlanTestKit;
  let platform: string;
  let app: Server;
  let appOrigin: string;
  const storage = new Map<string, unknown>();
  const results: {
    patient: string | undefined;
    organisation: unknown;
    carePlans: unknown;
    flags: unknown;
    tokenPatient: unknown;
    scope: unknown;
  }[] = [];

  beforeAll(async () => {
    const port = await freePort();
    platform = `http://127.0.0.1:${port}`;
    kit = await createPlanTestKit({ env: { PORT: String(port), UCP_PUBLIC_URL: platform } });
    await kit.test.app.listen({ port, host: '127.0.0.1' });
    // The SMART app: /launch starts the authorization with fhirclient, /callback completes it and reads.
    const fhirStorage = {
      get: async (key: string) => storage.get(key),
      set: async (key: string, value: unknown) => void storage.set(key, value),
      unset: async (key: string) => storage.delete(key),
    };
    app = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const api = smart(request, response, fhirStorage as never);
      if (path === '/launch') {
        void api.authorize({ clientId: 'plan-viewer', scope: 'launch openid fhirUser user/*.rs', redirectUri: '/callback' });
        return;
      }
      void api
        .ready()
        .then(async (client) => {
          results.push({
            patient: client.patient.id ?? undefined,
            organisation: await client.request('Organization/CPHOS1'),
            carePlans: await client.request(`CarePlan?patient=${client.patient.id ?? ''}`),
            flags: await client.request(`Flag?patient=${client.patient.id ?? ''}`),
            tokenPatient: client.state.tokenResponse?.patient,
            scope: client.state.tokenResponse?.scope,
          });
          response.writeHead(200).end('ready');
        })
        .catch((error: unknown) => response.writeHead(500).end(String(error)));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    await registerSmartClient(kit.test.database.db, {
      clientId: 'plan-viewer',
      name: 'Plan viewer (a SMART app)',
      redirectUris: [`${appOrigin}/callback`],
      scopes: ['launch', 'launch/patient', 'openid', 'fhirUser', 'user/*.rs', 'patient/*.rs'],
      tokenEndpointAuthMethod: 'none',
      jwksUrl: undefined,
      launchUrl: `${appOrigin}/launch`,
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => app.close(resolve));
    await kit.close();
  });

  it('publishes its SMART configuration: PKCE S256 only, v2 scopes, EHR and standalone launch', async () => {
    const response = await fetch(`${platform}/fhir/.well-known/smart-configuration`);
    const configuration = (await response.json()) as Record<string, unknown>;
    expect(configuration).toMatchObject({
      issuer: `${platform}/smart`,
      code_challenge_methods_supported: ['S256'],
      capabilities: expect.arrayContaining(['launch-ehr', 'launch-standalone', 'permission-v2', 'context-ehr-patient']),
      scopes_supported: expect.arrayContaining(['patient/*.rs', 'user/*.rs', 'launch/patient', 'openid', 'fhirUser']),
    });
  });

  it('completes an EHR launch with fhirclient 2.6.3: the token names the patient, and reads their CarePlan and Flags with it', async () => {
    const db = kit.test.database.db;
    const user = await createUser(db, { displayName: 'Dr Launch', email: 'launch@hospice.example' });
    await addMembership(db, user.id, HOSPICE.odsCode, ['clinician']);
    const nhsNumber = nextTestNhsNumber();
    await publishedPlan(kit, nhsNumber);
    const { token } = await createSession(db, { userId: user.id, odsCode: HOSPICE.odsCode }, kit.test.services.sessions.settings);
    const cookieName = kit.test.services.sessions.settings.cookieName;
    const launched = await fetch(`${platform}/smart/launches`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `${cookieName}=${token}`,
        origin: platform,
        'x-csrf-token': csrfTokenOf(token),
      },
      body: JSON.stringify({ clientId: 'plan-viewer', nhsNumber }),
    });
    expect(launched.status, await launched.clone().text()).toBe(201);
    const { url } = (await launched.json()) as { url: string };
    expect(url).toContain(`iss=${encodeURIComponent(`${platform}/fhir`)}`);

    const browser = new Browser();
    browser.setCookie(platform, cookieName, token);
    const landed = await browser.visit(url);
    expect(landed, landed.body).toMatchObject({ status: 200, body: 'ready' });
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result?.patient).toBe(nhsNumber);
    expect(result?.tokenPatient).toBe(nhsNumber);
    expect(String(result?.scope)).toContain('user/*.rs');
    expect(result?.organisation).toMatchObject({ resourceType: 'Organization', id: 'CPHOS1' });
    expectValidFhir(result?.organisation, { mustSupport: true });
    const carePlans = result?.carePlans as Bundle;
    expectValidFhir(carePlans, { mustSupport: true });
    expect(carePlans.entry?.map((entry) => entry.resource)).toEqual([
      expect.objectContaining({
        resourceType: 'CarePlan',
        status: 'active',
        subject: expect.objectContaining({ identifier: expect.objectContaining({ value: nhsNumber }) }),
      }),
    ]);
    const flags = result?.flags as Bundle;
    expectValidFhir(flags, { mustSupport: true });
    expect(flags.entry?.map((entry) => entry.resource?.resourceType)).toEqual(['Flag', 'Flag']);
  });

  it('refuses an authorization request without PKCE', async () => {
    const browser = new Browser();
    const refused = await browser.visit(
      `${platform}/smart/auth?response_type=code&client_id=plan-viewer&redirect_uri=${encodeURIComponent(`${appOrigin}/callback`)}&scope=openid&state=x`,
    );
    expect(refused.url).not.toContain('code=');
    expect(`${refused.url} ${refused.body}`).toMatch(/code_challenge|PKCE/i);
  });
});
