import { readFile } from 'node:fs/promises';
import { testNhsNumber } from '../../src/demo/nhs-number.js';

const FIXTURES = new URL('../fixtures/openehr/', import.meta.url);

/** Reads a file of the openEHR fixtures (see test/fixtures/openehr/README.md for origins). */
export function readOpenEhrFixture(path: string): Promise<string> {
  return readFile(new URL(path, FIXTURES), 'utf8');
}

export async function readOpenEhrJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readOpenEhrFixture(path)) as T;
}

export const SDK = 'ehrbase-openEHR_SDK/';
export const NHS_NUMBER_NAMESPACE = 'https://fhir.nhs.uk/Id/nhs-number';

export function ehrStatusFor(nhsNumber: string): Record<string, unknown> {
  return {
    _type: 'EHR_STATUS',
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    name: { _type: 'DV_TEXT', value: 'EHR Status' },
    subject: {
      _type: 'PARTY_SELF',
      external_ref: {
        _type: 'PARTY_REF',
        id: { _type: 'GENERIC_ID', value: nhsNumber, scheme: 'nhs-number' },
        namespace: NHS_NUMBER_NAMESPACE,
        type: 'PERSON',
      },
    },
    is_queryable: true,
    is_modifiable: true,
  };
}

let serial = Math.floor(Math.random() * 400_000);
/** A fresh valid test-range NHS number on each call (test files share databases' subject index). */
export function nextTestNhsNumber(): string {
  return testNhsNumber(serial++);
}
