import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositionToFlat } from './canonical-to-flat.js';
import { flatToComposition } from './flat-to-canonical.js';
import { FLAT_FORMAT_VERSION } from './index.js';
import { NOW } from '../../../test/support/openehr/round-trip-corpus.js';
import { SDK, committedWebTemplate, fixtureFlat, templateFixture } from '../../../test/support/openehr/flat-fixtures.js';
import type { WebTemplate } from '../template/web-template-model.js';

/**
 * FLAT keys are a versioned contract (README.md): the same composition and web template must give
 * the same keys in every release. These lists were written once, by hand-checked conversion of the
 * fixtures; the test compares and never rewrites them. A change here needs a new
 * FLAT_FORMAT_VERSION and a note in README.md.
 */
const GOLDEN: readonly { name: string; flat: string; webTemplate: () => WebTemplate }[] = [
  {
    name: 'multi_occurrence',
    flat: `${SDK}composition/flat/simSDT/multi_occurrence.json`,
    webTemplate: () => committedWebTemplate('multi_occurrence'),
  },
  {
    name: 'test_all_types',
    flat: `${SDK}composition/flat/simSDT/test_all_types.json`,
    webTemplate: () => committedWebTemplate('test_all_types'),
  },
  {
    name: 'conformance_observation',
    flat: `${SDK}composition/flat/simSDT/conformance/ehrbase_conformance_observation.json`,
    webTemplate: () => templateFixture(`${SDK}operationaltemplate/conformance_ehrbase.de.v0.opt`).webTemplate,
  },
  {
    name: 'conformance_party_related',
    flat: `${SDK}composition/flat/simSDT/conformance/ehrbase_conformance_party_related.json`,
    webTemplate: () => templateFixture(`${SDK}operationaltemplate/conformance_ehrbase.de.v0.opt`).webTemplate,
  },
  {
    name: 'respect',
    flat: `${SDK}composition/flat/simSDT/ReSPECT.json`,
    webTemplate: () => templateFixture(`${SDK}operationaltemplate/ReSPECT-3.v0.opt`).webTemplate,
  },
];

function goldenKeys(name: string): string[] {
  const text = readFileSync(new URL(`./__golden__/${name}.flat-keys.txt`, import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

describe(`FLAT keys, format ${FLAT_FORMAT_VERSION}`, () => {
  for (const golden of GOLDEN) {
    it(`${golden.name} gives exactly the committed keys`, () => {
      const webTemplate = golden.webTemplate();
      const composition = flatToComposition(fixtureFlat(golden.flat), webTemplate, { now: NOW });
      const keys = Object.keys(compositionToFlat(composition, webTemplate)).sort();
      expect(keys).toEqual(goldenKeys(golden.name));
    });
  }
});
