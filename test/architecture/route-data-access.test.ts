import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue #10, "one door to the data": a route or plugin file reaches people's data through the
 * caller's repository (`request.repository`, `request.person`, `request.openPerson`) or a service
 * given to it at wiring — never the database or a store. This finds every `*-routes.ts` and
 * `*-plugin.ts` under src/ that imports `src/db/` or a `*-store` module.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  // Authentication plumbing: these routes establish who the caller is (sign-in, second factor,
  // single sign-on, sessions, tokens and their signing keys, SMART's authorization server, a
  // record system's signed launch), before there is a caller to bind a repository to. They hold
  // accounts, sessions and keys, not people's records.
  'src/auth/local/local-sign-in-routes.ts': 'local sign-in',
  'src/auth/local/totp-routes.ts': 'second factor of a local account',
  'src/auth/oidc/oidc-routes.ts': 'single sign-on (OpenID Connect)',
  'src/auth/sessions/session-routes.ts': "the signed-in person's own web sessions",
  'src/auth/tokens/oauth2-routes.ts': 'client credentials grant',
  'src/auth/tokens/signing-key-routes.ts': 'token signing keys',
  'src/smart/smart-plugin.ts': 'SMART App Launch authorization server',
  'src/integration/contextual-launch-routes.ts': "a record system's signed sign-in and launch",
  // Not yet behind a service: the administration of staff accounts, organisations and machine
  // clients (no patient records; every change audited by administered-change.ts).
  'src/api/administration-routes.ts': 'administration (passes db to the routes below)',
  'src/api/administration/client-routes.ts': 'administration: machine clients',
  'src/api/administration/organisation-routes.ts': 'administration: organisations',
  'src/api/administration/user-account-routes.ts': 'administration: user accounts',
  'src/api/administration/user-role-routes.ts': 'administration: user roles',
  'src/api/administration/user-routes.ts': 'administration: users',
  // Plugins that wire an outbox consumer (its cursor is a store) for the process: the NRL has
  // no routes; FHIR subscriptions make their SubscriptionService and consumer here, and their
  // websocket route reaches subscriptions only through that service.
  'src/fhir/subscriptions/subscriptions-plugin.ts': 'wires the subscription service and its outbox consumer',
  'src/nrl/nrl-plugin.ts': 'wires the national record locator outbox consumer',
};

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
  it('finds no route or plugin importing the database or a store, beyond the allow-list, and no stale allow-list entry', async () => {
    const found = await routesReachingData();
    const unexpected = Object.fromEntries(Object.entries(found).filter(([file]) => !(file in ALLOWED)));
    expect(unexpected, 'route/plugin files importing src/db or a *-store module: go through request.repository or a service').toEqual({});
    const stale = Object.keys(ALLOWED).filter((file) => !(file in found));
    expect(stale, 'allow-listed files that no longer import the database or a store: remove them from ALLOWED').toEqual([]);
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
