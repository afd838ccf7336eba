/**
 * Soak: a mixed load of reads, writes and AQL queries against a real server process for a fixed
 * time (SOAK_SECONDS, default 600), sampling the server's resident memory and each kind's latency
 * per minute. Memory and latency must stay flat: a leak or a slowly growing table shows as a
 * rising line. Writes its report to bench/results/soak-<date>.md and prints it.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<fresh db> npm run soak     # on PostgreSQL
 *   npm run soak                                                                # on embedded PGlite
 *
 * Bounded: the load stops after SOAK_SECONDS, the server is stopped, and every request has a
 * timeout; traffic goes only to the loopback address the server listens on.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapToken, prepareRepository, startServer } from '../test/faults/fault-harness.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 600);
const SAMPLE_MS = 10_000;
const WORKERS = { read: 2, write: 2, query: 1 } as const;
type Kind = keyof typeof WORKERS;

interface Minute {
  rssMiB: number;
  latencies: Record<Kind, number[]>;
  errors: Record<Kind, number>;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

const dataDir = process.env['DATABASE_URL'] ? undefined : await mkdtemp(join(tmpdir(), 'ucp-soak-'));
const env: Record<string, string> = process.env['DATABASE_URL']
  ? { DATABASE_URL: process.env['DATABASE_URL'] }
  : { UCP_DATA_DIR: dataDir ?? '' };
const { server, address } = await startServer(env);
const pid = server.child.pid ?? 0;
// Access tokens live minutes (UCP_ACCESS_TOKEN_LIFETIME_SECONDS), the soak longer: a fresh one every minute.
let token = await bootstrapToken(address);
const target = await prepareRepository(address, token);
const headers = { authorization: `Bearer ${token}` };
const tokenTimer = setInterval(() => {
  void bootstrapToken(address).then(
    (fresh) => {
      token = fresh;
      headers.authorization = `Bearer ${token}`;
    },
    (error: unknown) => process.stderr.write(`token refresh failed: ${String(error)}\n`),
  );
}, 60_000);

const minutes: Minute[] = [];
const newMinute = async (): Promise<Minute> => ({
  rssMiB: await rssMiB(pid),
  latencies: { read: [], write: [], query: [] },
  errors: { read: 0, write: 0, query: 0 },
});
let current = await newMinute();
minutes.push(current);
const deadline = Date.now() + SECONDS * 1000;
const versions: string[] = [];

const requests: Record<Kind, () => Promise<Response>> = {
  write: () =>
    fetch(`${address}/openehr/v1/ehr/${target.ehrId}/composition`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: target.composition,
      signal: AbortSignal.timeout(30_000),
    }),
  read: () => {
    const uid = versions[Math.floor(Math.random() * versions.length)];
    const url = uid ? `${address}/openehr/v1/ehr/${target.ehrId}/composition/${uid}` : `${address}/openehr/v1/ehr/${target.ehrId}`;
    return fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  },
  query: () =>
    fetch(`${address}/openehr/v1/query/aql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr',
        query_parameters: { ehr: target.ehrId },
        fetch: 20,
      }),
      signal: AbortSignal.timeout(30_000),
    }),
};

async function worker(kind: Kind): Promise<void> {
  while (Date.now() < deadline) {
    const started = performance.now();
    try {
      const response = await requests[kind]();
      const body = await response.text();
      if (response.ok) {
        current.latencies[kind].push(performance.now() - started);
        if (kind === 'write') versions.push(String(response.headers.get('etag')).replaceAll('"', ''));
        if (versions.length > 1_000) versions.splice(0, 500);
      } else {
        current.errors[kind]++;
        if (response.status >= 500) process.stderr.write(`${kind} answered ${response.status}: ${body.slice(0, 200)}\n`);
      }
    } catch {
      current.errors[kind]++;
    }
  }
}

const sampler = setInterval(() => {
  void (async () => {
    current.rssMiB = Math.max(current.rssMiB, await rssMiB(pid));
  })();
}, SAMPLE_MS);
const minuteTimer = setInterval(() => {
  void newMinute().then((minute) => {
    current = minute;
    minutes.push(minute);
  });
}, 60_000);

await Promise.all((Object.keys(WORKERS) as Kind[]).flatMap((kind) => Array.from({ length: WORKERS[kind] }, () => worker(kind))));
clearInterval(sampler);
clearInterval(minuteTimer);
clearInterval(tokenTimer);
server.child.kill('SIGTERM');
await server.exited;
if (dataDir) await rm(dataDir, { recursive: true, force: true });

const rows = minutes
  .filter((minute) => minute.latencies.write.length + minute.latencies.read.length + minute.latencies.query.length > 0)
  .map((minute, index) => {
    const cells = (['read', 'write', 'query'] as Kind[]).map(
      (kind) =>
        `${minute.latencies[kind].length} / ${percentile(minute.latencies[kind], 50)} / ${percentile(minute.latencies[kind], 95)} / ${minute.errors[kind]}`,
    );
    return `| ${index + 1} | ${minute.rssMiB} | ${cells.join(' | ')} |`;
  });
const report = [
  `# Soak ${new Date().toISOString()}`,
  '',
  `${SECONDS} s of mixed load on ${process.env['DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'}: ${WORKERS.read} readers, ${WORKERS.write} writers, ${WORKERS.query} AQL querier, each one request at a time. Node ${process.version}.`,
  '',
  '| minute | server RSS MiB | reads: n / p50 ms / p95 ms / errors | writes | queries |',
  '|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
const file = new URL(`results/soak-${new Date().toISOString().replace(/[:.]/g, '-')}.md`, import.meta.url);
await writeFile(file, report);
process.stdout.write(`${report}\nwritten to ${file.pathname}\n`);
