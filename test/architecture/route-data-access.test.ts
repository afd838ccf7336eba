import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue #10, "one door to the data": a route or plugin file reaches people's data through the
 * caller's repository (`request.repository`, `request.person`, `request.openPerson`) or a service
 * given to it at wiring — never the database or a store. This finds every `*-routes.ts` and
 * `*-plugin.ts` under src/ that imports `src/db/` or a `*-store` module, and allows none: the
 * authentication plumbing, administration and the outbox consumers' plugins included, each is
 * handed a service made once at wiring (src/server/app-services.ts, src/server/app.ts).
 */
const SRC = path.resolve('src');

async function routeAndPluginFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return routeAndPluginFiles(full);
      return /-(routes|plugin)\.ts$/.test(entry.name) ? [full] : [];
    }),
  );
  return nested.flat();
}

/** The relative modules a file imports or re-exports, statically or dynamically, resolved against it. */
function importedModules(file: string, source: string): string[] {
  const specifiers = [
    ...source.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
  ].map((match) => match[1] ?? '');
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => path.resolve(path.dirname(file), specifier));
}

/** Why a module is the database or a store; undefined when it is neither. */
function dataAccessOf(module: string): string | undefined {
  const relative = path.relative(SRC, module).split(path.sep).join('/');
  if (relative.startsWith('db/')) return `src/${relative}`;
  if (/-store(\.js|\.ts)?$/.test(relative)) return `src/${relative}`;
  return undefined;
}

async function routesReachingData(): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const file of await routeAndPluginFiles(SRC)) {
    const reached = importedModules(file, await readFile(file, 'utf8')).flatMap((module) => dataAccessOf(module) ?? []);
    if (reached.length > 0) found[path.relative(process.cwd(), file).split(path.sep).join('/')] = reached;
  }
  return found;
}

describe('route and plugin files reach data only through the repository or services (issue #10)', () => {
  it('finds no route or plugin importing the database or a store', async () => {
    const found = await routesReachingData();
    expect(found, 'route/plugin files importing src/db or a *-store module: go through request.repository or a service').toEqual({});
  });

  it('looks at the route and plugin files there are (the check cannot pass by finding none)', async () => {
    const files = (await routeAndPluginFiles(SRC)).map((file) => path.relative(SRC, file).split(path.sep).join('/'));
    expect(files).toEqual(
      expect.arrayContaining(['auth/local/local-sign-in-routes.ts', 'api/administration/user-routes.ts', 'nrl/nrl-plugin.ts']),
    );
  });

  it('recognises every form of import of the database or a store, and nothing else', () => {
    const file = path.join(SRC, 'api', 'example-routes.ts');
    const source = [
      "import type { Database } from '../db/database.js';",
      "import {\n  listCareTeam,\n} from '../access/care-team-store.js';",
      "export { findOrganisation } from '../organisations/organisation-store.js';",
      "const late = await import('../db/migrations.js');",
      "import '../db/side-effect.js';",
      "import { Repository } from '../repository/repository.js';",
      "import { restore } from '../backup/restore.js';",
      "import { Type } from 'typebox';",
    ].join('\n');
    expect(importedModules(file, source).flatMap((module) => dataAccessOf(module) ?? [])).toEqual([
      'src/db/database.js',
      'src/access/care-team-store.js',
      'src/organisations/organisation-store.js',
      'src/db/migrations.js',
      'src/db/side-effect.js',
    ]);
  });
});
