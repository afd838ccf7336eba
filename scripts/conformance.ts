/**
 * npm run conformance — replays the openEHR fixtures through the REST API of a fresh server
 * (embedded PostgreSQL, or a new database on DATABASE_URL's server) and prints passed / failed /
 * excluded per group, with the reason for every failure and exclusion.
 * Options: --quick (every 5th case), --verbose (list every failure), --record (a full run only: write
 * test/conformance/results/openehr.json and render docs/conformance.md).
 */
import { createConformanceApp } from '../test/conformance/conformance-app.js';
import { runOpenEhrConformance, type CaseResult } from '../test/conformance/openehr-conformance.js';
import { recordOpenEhrRun, writeConformanceDoc, writeRecord } from '../test/conformance/conformance-record.js';
import { backend } from '../test/support/test-database.js';

const quick = process.argv.includes('--quick');
const verbose = process.argv.includes('--verbose');
const record = process.argv.includes('--record');
if (record && quick) {
  console.error('--record needs a full run: drop --quick');
  process.exit(2);
}

const started = Date.now();
const results = await runOpenEhrConformance(createConformanceApp, quick ? { sampleEvery: 5 } : {});

const groups = new Map<string, CaseResult[]>();
for (const result of results) groups.set(result.group, [...(groups.get(result.group) ?? []), result]);

const rows = [...groups.entries()].map(([group, cases]) => ({
  group,
  passed: cases.filter((c) => c.outcome.status === 'passed').length,
  failed: cases.filter((c) => c.outcome.status === 'failed').length,
  excluded: cases.filter((c) => c.outcome.status === 'excluded').length,
}));
const width = Math.max(...rows.map((row) => row.group.length), 5);
console.log(`\nopenEHR conformance (${backend}${quick ? ', quick' : ''}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
console.log(`${'group'.padEnd(width)}  passed  failed  excluded`);
for (const row of rows) {
  console.log(
    `${row.group.padEnd(width)}  ${String(row.passed).padStart(6)}  ${String(row.failed).padStart(6)}  ${String(row.excluded).padStart(8)}`,
  );
}
const notPassed = results.filter((result) => result.outcome.status !== 'passed');
if (notPassed.length > 0) console.log('\nReasons:');
let failuresShown = 0;
for (const result of notPassed) {
  if (result.outcome.status === 'passed') continue;
  if (result.outcome.status === 'failed' && !verbose && ++failuresShown > 60) continue;
  console.log(`  ${result.outcome.status.toUpperCase().padEnd(8)} [${result.group}] ${result.name}: ${result.outcome.reason}`);
}
const totals = rows.reduce(
  (sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed, excluded: sum.excluded + row.excluded }),
  { passed: 0, failed: 0, excluded: 0 },
);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.excluded} excluded`);
if (record) {
  await writeRecord('openehr', recordOpenEhrRun(results, backend));
  const rendered = await writeConformanceDoc();
  console.log(
    `recorded in test/conformance/results/openehr.json${rendered ? '; docs/conformance.md rendered' : ' (record the other run to render docs/conformance.md)'}`,
  );
}
process.exit(totals.failed > 0 ? 1 : 0);
