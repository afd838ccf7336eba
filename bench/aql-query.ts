/**
 * Does a selective AQL query cost what its result costs, whatever the size of the repository?
 * The same queries run on a small and a ten times larger repository, each against a raw baseline
 * measured in the same run: hand-written SQL over the same tables and indexes that returns the
 * same answer. Two ratios matter:
 * - AQL / raw: the price of the generic compiler over a hand-tuned statement;
 * - large / small: how a query's time grows with the repository (≈1 for a selective query).
 * A population-wide aggregate is printed too, for contrast: its cost grows with the population.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../src/config/config.js';
import type { Database } from '../src/db/database.js';
import { createAppServices } from '../src/server/app-services.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { testSecrets } from '../test/support/test-secrets.js';
import { lineChartSvg } from './lib/chart.js';
import { writeBenchResult } from './lib/results.js';

const FIXTURES = new URL('../test/fixtures/openehr/', import.meta.url);
const COMMON = {
  opt: 'ehrbase-openEHR_SDK/operationaltemplate/minimal_evaluation.opt',
  composition: 'ehrbase-openEHR_SDK/composition/canonical_json/minimal_evaluation.json',
};
const RARE = {
  opt: 'ehrbase-integration-tests/test_data_sets/aql/data_load/opts/ehrbase_blood_pressure_simple.de.v0.opt',
  composition: 'ehrbase-integration-tests/test_data_sets/aql/data_load/compositions/ehrbase_blood_pressure_simple.de.v0.json',
};
const RARE_ARCHETYPE = 'openEHR-EHR-OBSERVATION.sample_blood_pressure.v1';
const SMALL_EHRS = Number(process.env['BENCH_EHRS'] ?? 1_000);
const COMPOSITIONS_PER_EHR = 4;
/** The rare composition exists in this many EHRs at every size: a selective query's result size. */
const RARE_EHRS = 20;
const REPEAT = Number(process.env['BENCH_REPEAT'] ?? 30);
const AUDIT = { committer: { _type: 'PARTY_IDENTIFIED' as const, name: 'bench' } };

interface BenchQuery {
  label: string;
  aql: string;
  raw: string;
  parameters: (ehrId: string) => Record<string, unknown>;
}

const QUERIES: BenchQuery[] = [
  {
    label: "one person's compositions",
    aql: 'SELECT c/uid/value, c/name/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr_id',
    raw: `SELECT v.data->'uid'->>'value', v.data->'name'->>'value' FROM object_version v
          WHERE v.ehr_id = $1 AND v.is_latest AND v.object_type = 'COMPOSITION' AND v.lifecycle_state = 'complete'`,
    parameters: (ehrId) => ({ ehr_id: ehrId }),
  },
  {
    label: 'rare archetype, whole population',
    aql: `SELECT e/ehr_id/value, o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/magnitude
          FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${RARE_ARCHETYPE}]`,
    raw: `SELECT v.ehr_id, item->'value'->'magnitude' FROM object_version v,
            jsonb_path_query(v.data, 'strict $.content[*] ? (@.archetype_node_id == "${RARE_ARCHETYPE}").data.events[*].data.items[*] ? (@.archetype_node_id == "at0004")') AS item
          WHERE v.archetypes @> ARRAY['${RARE_ARCHETYPE}'] AND v.is_latest AND v.lifecycle_state = 'complete'`,
    parameters: () => ({}),
  },
  {
    label: 'count of a common archetype (grows)',
    aql: 'SELECT COUNT(c/uid/value) FROM EHR e CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.minimal.v1]',
    raw: `SELECT count(*) FROM object_version v
          WHERE v.archetypes @> ARRAY['openEHR-EHR-COMPOSITION.minimal.v1'] AND v.is_latest AND v.lifecycle_state = 'complete'`,
    parameters: () => ({}),
  },
];

async function loadJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL(path, FIXTURES), 'utf8')) as Record<string, unknown>;
}

/**
 * Commits one real composition of each kind through the service, then copies its rows with SQL
 * (new EHRs, versioned objects, contributions, version uids) until the repository holds
 * `ehrCount` EHRs: loading tens of thousands of compositions through the service would take
 * minutes and measure commits, not queries.
 */
async function grow(db: Database, ehrCount: number, commonSeedUid: string): Promise<void> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ehr');
  const existing = rows[0]?.n ?? 0;
  const toAdd = ehrCount - existing;
  if (toAdd <= 0) return;
  await db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS bench_new_ehr (ehr_id uuid PRIMARY KEY, n int);
    TRUNCATE bench_new_ehr;`);
  await db.query(`INSERT INTO bench_new_ehr SELECT gen_random_uuid(), g FROM generate_series(1, $1) g`, [toAdd]);
  await db.exec(`
    INSERT INTO ehr (ehr_id, system_id, time_created, subject_namespace, subject_id, ehr_status_uid)
      SELECT ehr_id, 'bench', now(), 'bench', ehr_id::text, gen_random_uuid() FROM bench_new_ehr;
    CREATE TEMP TABLE IF NOT EXISTS bench_new_version (uid uuid, contribution uuid, ehr_id uuid);
    TRUNCATE bench_new_version;`);
  await db.query(
    `INSERT INTO bench_new_version SELECT gen_random_uuid(), gen_random_uuid(), e.ehr_id FROM bench_new_ehr e, generate_series(1, $1)`,
    [COMPOSITIONS_PER_EHR],
  );
  await db.exec(`
    INSERT INTO contribution (contribution_id, ehr_id, system_id, time_committed, change_type, committer)
      SELECT contribution, ehr_id, 'bench', now(), 'creation', '{"_type":"PARTY_SELF"}' FROM bench_new_version;
    INSERT INTO versioned_object (uid, ehr_id, object_type, system_id, time_created, latest_version)
      SELECT uid, ehr_id, 'COMPOSITION', 'bench', now(), 1 FROM bench_new_version;`);
  await db.query(
    `INSERT INTO object_version (uid, version, ehr_id, object_type, contribution_id, time_committed, change_type, lifecycle_state,
                                 committer, template_id, archetype_node_id, archetypes, is_latest, data)
       SELECT n.uid, 1, n.ehr_id, 'COMPOSITION', n.contribution, now(), 'creation', 'complete', s.committer, s.template_id,
              s.archetype_node_id, s.archetypes, true,
              jsonb_set(s.data, '{uid,value}', to_jsonb(n.uid::text || '::bench::1'))
         FROM bench_new_version n, object_version s WHERE s.uid = $1 AND s.version = 1`,
    [commonSeedUid],
  );
}

async function median(run: () => Promise<unknown>): Promise<number> {
  for (let warm = 0; warm < 3; warm++) await run();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

// PostgreSQL by default (the local server unless DATABASE_URL names one): PGlite has no JIT and
// one connection, and hides what matters here. BENCH_PGLITE=1 runs the short embedded variant.
if (!process.env['BENCH_PGLITE']) process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
// PostgreSQL by default (the local server unless DATABASE_URL names one): PGlite has no JIT and
// one connection, and hides what matters here. BENCH_PGLITE=1 runs the short embedded variant.
if (!process.env['BENCH_PGLITE']) process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const database = await createTestDatabase();
const { db } = database;
const services = createAppServices(db, loadConfig({}), testSecrets).openehr;
for (const fixture of [COMMON, RARE]) await services.templates.upload(await readFile(new URL(fixture.opt, FIXTURES), 'utf8'));
const seedEhr = (await services.ehrs.create({}, AUDIT)).ehr.ehrId;
const common = await services.compositions.create(seedEhr, await loadJson(COMMON.composition), AUDIT);
const rareComposition = await loadJson(RARE.composition);
for (let i = 0; i < RARE_EHRS; i++) {
  const { ehr } = await services.ehrs.create({}, AUDIT);
  await services.compositions.create(ehr.ehrId, rareComposition, AUDIT);
}

console.log(
  `AQL query benchmark (${db.backend}; ${COMPOSITIONS_PER_EHR} compositions per EHR; rare archetype in ${RARE_EHRS} EHRs; median of ${REPEAT})\n`,
);
console.log('query                                  EHRs  compositions   AQL ms   raw ms  AQL/raw');
const timings = new Map<string, number[]>();
const measured: { query: string; ehrs: number; compositions: number; aqlMs: number; rawMs: number; ratio: number }[] = [];
for (const ehrCount of [SMALL_EHRS, SMALL_EHRS * 10]) {
  await grow(db, ehrCount, common.objectId);
  await db.exec('ANALYZE');
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM object_version WHERE object_type = 'COMPOSITION'");
  const compositions = rows[0]?.n ?? 0;
  const { rows: someEhr } = await db.query<{ ehr_id: string }>('SELECT ehr_id FROM ehr ORDER BY ehr_id LIMIT 1 OFFSET 7');
  const ehrId = someEhr[0]?.ehr_id ?? seedEhr;
  for (const query of QUERIES) {
    const parameters = query.parameters(ehrId);
    const aqlMs = await median(() =>
      services.queries.execute({ query: query.aql, parameters, ehrScope: { kind: 'all' }, timeoutMs: 60_000 }),
    );
    const rawMs = await median(() => db.query(query.raw, query.label.startsWith('one person') ? [ehrId] : []));
    timings.set(query.label, [...(timings.get(query.label) ?? []), aqlMs]);
    measured.push({ query: query.label, ehrs: ehrCount, compositions, aqlMs, rawMs, ratio: aqlMs / rawMs });
    console.log(
      `${query.label.padEnd(36)} ${String(ehrCount).padStart(6)}  ${String(compositions).padStart(12)}  ${aqlMs.toFixed(2).padStart(7)}  ${rawMs.toFixed(2).padStart(7)}  ${(aqlMs / rawMs).toFixed(2).padStart(7)}`,
    );
  }
}
console.log('\ngrowth of AQL time with a ten times larger repository (large / small):');
for (const [label, [small, large]] of timings) {
  console.log(`  ${label.padEnd(36)} ${((large ?? 0) / (small ?? 1)).toFixed(2)}`);
}
const written = await writeBenchResult('aql-query', db.backend, { repeat: REPEAT, rows: measured });
// Latency against the repository's size, each query next to its hand-written SQL.
const chart = lineChartSvg({
  title: 'AQL time against hand-written SQL, by repository size',
  xLabel: 'EHRs',
  yLabel: 'AQL ms / SQL ms',
  logX: true,
  series: QUERIES.map((query) => ({
    name: query.label.replace(/ \(grows\)$/, ''),
    points: measured.filter((row) => row.query === query.label).map((row) => ({ x: row.ehrs, y: row.ratio })),
  })),
});
await writeFile(new URL(`../${written.replace(/\.json$/, '.svg')}`, import.meta.url), chart);
console.log(`\nwrote ${written} and .svg`);
await database.drop();
