import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database (see test/support/database.ts), so files run in parallel.
    fileParallelism: true,
    // The server bundle that `npm start` runs, built once for the tests that start the real process.
    globalSetup: ['test/support/build-server.ts'],
  },
});
