import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, QUIET_SERVER, type Store } from '../faults/fault-harness.js';
import { spawnServer } from '../process/server-process.js';
import { backend } from '../support/test-database.js';

const KEY_A = Buffer.alloc(32, 0xa1).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb2).toString('hex');

describe(`the key-encryption key at start-up on ${backend}`, { timeout: 180_000 }, () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(process.env['DATABASE_URL']);
  });
  afterAll(() => store.dispose());

  it('refuses a malformed UCP_SECRETS_KEY without printing it', async () => {
    const server = spawnServer({ UCP_SECRETS_KEY: 'hunter2-is-not-a-key' });
    expect(await server.exited).toBe(1);
    expect(server.stderr).toEqual([expect.stringMatching(/^ucp: invalid configuration: UCP_SECRETS_KEY must be 32 bytes/)]);
    expect(server.stderr.join('\n')).not.toContain('hunter2');
  });

  it('starts with the key the store was set up with, and stops with one clear line under another key', async () => {
    const first = spawnServer({ ...QUIET_SERVER, ...store.env, UCP_SECRETS_KEY: KEY_A });
    await first.listening;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const wrong = spawnServer({ ...QUIET_SERVER, ...store.env, UCP_SECRETS_KEY: KEY_B });
    expect(await wrong.exited).toBe(1);
    expect(wrong.stderr.at(-1)).toMatch(
      /^ucp: the key-encryption key \(key [\w-]+\) is not the one this database's secrets are sealed under/,
    );
    expect(wrong.stderr.join('\n')).not.toContain(KEY_B);

    const again = spawnServer({ ...QUIET_SERVER, ...store.env, UCP_SECRETS_KEY: KEY_A });
    await again.listening;
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('without UCP_SECRETS_KEY, keeps the key in a file of the (embedded) data folder that only its owner reads', async () => {
    const embedded = await freshStore(undefined);
    try {
      const server = spawnServer({ ...QUIET_SERVER, ...embedded.env });
      await server.listening;
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const dataDir = embedded.env['UCP_DATA_DIR'] ?? '';
      expect((await stat(join(dataDir, 'secrets.key'))).mode & 0o777).toBe(0o600);
    } finally {
      await embedded.dispose();
    }
  });
});
