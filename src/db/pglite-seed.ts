import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A prepared empty PGlite data folder: the cluster PGlite's initdb makes, dumped once by
 * scripts/build-server.mjs (on `npm install` and `npm start`) and unpacked into each new data
 * folder instead of running initdb again — which costs some 4 s of CPU and 800 MB of memory each
 * time, against under 1 s and half that to unpack. It holds no schema and no data of ours; the
 * migrations run on it as on any new database. Used only by the PGlite version that made it.
 */
export const PGLITE_SEED = new URL('../../dist/pglite-seed.tar.gz', import.meta.url);
export const PGLITE_SEED_VERSION = new URL('../../dist/pglite-seed.version', import.meta.url);

/** The prepared data folder, when there is one for the installed PGlite and `directory` holds no database yet. */
export async function pgliteSeedFor(directory: string): Promise<Blob | undefined> {
  if (existsSync(join(directory, 'PG_VERSION'))) return undefined;
  const made = await readFile(PGLITE_SEED_VERSION, 'utf8').catch(() => undefined);
  if (made === undefined || made.trim() !== (await installedPgliteVersion())) return undefined;
  const seed = await readFile(PGLITE_SEED).catch(() => undefined);
  return seed ? new Blob([seed]) : undefined;
}

/** The version of @electric-sql/pglite in node_modules (its package.json is not exported, so found beside its entry). */
export async function installedPgliteVersion(): Promise<string> {
  let folder = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  for (;;) {
    const parent = join(folder, '..');
    if (parent === folder) throw new Error('@electric-sql/pglite: package.json not found');
    folder = parent;
    const manifest = await readFile(join(folder, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest === undefined) continue;
    const { name, version } = JSON.parse(manifest) as { name?: string; version?: string };
    if (name === '@electric-sql/pglite' && version) return version;
  }
}
