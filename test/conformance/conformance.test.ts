import { describe, expect, it } from 'vitest';
import { backend } from '../support/test-database.js';
import { createConformanceApp } from './conformance-app.js';
import { GROUPS } from './conformance-groups.js';
import { EXCLUSIONS } from './exclusions.js';
import { planTemplates, templateByFileName } from './fixture-templates.js';
import { applyExclusion, runOpenEhrConformance } from './openehr-conformance.js';

/** The quick form of `npm run conformance`: every fourth case of each group. */
describe(`openEHR conformance (quick) on ${backend}`, () => {
  it('replays a sample of the fixtures through the REST API without a failure', { timeout: 120_000 }, async () => {
    const results = await runOpenEhrConformance(createConformanceApp, { sampleEvery: 4 });
    const failures = results
      .filter((result) => result.outcome.status === 'failed')
      .map((result) => `[${result.group}] ${result.name}: ${result.outcome.status === 'failed' ? result.outcome.reason : ''}`);
    expect(failures).toEqual([]);
    expect(results.filter((result) => result.outcome.status === 'passed').length).toBeGreaterThan(100);
    for (const result of results) {
      if (result.outcome.status === 'excluded') expect(result.outcome.reason.trim(), `${result.group}: ${result.name}`).not.toBe('');
    }
  });

  it('gives every exclusion a specific reason', () => {
    for (const [key, exclusion] of Object.entries(EXCLUSIONS)) {
      expect(exclusion.reason.length, key).toBeGreaterThan(40);
      expect(
        Object.values(GROUPS).some((group) => key.startsWith(`${group}:`)),
        `${key} names no group`,
      ).toBe(true);
    }
  });
});

describe('exclusions cannot hide other failures', () => {
  const exclusion = { reason: 'the fixture breaks rule X', evidence: /constraint: X/ };

  it('excludes a case that fails for the stated reason only', () => {
    expect(
      applyExclusion(exclusion, { status: 'failed', reason: '422', issues: ['/a: bad (constraint: X)', '/b: bad (constraint: X)'] }),
    ).toEqual({
      status: 'excluded',
      reason: 'the fixture breaks rule X',
    });
  });

  it('fails a case that also fails otherwise, or passes', () => {
    expect(
      applyExclusion(exclusion, { status: 'failed', reason: '422', issues: ['/a: bad (constraint: X)', '/b: bad (constraint: Y)'] }),
    ).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('constraint: Y') as unknown,
    });
    expect(applyExclusion(exclusion, { status: 'passed' })).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('passes now') as unknown,
    });
  });
});

describe('templates of record and revisions', () => {
  it('uploads the first OPT of each template id up front and later ones in layers of their own', () => {
    const plan = planTemplates([
      { path: 'a/nested.opt', templateId: 'nested.en.v1' },
      { path: 'b/minimal.opt', templateId: 'minimal' },
      { path: 'c/nested_same_uid.opt', templateId: 'nested.en.v1' },
      { path: 'd/nested_updated.opt', templateId: 'nested.en.v1' },
      { path: 'e/broken.opt', templateId: undefined },
    ]);
    expect(plan).toEqual({
      ofRecord: ['a/nested.opt', 'b/minimal.opt', 'e/broken.opt'],
      revisionLayers: [['c/nested_same_uid.opt'], ['d/nested_updated.opt']],
    });
  });

  it('tells the templates of one web template root apart by the longest id the file name starts with', () => {
    const ids = ['minimal_action.en.v1', 'minimal_action_2', 'minimal_admin.en.v1'];
    expect(templateByFileName('x/minimal_action_2_20211018102553_000001_1.xml.flat.json', ids)).toBe('minimal_action_2');
    expect(templateByFileName('x/minimal_action.en.v1__health_care_facility_select_missing.json', ids)).toBe('minimal_action.en.v1');
    expect(templateByFileName('x/other.json', ids)).toBeUndefined();
    expect(templateByFileName('x/other.json', ['only'])).toBe('only');
  });
});
