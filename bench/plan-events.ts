/**
 * Scenario 4 of the benchmark (docs/scaling.md): a plan published through one server instance
 * reaches a listener connected to another. Two UCP server processes run on one PostgreSQL
 * database; a platform administrator's server-sent event stream (`GET /api/events?topic=
 * careplan.published`) is open on instance B; plans awaiting approval are approved and published
 * through instance A by a senior clinician, one at a time at a bounded rate. Measured: from the
 * publish's 200 to the event's arrival on B (signed: negative when B had the event before A's
 * answer reached the client), and from the publish request's start. Baseline in the same
 * run: a bare PostgreSQL NOTIFY from one connection to a LISTEN on another (NOTIFY acknowledged →
 * notification received), the floor under any cross-instance delivery.
 *
 * PostgreSQL: a fresh database on the server of DATABASE_URL (or the local one), dropped after.
 * BENCH_PUBLISHES plans (default 40, of which the first BENCH_WARMUP, 5, are not counted) at
 * BENCH_RATE a second (default 10); most of the run is writing the plans to publish.
 */
import pg from 'pg';
import { pino } from 'pino';
import { PgDatabase } from '../src/db/pg-database.js';
import { DEMO_PASSWORD } from '../src/demo/demo-people.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../src/demo/seed-demo-dataset.js';
import { writePopulation } from '../src/demo/generate-population.js';
import { syntheticLondoners } from '../src/demo/synthetic-londoners.js';
import { syntheticPlans } from '../src/demo/synthetic-plans.js';
import { connectSse } from '../test/support/sse-client.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../test/support/test-database.js';
import { TEST_SECRETS_KEY } from '../test/support/test-secrets.js';
import { prepareDemoStore } from './lib/demo-store.js';
import { startProcess } from './lib/processes.js';
import { writeBenchResult } from './lib/results.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PUBLISHES = Number(process.env['BENCH_PUBLISHES'] ?? 40);
const RATE = Number(process.env['BENCH_RATE'] ?? 10);
/** The first publishes warm each server up (routes' first use, validators compiled on first use) and are not counted. */
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 5);
const NOTIFIES = Number(process.env['BENCH_NOTIFIES'] ?? 500);
const TARGET_P99_MS = 250;
const logger = pino({ level: 'warn' });

interface Latencies {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function summarise(samples: readonly number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? Number.NaN };
}

/** Plans written up to "awaiting approval" through the care plan service: what the run publishes. */
async function prepare(url: string): Promise<void> {
  const db = new PgDatabase({ connectionString: url, maxConnections: 4, logger });
  try {
    const { plans: planServices } = await prepareDemoStore(db, url, logger);
    const today = new Date().toISOString().slice(0, 10);
    const waiting = syntheticPlans(syntheticLondoners(DEMO_PEOPLE, DEMO_SEED), { seed: DEMO_SEED, today })
      .filter((plan) => plan.status === 'published' || plan.status === 'awaiting-approval')
      .slice(0, PUBLISHES)
      .map((plan) => ({ ...plan, status: 'awaiting-approval' as const }));
    // Four writers at once (the demo dataset made their EHRs): the preparation is most of the run.
    await writePopulation(planServices, [], waiting, { mode: 'service', batchSize: 1, concurrency: 4 });
  } finally {
    await db.close();
  }
}

async function signIn(baseUrl: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  if (response.status >= 300 || cookies.length === 0) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: cookies.join('; '), csrf: csrfToken };
}

/** The floor: NOTIFY on one connection, acknowledged, until LISTEN on another has it. */
async function bareNotify(url: string): Promise<number[]> {
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Client({ connectionString: url });
  await listener.connect();
  await sender.connect();
  try {
    await listener.query('LISTEN bench_round_trip');
    const waiting = new Map<string, (at: number) => void>();
    listener.on('notification', (message) => waiting.get(message.payload ?? '')?.(performance.now()));
    const samples: number[] = [];
    for (let n = 0; n < NOTIFIES; n++) {
      const key = String(n);
      const received = new Promise<number>((resolve) => waiting.set(key, resolve));
      await sender.query("SELECT pg_notify('bench_round_trip', $1)", [key]);
      const acknowledged = performance.now();
      samples.push((await received) - acknowledged);
      waiting.delete(key);
    }
    return samples;
  } finally {
    await listener.end();
    await sender.end();
  }
}

const database = await createPostgresDatabase(SERVER_URL);
console.log(`plan events benchmark (postgres, database ${database.name}; ${PUBLISHES} publishes at ${RATE}/s)\n`);
try {
  const started = Date.now();
  await prepare(database.url);
  console.log(`prepared ${PUBLISHES} plans awaiting approval in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const env = { DATABASE_URL: database.url, UCP_DEMO: 'off', UCP_SECRETS_KEY: TEST_SECRETS_KEY.toString('hex') };
  const [first, second] = await Promise.all([
    startProcess({ script: 'src/main.ts', env, readyPath: '/readyz' }),
    startProcess({ script: 'src/main.ts', env, readyPath: '/readyz' }),
  ]);
  const publishLatencies: number[] = [];
  const fromAcknowledged: number[] = [];
  const fromRequest: number[] = [];
  let failures = 0;
  try {
    const publisher = await signIn(first.url, 'gp-partner');
    const listener = await signIn(second.url, 'platform-admin');
    const stream = await connectSse(`${second.url}/api/events?topic=careplan.published`, { cookie: listener.cookie });
    if (stream.status !== 200) throw new Error(`the event stream answered ${stream.status}: ${stream.body()}`);
    const setup = new PgDatabase({ connectionString: database.url, maxConnections: 1, logger });
    const { rows } = await setup
      .query<{ ehr_id: string; revision: number }>(
        "SELECT ehr_id::text AS ehr_id, revision FROM care_plan WHERE status = 'awaiting-approval' ORDER BY ehr_id",
      )
      .finally(() => setup.close());
    const arrivals = new Map<string, (at: number) => void>();
    let seen = 0;
    const watcher = setInterval(() => {
      for (; seen < stream.events.length; seen++) {
        const event = stream.events[seen];
        const ehrId = (event?.data as { ehrId?: string } | undefined)?.ehrId;
        if (event && ehrId) arrivals.get(ehrId)?.(event.receivedAt);
      }
    }, 1);
    const interval = 1_000 / RATE;
    const runStarted = performance.now();
    for (const [index, plan] of rows.entries()) {
      // A bounded rate: each publish starts on its slot (or at once, if the last one ran over).
      const slot = runStarted + index * interval;
      const wait = slot - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const arrived = new Promise<number>((resolve) => arrivals.set(plan.ehr_id, resolve));
      const requested = performance.now();
      const response = await fetch(`${first.url}/api/care-plans/${plan.ehr_id}/draft/approve`, {
        method: 'POST',
        headers: { cookie: publisher.cookie, 'x-csrf-token': publisher.csrf, origin: first.url, 'if-match': `"${plan.revision}"` },
      });
      const acknowledged = performance.now();
      if (response.status !== 200) {
        failures++;
        if (failures === 1) console.log(`publish answered ${response.status}: ${await response.text()}`);
        continue;
      }
      await response.arrayBuffer();
      const at = await Promise.race([arrived, new Promise<undefined>((resolve) => setTimeout(resolve, 10_000, undefined))]);
      if (at === undefined) {
        failures++;
        continue;
      }
      publishLatencies.push(acknowledged - requested);
      if (index < WARMUP) continue;
      // Signed: B often has the event before A's answer has reached the client (negative).
      fromAcknowledged.push(at - acknowledged);
      fromRequest.push(at - requested);
    }
    clearInterval(watcher);
    stream.close();
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
  const notify = summarise(await bareNotify(database.url));
  const published = summarise(fromAcknowledged);
  const requestToEvent = summarise(fromRequest);
  const publish = summarise(publishLatencies);
  const fmt = (value: number) => value.toFixed(2).padStart(7);
  console.log('\npublish through instance A → careplan.published event on instance B, against a bare NOTIFY → LISTEN');
  console.log(`${'measure'.padEnd(45)}|   count   p50 ms   p99 ms   max ms`);
  const line = (name: string, figures: Latencies) =>
    console.log(
      `${name.padEnd(45)}| ${String(figures.count).padStart(7)} ${fmt(figures.p50Ms)}  ${fmt(figures.p99Ms)}  ${fmt(figures.maxMs)}`,
    );
  line('publish acknowledged → event on B (signed)', published);
  line('publish request → event on B', requestToEvent);
  line('publish request → acknowledged (A)', publish);
  line('bare NOTIFY acknowledged → LISTEN (baseline)', notify);
  // Judged on the acknowledged publish, as the issue states it; the request's start is reported beside it.
  const met = published.p99Ms < TARGET_P99_MS;
  console.log(
    `\nacknowledged → event p99 ${published.p99Ms.toFixed(1)} ms against the bare NOTIFY's ${notify.p99Ms.toFixed(1)} ms; ` +
      `target p99 < ${TARGET_P99_MS} ms: ${met ? 'met' : 'missed'}; failures ${failures}`,
  );
  const file = await writeBenchResult('plan-events', 'postgres', {
    publishes: PUBLISHES,
    warmup: WARMUP,
    ratePerSecond: RATE,
    targetP99Ms: TARGET_P99_MS,
    met,
    failures,
    acknowledgedToEvent: published,
    requestToEvent,
    publishRequest: publish,
    bareNotify: notify,
  });
  console.log(`wrote ${file}`);
  if (failures > 0) process.exitCode = 1;
} finally {
  if (!process.env['BENCH_KEEP']) await dropPostgresDatabase(SERVER_URL, database.name);
}
