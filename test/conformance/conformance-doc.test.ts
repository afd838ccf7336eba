import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderConformanceDoc } from './conformance-doc.js';
import { conformanceDocFromRecords, DOC_FILE, keysMissingFromRecord, readRecord, type RunRecord } from './conformance-record.js';

/** Runs no suite: it checks docs/conformance.md against the committed records and the current exclusion lists. */
describe('docs/conformance.md', () => {
  it('is what `npm run conformance:doc` renders from the recorded runs and the current exclusion lists', async () => {
    const committed = await readFile(DOC_FILE, 'utf8');
    expect(committed === (await conformanceDocFromRecords()), 'docs/conformance.md is stale: run `npm run conformance:doc`').toBe(true);
  });

  it.each(['openehr', 'aql'] as const)('has every %s exclusion key in the recorded full run', async (kind) => {
    const record = await readRecord(kind);
    expect(
      keysMissingFromRecord(kind, record),
      `record a full run again: npm run ${kind === 'aql' ? 'aql:' : ''}conformance -- --record`,
    ).toEqual([]);
    expect(record.total.failed, 'the recorded run failed cases').toBe(0);
  });
});

describe('renderConformanceDoc', () => {
  const record = (excludedBy: Record<string, number>): RunRecord => ({
    command: 'npm run x',
    date: '2026-12-07',
    backend: 'PGlite',
    total: { passed: 3, failed: 0, excluded: 3 },
    groups: [{ name: 'g|1', passed: 3, failed: 0, excluded: 3 }],
    excludedBy,
  });
  const shared = { reason: 'the fixture breaks rule X.', evidence: /constraint: `X`/ };

  it('groups exclusions by cause, most cases first, with counts, reason and evidence', () => {
    const text = renderConformanceDoc({
      openehr: record({ 'g:a': 1, 'g:b': 1, 'g:c': 1 }),
      aql: record({ suite: 3 }),
      openehrExclusions: { 'g:a': shared, 'g:b': { reason: 'another reason', evidence: /Y/ }, 'g:c': shared },
      aqlExclusions: { suite: shared },
    });
    expect(text).toContain('| g\\|1 | 3 | 0 | 3 |');
    expect(text).toContain('**3 passed, 0 failed, 3 excluded** of 6 cases');
    expect(text).toContain(
      [
        '#### openEHR fixtures, cause 1: 2 cases',
        '',
        'Reason: the fixture breaks rule X.',
        '',
        'Evidence (every problem of the failure must match): `` constraint: `X` ``',
        '',
        '- `g:a`',
        '- `g:c`',
      ].join('\n'),
    );
    expect(text).toContain('#### openEHR fixtures, cause 2: 1 case\n\nReason: another reason.');
    expect(text).toContain('- `suite` (3 cases)');
  });
});
