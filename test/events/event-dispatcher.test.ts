import { afterEach, describe, expect, it } from 'vitest';
import { EventDispatcher } from '../../src/events/event-dispatcher.js';
import { appendEvent, type OutboxEvent } from '../../src/events/outbox.js';
import { PgDatabase } from '../../src/db/pg-database.js';
import { backend, createTestDatabase, silentLogger, type TestDatabase } from '../support/test-database.js';

describe(`event dispatcher on ${backend}`, () => {
  let test: TestDatabase;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('delivers committed events in order, and nothing of a rolled-back transaction', async () => {
    test = await createTestDatabase();
    cleanups.push(() => test.drop());
    const dispatcher = new EventDispatcher(test.db, silentLogger);
    await dispatcher.start();
    cleanups.push(() => dispatcher.stop());
    const received: OutboxEvent[] = [];
    dispatcher.subscribe((event) => received.push(event));

    await test.db.transaction((tx) => appendEvent(tx, 'test.topic', { n: 1 }));
    await test.db.transaction(async (tx) => {
      await appendEvent(tx, 'test.topic', { n: 2 });
      await appendEvent(tx, 'test.topic', { n: 3 });
    });
    await test.db
      .transaction(async (tx) => {
        await appendEvent(tx, 'test.topic', { n: 'rolled back' });
        throw new Error('abort');
      })
      .catch(() => undefined);
    await test.db.transaction((tx) => appendEvent(tx, 'test.topic', { n: 4 }));

    await expect.poll(() => received.map((event) => event.payload), { timeout: 5_000 }).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    const seqs = received.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('does not replay events from before it started', async () => {
    test = await createTestDatabase();
    cleanups.push(() => test.drop());
    await test.db.transaction((tx) => appendEvent(tx, 'test.topic', { old: true }));
    const dispatcher = new EventDispatcher(test.db, silentLogger);
    await dispatcher.start();
    cleanups.push(() => dispatcher.stop());
    const received: unknown[] = [];
    dispatcher.subscribe((event) => received.push(event.payload));
    await test.db.transaction((tx) => appendEvent(tx, 'test.topic', { new: true }));
    await expect.poll(() => received, { timeout: 5_000 }).toEqual([{ new: true }]);
  });

  // Across servers the notification travels through the database itself: a write on one
  // connection pool reaches a dispatcher listening on another.
  it('delivers an event written by another server', async () => {
    test = await createTestDatabase();
    cleanups.push(() => test.drop());
    const other = test.url ? new PgDatabase({ connectionString: test.url, maxConnections: 2, logger: silentLogger }) : test.db;
    if (other !== test.db) cleanups.push(() => other.close());
    const dispatcher = new EventDispatcher(test.db, silentLogger, { pollIntervalMs: 60_000 });
    await dispatcher.start();
    cleanups.push(() => dispatcher.stop());
    const received: unknown[] = [];
    dispatcher.subscribe((event) => received.push(event.payload));
    const started = Date.now();
    await other.transaction((tx) => appendEvent(tx, 'test.topic', { from: 'elsewhere' }));
    await expect.poll(() => received, { timeout: 2_000, interval: 10 }).toEqual([{ from: 'elsewhere' }]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe(`the outbox's order on ${backend}`, () => {
  // Sequence numbers are taken at insert; if a later number could commit first, a listener
  // that had read past it would skip the earlier one for good.
  it('commits events in sequence order even when their transactions overlap', async () => {
    const test = await createTestDatabase();
    const other = test.url ? new PgDatabase({ connectionString: test.url, maxConnections: 2, logger: silentLogger }) : test.db;
    const dispatcher = new EventDispatcher(test.db, silentLogger, { pollIntervalMs: 60_000 });
    try {
      await dispatcher.start();
      const received: unknown[] = [];
      dispatcher.subscribe((event) => received.push(event.payload));
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let firstAppended: () => void = () => undefined;
      const appended = new Promise<void>((resolve) => {
        firstAppended = resolve;
      });
      const slow = test.db.transaction(async (tx) => {
        await appendEvent(tx, 'test.topic', { n: 'first' });
        firstAppended();
        await held;
      });
      await appended;
      const fast = other.transaction((tx) => appendEvent(tx, 'test.topic', { n: 'second' }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await Promise.all([slow, fast]);
      await expect.poll(() => received, { timeout: 3_000 }).toEqual([{ n: 'first' }, { n: 'second' }]);
    } finally {
      await dispatcher.stop();
      if (other !== test.db) await other.close();
      await test.drop();
    }
  });
});
