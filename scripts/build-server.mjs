/**
 * Builds the server for `npm start`: src/main.ts and everything it imports, bundled by esbuild
 * into dist/main.js (packages stay in node_modules). Plain JavaScript, so that it runs without a
 * TypeScript loader: starting from the bundle spares every start the loader's transpiling of some
 * 560 files and the memory that goes with it (docs/scaling.md, "Start-up"). It always rebuilds
 * (a fraction of a second), so the bundle is never older than the sources. It also builds the web
 * app when there is no build yet (a fresh clone installed with scripts turned off), unless given
 * `--server-only` (the tests' and benchmarks' set-up). And it prepares, once per PGlite version,
 * the empty PGlite data folder that new data folders start from (src/db/pglite-seed.ts).
 *
 * The bundle reads the files that sit beside the sources (migrations, templates, the web build)
 * from where they are: each module's `import.meta.url` is rewritten to its source file's URL,
 * relative to the bundle, so paths resolve as they do when the sources run directly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { Buffer } from 'node:buffer';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outfile = `${root}dist/main.js`;

if (!process.argv.includes('--server-only') && !existsSync(`${root}web/dist/index.html`)) {
  const web = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts', '--if-missing'], { cwd: root, stdio: 'inherit' });
  if (web.status !== 0) process.exit(web.status ?? 1);
}

/** `import.meta.url` of a source file, as the URL of that file seen from the bundle. */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const fromBundle = relative(dirname(outfile), args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

await build({
  entryPoints: [`${root}src/main.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  // Class and function names stay as written: logs, errors and profiles name them.
  keepNames: true,
  logLevel: 'warning',
  plugins: [sourceUrls],
});

/** PGlite's initdb, run once here rather than at every new data folder's first start. */
async function preparePgliteSeed() {
  const versionFile = `${root}dist/pglite-seed.version`;
  const manifest = JSON.parse(await readFile(`${root}node_modules/@electric-sql/pglite/package.json`, 'utf8'));
  const made = await readFile(versionFile, 'utf8').catch(() => undefined);
  if (made?.trim() === manifest.version) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const started = Date.now();
  const pg = await PGlite.create();
  const seed = await pg.dumpDataDir('gzip');
  await pg.close();
  await mkdir(`${root}dist`, { recursive: true });
  // Written aside and renamed, so a start never reads half a file.
  await writeFile(`${root}dist/pglite-seed.tar.gz.part`, Buffer.from(await seed.arrayBuffer()));
  await rename(`${root}dist/pglite-seed.tar.gz.part`, `${root}dist/pglite-seed.tar.gz`);
  await writeFile(versionFile, `${manifest.version}\n`);
  console.log(`prepared an empty PGlite data folder in ${((Date.now() - started) / 1000).toFixed(1)} s (dist/pglite-seed.tar.gz)`);
}

await preparePgliteSeed();
