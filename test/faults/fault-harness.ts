import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { PgDatabase } from '../../src/db/pg-database.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/test-database.js';
import { readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';
import { freePort, spawnServer, type ServerProcess } from '../process/server-process.js';
import { objectIdOf } from '../support/version-uid.js';

/**
 * Shared by the fault tests: a real server process on a store of its own, a stream of
 * composition commits through the openEHR API, and the checks that every acknowledged commit
 * survived whole (version, contribution, event, audit record) and the audit chain verifies.
 */

export const BOOTSTRAP = { UCP_BOOTSTRAP_CLIENT_ID: 'fault-tester', UCP_BOOTSTRAP_CLIENT_SECRET: 'fault-tester-secret-0123456789abcdef' };
export const QUIET_SERVER = { UCP_DEMO: 'off', LOG_LEVEL: 'info', ...BOOTSTRAP };

export interface Store {
  env: Record<string, string>;
  /** Opens the store directly (for PGlite only once no server holds it). */
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

/** A fresh PostgreSQL database on `serverUrl`, or a fresh PGlite data folder. */
export async function freshStore(serverUrl: string | undefined): Promise<Store> {
  if (serverUrl) {
    const { name, url } = await createPostgresDatabase(serverUrl);
    return {
      env: { DATABASE_URL: url },
      open: async () => new PgDatabase({ connectionString: url, maxConnections: 2, logger: pino({ level: 'silent' }) }),
      dispose: () => dropPostgresDatabase(serverUrl, name),
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ucp-fault-'));
  return {
    env: { UCP_DATA_DIR: dataDir },
    open: () => PgliteDatabase.open(join(dataDir, 'pglite')),
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export async function startServer(env: Record<string, string>): Promise<{ server: ServerProcess; address: string }> {
  const server = spawnServer({ ...QUIET_SERVER, ...env, PORT: String(await freePort()) });
  return { server, address: await server.listening };
}

export async function bootstrapToken(address: string): Promise<string> {
  const response = await fetch(`${address}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${BOOTSTRAP.UCP_BOOTSTRAP_CLIENT_ID}:${BOOTSTRAP.UCP_BOOTSTRAP_CLIENT_SECRET}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface Writer {
  /** Version uids of commits the server acknowledged (201). */
  acknowledged: string[];
  /** Every status answered, with how long it took. */
  answers: { status: number; retryAfter: string | null; ms: number }[];
  /** Transport failures (connection refused while the server is down): the client saw no answer. */
  transportErrors: number;
  stop(): Promise<void>;
}

/** Uploads the minimal template and creates one EHR: what the writer commits to. */
export async function prepareRepository(address: string, token: string): Promise<{ ehrId: string; composition: string }> {
  const headers = { authorization: `Bearer ${token}` };
  const opt = await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`);
  const upload = await fetch(`${address}/openehr/v1/definition/template/adl1.4`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/xml' },
    body: opt,
  });
  if (upload.status !== 201 && upload.status !== 409) throw new Error(`template upload answered ${upload.status}`);
  const ehr = await fetch(`${address}/openehr/v1/ehr`, { method: 'POST', headers });
  if (ehr.status !== 201) throw new Error(`EHR creation answered ${ehr.status}`);
  const ehrId = String(ehr.headers.get('location')).split('/ehr/')[1] ?? '';
  const composition = JSON.stringify(await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`));
  return { ehrId, composition };
}

/** `concurrency` loops committing compositions until stopped, each request bounded by `timeoutMs`. */
export function startWriter(
  address: string,
  token: string,
  target: { ehrId: string; composition: string },
  options: { concurrency?: number; timeoutMs?: number } = {},
): Writer {
  const writer: Writer = { acknowledged: [], answers: [], transportErrors: 0, stop: async () => undefined };
  let running = true;
  const loop = async () => {
    while (running) {
      const started = Date.now();
      try {
        const response = await fetch(`${address}/openehr/v1/ehr/${target.ehrId}/composition`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=minimal' },
          body: target.composition,
          signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
        });
        await response.arrayBuffer();
        writer.answers.push({ status: response.status, retryAfter: response.headers.get('retry-after'), ms: Date.now() - started });
        if (response.status === 201) writer.acknowledged.push(String(response.headers.get('etag')).replaceAll('"', ''));
        else await sleep(50);
      } catch {
        writer.transportErrors++;
        await sleep(100);
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 4 }, () => loop());
  writer.stop = async () => {
    running = false;
    await Promise.all(loops);
  };
  return writer;
}

export interface DurabilityReport {
  missingVersions: string[];
  missingContributions: string[];
  missingEvents: string[];
  missingAudit: string[];
  auditChainOk: boolean;
  /** Version numbers of each composition are 1 (every commit creates a new one). */
  versionsPerObjectOk: boolean;
}

/** The report of a store that kept every acknowledged write whole. */
export const EVERY_WRITE_KEPT: DurabilityReport = {
  missingVersions: [],
  missingContributions: [],
  missingEvents: [],
  missingAudit: [],
  auditChainOk: true,
  versionsPerObjectOk: true,
};

/** Every acknowledged version with its contribution, its event and its audit record; the chain intact. */
export async function checkDurability(db: Database, acknowledged: readonly string[]): Promise<DurabilityReport> {
  const objectIds = acknowledged.map((uid) => objectIdOf(uid));
  const { rows } = await db.query<{ uid: string; version: number; contribution_id: string; has_contribution: boolean }>(
    `SELECT v.uid::text AS uid, v.version, v.contribution_id::text AS contribution_id,
            EXISTS (SELECT 1 FROM contribution c WHERE c.contribution_id = v.contribution_id) AS has_contribution
     FROM object_version v WHERE v.uid = ANY($1::uuid[])`,
    [objectIds],
  );
  const found = new Map(rows.map((row) => [row.uid, row]));
  const events = await db.query<{ uid: string }>(
    `SELECT DISTINCT split_part(version->>'versionUid', '::', 1) AS uid
     FROM event_outbox, jsonb_array_elements(payload->'versions') AS version WHERE topic = 'openehr.contribution'`,
  );
  const evented = new Set(events.rows.map((row) => row.uid));
  const audited = await db.query<{ uid: string }>(
    `SELECT DISTINCT split_part(version, '::', 1) AS uid
     FROM audit_log, jsonb_array_elements_text(detail->'versions') AS version WHERE resource_type = 'CONTRIBUTION'`,
  );
  const auditedUids = new Set(audited.rows.map((row) => row.uid));
  const chain = await verifyAuditChain(db);
  return {
    missingVersions: objectIds.filter((id) => !found.has(id)),
    missingContributions: objectIds.filter((id) => found.has(id) && !found.get(id)?.has_contribution),
    missingEvents: objectIds.filter((id) => !evented.has(id)),
    missingAudit: objectIds.filter((id) => !auditedUids.has(id)),
    auditChainOk: chain.ok,
    versionsPerObjectOk: rows.every((row) => row.version === 1),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(intervalMs);
  }
  return false;
}

export async function status(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
