import { readFile } from 'node:fs/promises';
import { NHS_NUMBER_SYSTEM, testNhsNumber } from '../../src/nhs/nhs-number.js';
import { ehrStatusForSubject } from '../../src/openehr/service/ehr-status.js';

const FIXTURES = new URL('../fixtures/openehr/', import.meta.url);

/** Reads a file of the openEHR fixtures (see test/fixtures/openehr/README.md for origins). */
export function readOpenEhrFixture(path: string): Promise<string> {
  return readFile(new URL(path, FIXTURES), 'utf8');
}

export async function readOpenEhrJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readOpenEhrFixture(path)) as T;
}

export const SDK = 'ehrbase-openEHR_SDK/';
export const NHS_NUMBER_NAMESPACE = NHS_NUMBER_SYSTEM;

export function ehrStatusFor(nhsNumber: string): Record<string, unknown> {
  return ehrStatusForSubject({ id: nhsNumber, namespace: NHS_NUMBER_NAMESPACE });
}

let serial = Math.floor(Math.random() * 400_000);
/** A fresh valid test-range NHS number on each call (test files share databases' subject index). */
export function nextTestNhsNumber(): string {
  return testNhsNumber(serial++);
}
