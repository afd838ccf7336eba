import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_PASSWORD } from '../../src/demo/demo-people.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { syntheticPlans, type SyntheticPlan } from '../../src/demo/synthetic-plans.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { webAppBuilt } from '../../src/web/web-app-plugin.js';
import { createPostgresDatabase, dropPostgresDatabase, silentLogger } from '../support/test-database.js';
import { freePort } from '../process/server-process.js';

export interface E2eServer {
  url: string;
  server: RunningServer;
  close(): Promise<void>;
}

export interface E2eServerOptions {
  /** More settings, given the server's URL before it starts (an identity provider's redirect URI needs it). */
  env?: (url: string) => Promise<Record<string, string>>;
}

/**
 * The whole server as `npm start` runs it — demo dataset, demo identity provider, the built web
 * app — in this process, on a fresh store of the selected backend and a free port.
 */
export async function startE2eServer(options: E2eServerOptions = {}): Promise<E2eServer> {
  if (!webAppBuilt()) throw new Error('The web app is not built: npm run build:web (npm test does it first).');
  const serverUrl = process.env['DATABASE_URL'];
  const store = serverUrl ? await createPostgresDatabase(serverUrl) : undefined;
  const dataDir = store ? undefined : await mkdtemp(join(tmpdir(), 'ucp-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(port),
    UCP_PUBLIC_URL: url,
    UCP_DEMO: 'on',
    ...(await options.env?.(url)),
    ...(store ? { DATABASE_URL: store.url } : { DATABASE_URL: undefined, UCP_DATA_DIR: dataDir }),
  });
  const server = await startServer(config, silentLogger);
  return {
    url,
    server,
    async close() {
      await server.stop();
      if (store && serverUrl) await dropPostgresDatabase(serverUrl, store.name);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The demo plans in the order the background seeding writes them. */
export function demoPlans(today = new Date().toISOString().slice(0, 10)): SyntheticPlan[] {
  return syntheticPlans(syntheticLondoners(DEMO_PEOPLE, DEMO_SEED), { seed: DEMO_SEED, today });
}

export interface ApiSession {
  cookie: string;
  csrf: string;
}

/** Signs in through the API (not the browser) as a demo user: the cookie header and the CSRF token. */
export async function apiSignIn(url: string, username: string): Promise<ApiSession> {
  const response = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${username}: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: csrfToken };
}

/** A call to the API in a signed-in session, as the web app makes it (origin and CSRF token on changes). */
export async function apiCall(
  url: string,
  session: ApiSession,
  method: string,
  path: string,
  options: { body?: unknown; ifMatch?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; etag: string; body: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      origin: url,
      'x-csrf-token': session.csrf,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag') ?? '', body: text ? (JSON.parse(text) as unknown) : null };
}

/** Waits until the background seeding has published this person's plan (the summary answers). */
export async function waitForPublishedPlan(url: string, { cookie }: ApiSession, nhsNumber: string, timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ehr = await fetch(
      `${url}/openehr/v1/ehr?${new URLSearchParams({ subject_id: nhsNumber, subject_namespace: 'https://fhir.nhs.uk/Id/nhs-number' })}`,
      { headers: { cookie } },
    );
    if (ehr.status === 200) {
      const ehrId = ((await ehr.json()) as { ehr_id: { value: string } }).ehr_id.value;
      const summary = await fetch(`${url}/api/care-plans/${ehrId}/emergency-summary`, { headers: { cookie } });
      if (summary.status === 200) return ehrId;
    }
    if (Date.now() > deadline) throw new Error(`no published plan for ${nhsNumber} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
