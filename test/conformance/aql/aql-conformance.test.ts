import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../support/test-database.js';
import { aqlRepositories, type AqlRepositories } from './aql-app.js';
import { AQL_EXCLUSIONS } from './aql-exclusions.js';
import { runAqlConformance, type AqlCaseResult } from './aql-conformance.js';
import { DATA_SETS, loadAqlSuites, type AqlSuite } from './aql-suites.js';

/**
 * Passes the quick sample must keep (a ratchet: raise it as the AQL compiler grows, never lower
 * it to make a run green). `npm run aql:conformance` runs every suite and prints each failure.
 */
const QUICK_PASSES_AT_LEAST = 200;

/** One suite of every folder: the one with the fewest precondition steps, so the sample stays quick. */
export function quickSample(all: readonly AqlSuite[]): AqlSuite[] {
  const byFolder = new Map<string, AqlSuite>();
  for (const suite of all) {
    const chosen = byFolder.get(suite.folder);
    if (suite.cases.length > 0 && (!chosen || suite.steps.length < chosen.steps.length)) byFolder.set(suite.folder, suite);
  }
  return [...byFolder.values()];
}

describe(`AQL conformance (quick) on ${backend}`, () => {
  let repositories: AqlRepositories;
  let results: AqlCaseResult[] = [];

  beforeAll(async () => {
    repositories = await aqlRepositories();
    results = await runAqlConformance(repositories.createApp, repositories.systemId, { suites: quickSample, querySuite: 'empty' });
  }, 120_000);
  afterAll(() => repositories.close());

  it('samples every folder of the suites, and the older query suite', async () => {
    const { suites } = await loadAqlSuites();
    const folders = new Set(suites.map((suite) => suite.folder));
    expect(new Set(results.map((result) => result.folder))).toEqual(new Set([...folders, 'query']));
  });

  it(`keeps at least ${QUICK_PASSES_AT_LEAST} passing cases`, () => {
    const passed = results.filter((result) => result.outcome.status === 'passed').length;
    expect(passed, `${passed} of ${results.length} passed`).toBeGreaterThanOrEqual(QUICK_PASSES_AT_LEAST);
  });

  it('has no exclusion that passes now or fails for another reason', () => {
    const stale = results.filter((result) => result.outcome.status === 'failed' && /^excluded \(/.test(result.outcome.reason));
    expect(
      stale.map((result) => `${result.suite} ${result.id}: ${result.outcome.status === 'failed' ? result.outcome.reason : ''}`),
    ).toEqual([]);
  });

  it('loads every sampled suite through the REST API without a precondition failing', () => {
    const broken = results.filter(
      (result) => result.outcome.status === 'failed' && /^precondition|^loading the data set/.test(result.outcome.reason),
    );
    expect(broken.map((result) => `${result.suite}: ${result.outcome.status === 'failed' ? result.outcome.reason : ''}`)).toEqual([]);
  });
});

describe('AQL exclusions', () => {
  it('give a specific reason and name a suite of the index', async () => {
    const { suites } = await loadAqlSuites();
    const names = new Set(suites.map((suite) => suite.name));
    for (const [key, exclusion] of Object.entries(AQL_EXCLUSIONS)) {
      expect(exclusion.reason.length, key).toBeGreaterThan(40);
      const [suite = '', id] = key.split('#');
      // The older suite's cases are named query/<database>/<group>#<file under aql_queries_valid>.
      const older = /^query\/(empty|loaded)_db\/(\w+)$/.exec(suite);
      const exists = older
        ? await stat(join(DATA_SETS, 'query/aql_queries_valid', id ?? older[2] ?? '')).then(
            () => true,
            () => false,
          )
        : names.has(suite);
      expect(exists, `${key} names no suite or case`).toBe(true);
    }
  });
});
