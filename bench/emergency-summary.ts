/**
 * Scenarios 1 and 5 of the benchmark (docs/scaling.md): the emergency summary over HTTP —
 * authenticated, access-controlled and audited — at 1, 8, 32 and 128 clients, each next to a
 * bare Fastify route reading the same JSONB row from the same database in the same run; and cold
 * start to ready (empty store, then restart) with resident memory under load. Load comes from
 * this process (autocannon); the servers run in processes of their own. When a target is missed,
 * a further load point runs the UCP server under --cpu-prof and the report names where its time
 * went (never during the measured points: the profiler costs the process about a tenth of a core).
 *
 * PostgreSQL: a fresh database on the server of DATABASE_URL (or the local one), dropped after.
 * The UCP server runs as `npm start` runs it: the bundle scripts/build-server.mjs builds
 * (dist/main.js). Cold start is measured on PostgreSQL and on PGlite (a fresh data folder);
 * BENCH_ONLY=start measures only that.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PgDatabase } from '../src/db/pg-database.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../src/demo/seed-demo-dataset.js';
import { seedDemoPlan } from '../src/demo/seed-demo-plans.js';
import { syntheticLondoners } from '../src/demo/synthetic-londoners.js';
import { syntheticPlans } from '../src/demo/synthetic-plans.js';
import { DEMO_PASSWORD } from '../src/demo/demo-people.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../test/support/test-database.js';
import { lineChartSvg } from './lib/chart.js';
import { topSelfTime } from './lib/cpu-profile.js';
import { CpuMeter } from './lib/cpu-usage.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { prepareDemoStore } from './lib/demo-store.js';
import { startProcess } from './lib/processes.js';
import { TEST_SECRETS_KEY } from '../test/support/test-secrets.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const CLIENTS = (process.env['BENCH_CLIENTS'] ?? '1,8,32,128').split(',').map(Number);
const PLANS = Number(process.env['BENCH_PLANS'] ?? 40);
const STAMP = new Date().toISOString().replace(/[:.]/g, '-');
const RESULTS = new URL('./results/', import.meta.url);
const PROFILES = new URL(`./results/profiles-${STAMP}/`, import.meta.url);
const logger = pino({ level: 'warn' });
// The servers unseal what `prepare` sealed (signing keys) with the same key-encryption key.
const SECRETS_KEY = TEST_SECRETS_KEY.toString('hex');
/** What `npm start` runs (package.json), built below from the current sources. */
const UCP_SERVER = { script: 'dist/main.js', nodeArgs: ['--enable-source-maps'] };
const ONLY_START = process.env['BENCH_ONLY'] === 'start';

interface ColdStart {
  emptyMs: number;
  restartMs: number;
  /** The server's own CPU until ready: what the machine's other work does not inflate. */
  emptyCpuMs: number;
  restartCpuMs: number;
}

interface Row {
  clients: number;
  ucp: LoadResult;
  bare: LoadResult;
  ratio: number;
  /** CPU per request (µs) of each server process and of the database's backends while it was measured. */
  cpu: { ucp: CpuPerRequest; bare: CpuPerRequest };
}

interface CpuPerRequest {
  serverMicros: number;
  databaseMicros: number;
}

async function prepare(url: string): Promise<string[]> {
  const db = new PgDatabase({ connectionString: url, maxConnections: 4, logger });
  try {
    const { plans: planServices } = await prepareDemoStore(db, url, logger);
    const today = new Date().toISOString().slice(0, 10);
    const published = syntheticPlans(syntheticLondoners(DEMO_PEOPLE, DEMO_SEED), { seed: DEMO_SEED, today })
      .filter((plan) => plan.status === 'published')
      .slice(0, PLANS);
    for (const plan of published) await seedDemoPlan(planServices, plan);
    const { rows } = await db.query<{ ehr_id: string }>('SELECT ehr_id::text AS ehr_id FROM care_plan_summary ORDER BY ehr_id');
    return rows.map((row) => row.ehr_id);
  } finally {
    await db.close();
  }
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username: 'viewer', password: DEMO_PASSWORD }),
  });
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  if (response.status >= 300 || cookies.length === 0) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookies.join('; ');
}

/** Spawn to the first 200 from /readyz: on an empty store, then again on the store the first start made. */
async function startTwice(env: Record<string, string | undefined>): Promise<ColdStart> {
  const first = await startProcess({ ...UCP_SERVER, env, readyPath: '/readyz' });
  await first.stop();
  const second = await startProcess({ ...UCP_SERVER, env, readyPath: '/readyz' });
  await second.stop();
  return { emptyMs: first.readyMs, restartMs: second.readyMs, emptyCpuMs: first.readyCpuMs, restartCpuMs: second.readyCpuMs };
}

async function coldStart(): Promise<ColdStart> {
  const fresh = await createPostgresDatabase(SERVER_URL);
  try {
    return await startTwice({ DATABASE_URL: fresh.url, UCP_DEMO: 'off', UCP_SECRETS_KEY: SECRETS_KEY });
  } finally {
    await dropPostgresDatabase(SERVER_URL, fresh.name);
  }
}

/** The same on embedded PGlite, in a fresh data folder. */
async function coldStartPglite(): Promise<ColdStart> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ucp-bench-start-'));
  try {
    return await startTwice({ DATABASE_URL: undefined, UCP_DATA_DIR: dataDir, UCP_DEMO: 'off', UCP_SECRETS_KEY: SECRETS_KEY });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function startLine(name: string, start: ColdStart): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  return (
    `${seconds(start.emptyMs)} s on an empty store, ${seconds(start.restartMs)} s on restart (${name}; ` +
    `CPU to ready ${seconds(start.emptyCpuMs)} s and ${seconds(start.restartCpuMs)} s)`
  );
}

execFileSync(process.execPath, ['scripts/build-server.mjs', '--server-only'], { stdio: 'inherit' });
if (ONLY_START) {
  const start = await coldStart();
  const startPglite = await coldStartPglite();
  const met = [start, startPglite].every((measured) => measured.emptyMs < 3000 && measured.restartMs < 3000) ? 'met' : 'MISSED';
  console.log(`cold start to ready: ${startLine('postgres', start)}; ${startLine('pglite', startPglite)} (target < 3 s: ${met})`);
  process.exit(0);
}

async function auditWindow(
  url: string,
  since: Date,
): Promise<{ rows: number; p50Ms: number; p99Ms: number; maxMs: number; unsealed: number }> {
  const db = new PgDatabase({ connectionString: url, maxConnections: 1, logger });
  try {
    const { rows } = await db.query<{ n: number; p50: number; p99: number; max: number }>(
      `SELECT count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.sealed_at - l.recorded_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM s.sealed_at - l.recorded_at) * 1000) AS p99,
              max(extract(epoch FROM s.sealed_at - l.recorded_at) * 1000) AS max
         FROM audit_log l JOIN audit_seal s ON l.seq BETWEEN s.from_seq AND s.to_seq WHERE l.recorded_at >= $1`,
      [since],
    );
    const { rows: open } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE seq > coalesce((SELECT max(to_seq) FROM audit_seal), 0)',
    );
    const row = rows[0];
    return {
      rows: row?.n ?? 0,
      p50Ms: Number(row?.p50 ?? 0),
      p99Ms: Number(row?.p99 ?? 0),
      maxMs: Number(row?.max ?? 0),
      unsealed: open[0]?.n ?? 0,
    };
  } finally {
    await db.close();
  }
}

/** The UCP server under --cpu-prof at 32 clients for one more load point: where its time went. */
async function profiledRun(env: Record<string, string>, ehrIds: readonly string[]): Promise<{ fn: string; share: number }[]> {
  const server = await startProcess({
    script: UCP_SERVER.script,
    env,
    readyPath: '/readyz',
    nodeArgs: [...UCP_SERVER.nodeArgs, '--cpu-prof', `--cpu-prof-dir=${PROFILES.pathname}`],
  });
  // Only the samples of the load count: start and sign-in are not what is measured.
  const loadFrom = performance.now() - server.startedAt;
  try {
    const cookie = await signIn(server.url);
    const paths = ehrIds.map((id) => `/api/care-plans/${id}/emergency-summary`);
    await runLoad({ baseUrl: server.url, paths, connections: 32, seconds: SECONDS, headers: { cookie } });
  } finally {
    await server.stop();
  }
  return topSelfTime(PROFILES.pathname, 12, loadFrom);
}

const database = await createPostgresDatabase(SERVER_URL);
console.log(`emergency summary benchmark (postgres, database ${database.name}; ${SECONDS} s per point)\n`);
try {
  const started = Date.now();
  const ehrIds = await prepare(database.url);
  console.log(`prepared ${ehrIds.length} published plans in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const start = await coldStart();
  const startPglite = await coldStartPglite();
  await mkdir(PROFILES, { recursive: true });
  const env = { DATABASE_URL: database.url, UCP_DEMO: 'off', UCP_SECRETS_KEY: SECRETS_KEY };
  // Measured without the profiler: V8's sampling costs the process about a tenth of a core even
  // when idle, which the bare server would not pay. The profile comes from a run of its own.
  const ucp = await startProcess({ ...UCP_SERVER, env, readyPath: '/readyz' });
  const bare = await startProcess({ script: 'bench/lib/bare-server.ts', env, readyPath: '/readyz' });
  const rows: Row[] = [];
  const ucpMeter = new CpuMeter(database.url, ucp.pid);
  const bareMeter = new CpuMeter(database.url, bare.pid);
  let residentUnderLoad = 0;
  const loadStarted = new Date();
  try {
    const cookie = await signIn(ucp.url);
    const ucpPaths = ehrIds.map((id) => `/api/care-plans/${id}/emergency-summary`);
    const barePaths = ehrIds.map((id) => `/bare/${id}`);
    const check = await fetch(`${ucp.url}${ucpPaths[0]}`, { headers: { cookie } });
    if (check.status !== 200) throw new Error(`the emergency summary answered ${check.status}: ${await check.text()}`);
    for (const clients of CLIENTS) {
      await bareMeter.start();
      const bareResult = await runLoad({ baseUrl: bare.url, paths: barePaths, connections: clients, seconds: SECONDS });
      const bareCpu = await bareMeter.stop(bareResult.requests);
      const sampling = setInterval(() => {
        void ucp.residentBytes().then((bytes) => (residentUnderLoad = Math.max(residentUnderLoad, bytes)));
      }, 500);
      await ucpMeter.start();
      const ucpResult = await runLoad({ baseUrl: ucp.url, paths: ucpPaths, connections: clients, seconds: SECONDS, headers: { cookie } });
      const ucpCpu = await ucpMeter.stop(ucpResult.requests);
      clearInterval(sampling);
      rows.push({
        clients,
        ucp: ucpResult,
        bare: bareResult,
        ratio: ucpResult.requestsPerSecond / bareResult.requestsPerSecond,
        cpu: { ucp: ucpCpu, bare: bareCpu },
      });
    }
  } finally {
    await ucpMeter.close();
    await bareMeter.close();
    await ucp.stop();
    await bare.stop();
  }
  // A build without sealing (before migration 0020) has no window to measure.
  const window = await auditWindow(database.url, loadStarted).catch(() => ({ rows: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, unsealed: 0 }));

  console.log('\nemergency summary over HTTP (authenticated, audited) against a bare JSONB read');
  console.log('clients |   UCP req/s  p50 ms  p99 ms  errors |  bare req/s  p50 ms  p99 ms | ratio  target');
  for (const row of rows) {
    const target = row.clients === 32 ? (row.ratio >= 0.6 && row.ucp.p99Ms < 25 ? 'met (≥0.6, p99<25)' : 'MISSED (≥0.6, p99<25)') : '';
    console.log(
      `${String(row.clients).padStart(7)} | ${row.ucp.requestsPerSecond.toFixed(0).padStart(11)} ${row.ucp.p50Ms.toFixed(1).padStart(7)} ${row.ucp.p99Ms.toFixed(1).padStart(7)} ${String(row.ucp.errors + row.ucp.non2xx).padStart(7)} | ` +
        `${row.bare.requestsPerSecond.toFixed(0).padStart(10)} ${row.bare.p50Ms.toFixed(1).padStart(7)} ${row.bare.p99Ms.toFixed(1).padStart(7)} | ${row.ratio.toFixed(2).padStart(5)}  ${target}`,
    );
  }
  console.log('\nCPU per request (µs; steadier than throughput on a shared machine): server process + database backends');
  console.log('clients |  UCP server  database   total |  bare server  database   total | ratio of totals');
  for (const row of rows) {
    const ucpTotal = row.cpu.ucp.serverMicros + row.cpu.ucp.databaseMicros;
    const bareTotal = row.cpu.bare.serverMicros + row.cpu.bare.databaseMicros;
    console.log(
      `${String(row.clients).padStart(7)} | ${String(row.cpu.ucp.serverMicros).padStart(11)} ${String(row.cpu.ucp.databaseMicros).padStart(9)} ${String(ucpTotal).padStart(7)} | ` +
        `${String(row.cpu.bare.serverMicros).padStart(12)} ${String(row.cpu.bare.databaseMicros).padStart(9)} ${String(bareTotal).padStart(7)} | ${(ucpTotal > 0 ? bareTotal / ucpTotal : 0).toFixed(2).padStart(6)}`,
    );
  }
  const startTarget =
    [start, startPglite].every((measured) => measured.emptyMs < 3000 && measured.restartMs < 3000) && residentUnderLoad < 300 * 1024 * 1024
      ? 'met'
      : 'MISSED';
  console.log(
    `\ncold start to ready: ${startLine('postgres', start)}; ${startLine('pglite', startPglite)}; ` +
      `resident under load ${(residentUnderLoad / 1024 / 1024).toFixed(0)} MB (target < 3 s, < 300 MB: ${startTarget})`,
  );
  console.log(
    `audit sealing window for the ${window.rows} records of the run: p50 ${window.p50Ms.toFixed(0)} ms, p99 ${window.p99Ms.toFixed(0)} ms, ` +
      `max ${window.maxMs.toFixed(0)} ms; ${window.unsealed} left unsealed at the end`,
  );
  const missed = rows.some((row) => row.clients === 32 && (row.ratio < 0.6 || row.ucp.p99Ms >= 25));
  const profile = missed ? await profiledRun(env, ehrIds) : [];
  if (missed) {
    console.log(`\ntarget missed: where the UCP server spent its time (self time, --cpu-prof, a further ${SECONDS} s at 32 clients):`);
    for (const entry of profile) console.log(`  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.fn}`);
  }
  await mkdir(RESULTS, { recursive: true });
  const result = {
    scenario: 'emergency-summary',
    at: new Date().toISOString(),
    backend: 'postgres',
    seconds: SECONDS,
    rows,
    start,
    startPglite,
    residentUnderLoad,
    auditWindow: window,
    profile,
  };
  await writeFile(new URL(`emergency-summary-${STAMP}.json`, RESULTS), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(
    new URL(`emergency-summary-${STAMP}.svg`, RESULTS),
    lineChartSvg({
      title: 'Emergency summary: throughput against clients',
      xLabel: 'concurrent clients',
      yLabel: 'requests per second',
      logX: true,
      series: [
        { name: 'UCP (audited)', points: rows.map((row) => ({ x: row.clients, y: row.ucp.requestsPerSecond })) },
        { name: 'bare JSONB read', points: rows.map((row) => ({ x: row.clients, y: row.bare.requestsPerSecond })) },
      ],
    }),
  );
  if (!missed) await rm(PROFILES, { recursive: true, force: true });
  console.log(`\nwrote bench/results/emergency-summary-${STAMP}.json and .svg`);
} finally {
  if (!process.env['BENCH_KEEP']) await dropPostgresDatabase(SERVER_URL, database.name);
}
