import { readFile } from 'node:fs/promises';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../eslint-layers.js';

/** The "Dependency rules" table of docs/architecture.md: part → the parts it may import. */
async function documentedLayers(): Promise<Record<string, string[]>> {
  const docs = await readFile(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
  const section = docs.split(/^## Dependency rules$/m)[1]?.split(/^## /m)[0] ?? '';
  const table: Record<string, string[]> = {};
  for (const line of section.split('\n')) {
    const cells = /^\| `([^`]+)` \| (.*) \|$/.exec(line.trim());
    if (!cells) continue;
    table[cells[1] ?? ''] = [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
  }
  return table;
}

describe('the layers of docs/architecture.md, enforced by the lint', () => {
  it('keeps the documented dependency rules and the lint rules equal', async () => {
    const documented = await documentedLayers();
    expect(Object.keys(documented).length).toBeGreaterThan(20);
    const sorted = (table: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(table).map(([part, imports]) => [part, [...imports].sort()]));
    expect(sorted(documented)).toEqual(sorted(LAYERS));
  });

  it('fails the lint for an import across a forbidden boundary, at any depth, and passes an allowed one', async () => {
    const eslint = new ESLint();
    const lint = async (filePath: string, code: string) =>
      (await eslint.lintText(code, { filePath })).flatMap((result) => result.messages).filter((m) => m.ruleId === 'layers/allowed-imports');

    const coreImportsHttp = await lint('src/openehr/rm/forbidden-example.ts', "export { buildApp } from '../../server/app.js';\n");
    expect(coreImportsHttp.map((m) => m.message)).toEqual(['openehr/rm may not import server (docs/architecture.md, dependency rules).']);
    const carePlanImportsRest = await lint(
      'src/careplan/http/forbidden-example.ts',
      "import type { ReturnPreference } from '../../openehr/rest/openehr-headers.js';\nexport type X = ReturnPreference;\n",
    );
    expect(carePlanImportsRest).toHaveLength(1);
    const siblingOutward = await lint(
      'src/openehr/aql/compile/forbidden-example.ts',
      "export { readVersion } from '../../store/version-store.js';\n",
    );
    expect(siblingOutward.map((m) => m.message)).toEqual([
      'openehr/aql may not import openehr/store (docs/architecture.md, dependency rules).',
    ]);
    const allowed = await lint('src/openehr/rest/allowed-example.ts', "export { Repository } from '../../repository/repository.js';\n");
    expect(allowed).toEqual([]);
  }, 60_000);
});
