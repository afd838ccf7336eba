import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositionToFlat } from './canonical-to-flat.js';
import { FlatFormatError } from './flat-format-error.js';
import { flatToComposition } from './flat-to-canonical.js';
import {
  CANONICAL_DIFFERENCES,
  CANONICAL_FIXTURES,
  FLAT_DIFFERENCES,
  FLAT_FIXTURES,
  NOW,
  unexplainedCanonicalDiffs,
  unexplainedChanges,
} from '../../../test/support/openehr/round-trip-corpus.js';
import { IT, SDK, fixtureFlat, fixtureJson, templateFixture } from '../../../test/support/openehr/flat-fixtures.js';

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof FlatFormatError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('FLAT → canonical → FLAT on every FLAT fixture', () => {
  it('lists every FLAT fixture in the corpus', () => {
    const listed = new Set(FLAT_FIXTURES.map((fixture) => fixture.file));
    const dirs = [
      `${SDK}composition/flat/simSDT/`,
      `${SDK}composition/flat/simSDT/conformance/`,
      `${IT}compositions/FLAT/`,
      `${IT}flat_compositions/`,
    ];
    const aqlFlat = `${IT}aql/data_load/compositions/external/`;
    const root = new URL('../../../test/fixtures/openehr/', import.meta.url);
    const onDisk = [
      ...dirs.flatMap((dir) =>
        readdirSync(new URL(dir, root), { withFileTypes: true })
          .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.includes('structured'))
          .map((entry) => `${dir}${entry.name}`),
      ),
      ...readdirSync(new URL(aqlFlat, root))
        .filter((name) => name.endsWith('_flat.json'))
        .map((name) => `${aqlFlat}${name}`),
    ];
    expect(onDisk.filter((file) => !listed.has(file))).toEqual([]);
    expect(onDisk.length).toBeGreaterThan(100);
  });

  it('explains every kind of difference it allows', () => {
    for (const difference of Object.values(FLAT_DIFFERENCES)) expect(difference.why.length).toBeGreaterThan(20);
    for (const difference of Object.values(CANONICAL_DIFFERENCES)) expect(difference.why.length).toBeGreaterThan(20);
  });

  for (const fixture of FLAT_FIXTURES) {
    const name = fixture.file.slice(fixture.file.lastIndexOf('/', fixture.file.lastIndexOf('/') - 1) + 1);
    const { expect: expectation, opt } = fixture;
    if ('unavailable' in expectation || opt === undefined) continue;

    if ('errors' in expectation) {
      it(`${name} is rejected: ${expectation.why}`, () => {
        const { webTemplate, skippedNode } = templateFixture(opt);
        const issues = issuesOf(() => flatToComposition(fixtureFlat(fixture.file), webTemplate, { now: NOW, skippedNode }));
        expect(issues).toEqual(expect.arrayContaining([...expectation.errors]));
      });
      continue;
    }

    it(`${name} ${'exact' in expectation ? 'comes back unchanged' : `comes back with ${expectation.differences.join(', ')}`}`, () => {
      const { webTemplate, skippedNode } = templateFixture(opt);
      const flat = fixtureFlat(fixture.file);
      const composition = flatToComposition(flat, webTemplate, { now: NOW, skippedNode });
      const back = compositionToFlat(composition, webTemplate, { skippedNode });
      if ('exact' in expectation) {
        expect(back).toEqual(flat);
        return;
      }
      expect(unexplainedChanges(flat, back, expectation.differences)).toEqual([]);
      // Whatever was normalised, the result is a fixed point: it converts to the same composition
      // and back to itself.
      const again = flatToComposition(back, webTemplate, { skippedNode });
      expect(again).toEqual(composition);
      expect(compositionToFlat(again, webTemplate, { skippedNode })).toEqual(back);
    });
  }
});

describe('canonical → FLAT → canonical on the canonical fixtures', () => {
  for (const fixture of CANONICAL_FIXTURES) {
    const name = fixture.file.slice(fixture.file.lastIndexOf('/') + 1);
    const { expect: expectation } = fixture;

    if ('unrepresentable' in expectation) {
      it(`${name} is reported, not dropped: ${expectation.why}`, () => {
        const { webTemplate } = templateFixture(fixture.opt);
        const issues = issuesOf(() => compositionToFlat(fixtureJson(fixture.file), webTemplate));
        expect(issues.length).toBeGreaterThan(0);
        expect(issues.filter((issue) => !expectation.unrepresentable.test(issue))).toEqual([]);
      });
      continue;
    }

    it(`${name} comes back${expectation.differences.length > 0 ? ` up to ${expectation.differences.join(', ')}` : ''}`, () => {
      const { webTemplate, skippedNode } = templateFixture(fixture.opt);
      const original = fixtureJson(fixture.file);
      const back = flatToComposition(compositionToFlat(original, webTemplate, { skippedNode }), webTemplate, { skippedNode });
      expect(unexplainedCanonicalDiffs(original, back, expectation.differences)).toEqual([]);
      // A composition this converter wrote itself comes back exactly.
      expect(flatToComposition(compositionToFlat(back, webTemplate, { skippedNode }), webTemplate, { skippedNode })).toEqual(back);
    });
  }
});
