/**
 * Builds the web app (web/ → web/dist) with Vite. Runs on `npm install` (the `prepare` script), so
 * that `npm install && npm start` serves the app with no other command, and before `npm start`
 * with `--if-missing`, which builds only when there is no build (a fresh clone installed with
 * scripts turned off, or a deleted web/dist).
 */
import { fileURLToPath } from 'node:url';
import type { build as viteBuild } from 'vite';
import { webAppBuilt } from '../src/web/web-app-plugin.js';

const ifMissing = process.argv.includes('--if-missing');
if (ifMissing && webAppBuilt()) process.exit(0);

let build: typeof viteBuild;
try {
  ({ build } = await import('vite'));
} catch {
  // Installed without development dependencies (npm install --omit=dev): nothing to build with.
  console.error('ucp: the web app is not built and Vite is not installed (run npm install with development dependencies).');
  process.exit(ifMissing ? 0 : 1);
}

const started = Date.now();
await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
console.log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s (web/dist)`);
