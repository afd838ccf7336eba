import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // expect.poll waits for something that will happen (a screen rendered, an event delivered);
    // its 1 s default fails such a wait on a loaded CI machine, not on a wrong result.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    // Each test file gets its own database (see test/support/database.ts), so files run in parallel.
    fileParallelism: true,
    // The server bundle that `npm start` runs, built once for the tests that start the real process.
    globalSetup: ['test/support/build-server.ts'],
  },
});
