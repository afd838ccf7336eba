/**
 * How much room a composition takes in the repository and how fast commits are, each against a
 * raw baseline measured in the same run:
 * - size: the whole on-disk growth per composition (version row, its indexes and TOAST) against
 *   the composition's canonical JSON text;
 * - speed: commits through the openEHR service (validation, versioning, contribution, outbox)
 *   against plain INSERTs of the same JSON into a bare table.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../src/config/config.js';
import type { Database } from '../src/db/database.js';
import { createAppServices } from '../src/server/app-services.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { testSecrets } from '../test/support/test-secrets.js';
import { writeBenchResult } from './lib/results.js';

const FIXTURES = new URL('../test/fixtures/openehr/', import.meta.url);
const CASES = [
  {
    label: 'minimal evaluation',
    opt: 'ehrbase-openEHR_SDK/operationaltemplate/minimal_evaluation.opt',
    composition: 'ehrbase-openEHR_SDK/composition/canonical_json/minimal_evaluation.json',
  },
  {
    label: 'multi occurrence (vital signs)',
    opt: 'ehrbase-openEHR_SDK/operationaltemplate/ehrbase_multi_occurrence.de.opt',
    composition: 'ehrbase-openEHR_SDK/composition/canonical_json/multi_occurrence.json',
  },
  {
    label: 'nested',
    opt: 'ehrbase-openEHR_SDK/operationaltemplate/nested.en.v1.opt',
    composition: 'ehrbase-openEHR_SDK/composition/canonical_json/nested.en.v1.json',
  },
];
const COPIES = Number(process.env['BENCH_COPIES'] ?? 200);
const AUDIT = { committer: { _type: 'PARTY_IDENTIFIED' as const, name: 'bench' } };

async function relationBytes(db: Database, table: string): Promise<number> {
  const { rows } = await db.query<{ bytes: number }>('SELECT pg_total_relation_size($1::regclass)::bigint AS bytes', [table]);
  return Number(rows[0]?.bytes ?? 0);
}

// PostgreSQL by default (the local server unless DATABASE_URL names one): PGlite has no JIT and
// one connection, and hides what matters here. BENCH_PGLITE=1 runs the short embedded variant.
if (!process.env['BENCH_PGLITE']) process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const database = await createTestDatabase();
const { db } = database;
const services = createAppServices(db, loadConfig({}), testSecrets).openehr;
await db.exec('CREATE TABLE bench_raw (id bigserial PRIMARY KEY, data jsonb NOT NULL)');
console.log(`openEHR storage and commit benchmark (${db.backend}, ${COPIES} copies per composition)\n`);
console.log('composition                      JSON text  stored/row  ratio | commits/s  raw inserts/s  ratio');

const measured: Record<string, unknown>[] = [];
for (const testCase of CASES) {
  await services.templates.upload(await readFile(new URL(testCase.opt, FIXTURES), 'utf8'));
  const composition = JSON.parse(await readFile(new URL(testCase.composition, FIXTURES), 'utf8')) as Record<string, unknown>;
  const jsonBytes = Buffer.byteLength(JSON.stringify(composition));
  const { ehr } = await services.ehrs.create({}, AUDIT);

  const before = await relationBytes(db, 'object_version');
  let started = performance.now();
  for (let copy = 0; copy < COPIES; copy++) await services.compositions.create(ehr.ehrId, composition, AUDIT);
  const serviceSeconds = (performance.now() - started) / 1000;
  await db.exec('VACUUM object_version');
  const storedPerRow = ((await relationBytes(db, 'object_version')) - before) / COPIES;

  started = performance.now();
  for (let copy = 0; copy < COPIES; copy++) await db.query('INSERT INTO bench_raw (data) VALUES ($1)', [JSON.stringify(composition)]);
  const rawSeconds = (performance.now() - started) / 1000;

  const commitsPerSecond = COPIES / serviceSeconds;
  const rawPerSecond = COPIES / rawSeconds;
  measured.push({
    composition: testCase.label,
    jsonBytes,
    storedBytesPerRow: storedPerRow,
    commitsPerSecond,
    rawInsertsPerSecond: rawPerSecond,
    ratio: commitsPerSecond / rawPerSecond,
  });
  console.log(
    `${testCase.label.padEnd(32)} ${String(jsonBytes).padStart(9)}  ${Math.round(storedPerRow).toString().padStart(10)}  ${(storedPerRow / jsonBytes).toFixed(2).padStart(5)} | ` +
      `${commitsPerSecond.toFixed(0).padStart(9)}  ${rawPerSecond.toFixed(0).padStart(13)}  ${(commitsPerSecond / rawPerSecond).toFixed(2).padStart(5)}`,
  );
}
console.log('\nFor reference, EHRbase is reported to use about 32 KB per composition of comparable content.');
console.log(`wrote ${await writeBenchResult('openehr-storage', db.backend, { copies: COPIES, rows: measured })}`);
await database.drop();
