import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest's global set-up: builds dist/main.js (scripts/build-server.mjs) once before any test
 * file runs, so the tests that start the server as `npm start` does run the current sources.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-server.mjs', '--server-only'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: 'inherit',
  });
}
