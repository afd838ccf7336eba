import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors/error-catalogue.js';

describe('the error catalogue', () => {
  it('is documented in docs/errors.md, code by code, with the same status', async () => {
    const doc = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Map([...doc.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)].map((match) => [match[1], Number(match[2])]));
    const catalogued = new Map(Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [code, entry.status]));
    expect(documented).toEqual(catalogued);
  });
});
