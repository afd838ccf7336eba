import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../support/test-database.js';
import {
  bootstrapToken,
  checkDurability,
  EVERY_WRITE_KEPT,
  eventually,
  freshStore,
  prepareRepository,
  sleep,
  startServer,
  startWriter,
  status,
  type Store,
} from './fault-harness.js';

/**
 * The server process is killed outright (SIGKILL: no shutdown, no flush) in the middle of a
 * stream of commits, twice, and started again on the same store. Every commit it acknowledged
 * must be there whole — version, contribution, event, audit record — and the chain must verify.
 */
describe(`SIGKILL in the middle of commits on ${backend}`, { timeout: 240_000 }, () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(process.env['DATABASE_URL']);
  });
  afterAll(() => store.dispose());

  it('keeps every acknowledged commit whole across two kills', async () => {
    const acknowledged: string[] = [];
    let target: { ehrId: string; composition: string } | undefined;
    for (let round = 0; round < 2; round++) {
      const { server, address } = await startServer(store.env);
      const token = await bootstrapToken(address);
      target ??= await prepareRepository(address, token);
      const writer = startWriter(address, token, target, { concurrency: 4, timeoutMs: 10_000 });
      expect(await eventually(async () => writer.acknowledged.length >= 5, 30_000)).toBe(true);
      await sleep(300);
      server.child.kill('SIGKILL');
      await server.exited;
      await writer.stop();
      acknowledged.push(...writer.acknowledged);
      expect(writer.answers.every((answer) => answer.status === 201)).toBe(true);
    }

    // A last start proves the store opens after the kill (PGlite: the dead process's lock is taken over).
    const { server, address } = await startServer(store.env);
    expect(await eventually(async () => (await status(`${address}/readyz`)) === 200, 30_000)).toBe(true);
    server.child.kill('SIGTERM');
    await server.exited;

    const db = await store.open();
    try {
      expect(await checkDurability(db, acknowledged)).toEqual(EVERY_WRITE_KEPT);
    } finally {
      await db.close();
    }
  });
});
