/**
 * Test support (not library code): the openEHR fixtures listed in test/fixtures/openehr/README.md,
 * with the kind code the README gives each file (K1 canonical JSON composition, K8 canonical XML
 * composition, K18 ORIGINAL_VERSION XML, …).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPENEHR_FIXTURES = fileURLToPath(new URL('../../fixtures/openehr/', import.meta.url));

export interface OpenEhrFixture {
  /** Relative to test/fixtures/openehr. */
  readonly file: string;
  readonly kind: string;
}

let index: readonly OpenEhrFixture[] | undefined;

function readIndex(): readonly OpenEhrFixture[] {
  const fixtures: OpenEhrFixture[] = [];
  let group: string | undefined;
  for (const line of readFileSync(join(OPENEHR_FIXTURES, 'README.md'), 'utf8').split('\n')) {
    const heading = /^### ([\w-]+) \(origin/.exec(line);
    if (heading) group = heading[1];
    const row = /^\| ([^|]+?) \|.*\| (K\d+) \|$/.exec(line);
    if (row?.[1] && row[2] && group) fixtures.push({ file: `${group}/${row[1]}`, kind: row[2] });
  }
  return fixtures;
}

export function listOpenEhrFixtures(...kinds: string[]): readonly OpenEhrFixture[] {
  index ??= readIndex();
  return index.filter((fixture) => kinds.includes(fixture.kind));
}

export function readOpenEhrFixture(file: string): string {
  return readFileSync(join(OPENEHR_FIXTURES, file), 'utf8');
}
