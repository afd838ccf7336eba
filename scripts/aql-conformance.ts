/**
 * npm run aql:conformance — replays EHRbase's AQL suites (and the older query/ suite) through the
 * REST API, each suite on a fresh repository (embedded PostgreSQL, or a new database on
 * DATABASE_URL's server), and prints passed / failed / excluded per suite folder and in total,
 * then every failure: the suite and case, the reason (expected vs got, the first differing row)
 * and the query as sent.
 * Options: --suite <substring> (only suites whose name contains it; repeatable), --no-query-suite,
 * --failures <n> (how many failures to print, default 80; 0 = all), --json <file> (every result),
 * --record (a full run only: write test/conformance/results/aql.json and render docs/conformance.md).
 */
import { writeFile } from 'node:fs/promises';
import { aqlRepositories } from '../test/conformance/aql/aql-app.js';
import { describeCase, runAqlConformance, type AqlCaseResult } from '../test/conformance/aql/aql-conformance.js';
import { recordAqlRun, writeConformanceDoc, writeRecord } from '../test/conformance/conformance-record.js';
import { backend } from '../test/support/test-database.js';

const args = process.argv.slice(2);
const valuesOf = (flag: string) => args.flatMap((arg, i) => (arg === flag && args[i + 1] !== undefined ? [args[i + 1] as string] : []));
const filters = valuesOf('--suite');
const shown = Number(valuesOf('--failures')[0] ?? 80);
const jsonFile = valuesOf('--json')[0];
const record = args.includes('--record');
if (record && (filters.length > 0 || args.includes('--no-query-suite'))) {
  console.error('--record needs a full run: drop --suite and --no-query-suite');
  process.exit(2);
}

const started = Date.now();
let done = 0;
const repositories = await aqlRepositories();
const results = await runAqlConformance(repositories.createApp, repositories.systemId, {
  ...(filters.length > 0 ? { suites: (all) => all.filter((suite) => filters.some((filter) => suite.name.includes(filter))) } : {}),
  querySuite: args.includes('--no-query-suite') || filters.length > 0 ? 'none' : 'all',
  onResult: () => {
    if (++done % 50 === 0) process.stderr.write(`  ${done} cases…\n`);
  },
});
await repositories.close();

const count = (cases: readonly AqlCaseResult[], status: string) => cases.filter((c) => c.outcome.status === status).length;
const bySuite = new Map<string, AqlCaseResult[]>();
for (const result of results) bySuite.set(result.suite, [...(bySuite.get(result.suite) ?? []), result]);
const width = Math.max(...[...bySuite.keys()].map((name) => name.length), 5);
console.log(`\nAQL conformance (${backend}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
console.log(`${'suite'.padEnd(width)}  passed  failed  excluded`);
for (const [suite, cases] of bySuite) {
  console.log(
    `${suite.padEnd(width)}  ${String(count(cases, 'passed')).padStart(6)}  ${String(count(cases, 'failed')).padStart(6)}  ${String(count(cases, 'excluded')).padStart(8)}`,
  );
}
const folders = [...new Set(results.map((result) => result.folder))];
console.log('\nBy folder:');
for (const folder of folders) {
  const cases = results.filter((result) => result.folder === folder);
  console.log(
    `  ${folder.padEnd(22)} ${count(cases, 'passed')} passed, ${count(cases, 'failed')} failed, ${count(cases, 'excluded')} excluded`,
  );
}
const onlyRun = results.filter((result) => result.check === 'runs' && result.outcome.status === 'passed').length;
if (onlyRun > 0) console.log(`\n(${onlyRun} of the passes only show that the query runs: the index names no expected result for it)`);

const excluded = results.filter((result) => result.outcome.status === 'excluded');
if (excluded.length > 0) {
  console.log('\nExcluded:');
  const reasons = new Map<string, number>();
  for (const result of excluded)
    if (result.outcome.status === 'excluded')
      reasons.set(`${result.suite}: ${result.outcome.reason}`, (reasons.get(`${result.suite}: ${result.outcome.reason}`) ?? 0) + 1);
  for (const [reason, n] of reasons) console.log(`  ${n} × ${reason}`);
}
const failures = results.filter((result) => result.outcome.status === 'failed');
if (failures.length > 0) {
  console.log(`\nFailures${shown > 0 && failures.length > shown ? ` (first ${shown} of ${failures.length}; --failures 0 for all)` : ''}:`);
  for (const result of shown > 0 ? failures.slice(0, shown) : failures) console.log(`  ${describeCase(result)}`);
}
if (jsonFile) await writeFile(jsonFile, JSON.stringify(results, null, 2));
if (record) {
  await writeRecord('aql', recordAqlRun(results, backend));
  const rendered = await writeConformanceDoc();
  console.log(
    `\nrecorded in test/conformance/results/aql.json${rendered ? '; docs/conformance.md rendered' : ' (record the other run to render docs/conformance.md)'}`,
  );
}
console.log(
  `\n${count(results, 'passed')} passed, ${failures.length} failed, ${excluded.length} excluded (${results.length} cases in ${bySuite.size} suites)`,
);
process.exit(failures.length > 0 ? 1 : 0);
