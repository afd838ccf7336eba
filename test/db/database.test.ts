import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createEmptyTestDatabase, type TestDatabase } from '../support/test-database.js';

describe(`database interface on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    await test.db.exec('CREATE TABLE item (id integer PRIMARY KEY, label text NOT NULL, total bigint)');
  });
  afterAll(() => test.drop());

  it('reports its backend', () => {
    expect(test.db.backend).toBe(backend);
  });

  it('runs parameterised queries and passes values as parameters, never as SQL', async () => {
    const hostile = "x'); DROP TABLE item; --";
    await test.db.query('INSERT INTO item (id, label, total) VALUES ($1, $2, $3)', [1, hostile, 5_000_000_000]);
    const { rows, rowCount } = await test.db.query<{ label: string; total: number }>('SELECT label, total FROM item WHERE id = $1', [1]);
    expect(rowCount).toBe(1);
    expect(rows).toEqual([{ label: hostile, total: 5_000_000_000 }]);
  });

  it('counts rows written, and rows returned by a query', async () => {
    const result = await test.db.query('UPDATE item SET label = $1 WHERE id = $2', ['renamed', 1]);
    expect(result.rowCount).toBe(1);
  });

  it('commits a transaction that succeeds', async () => {
    const returned = await test.db.transaction(async (tx) => {
      await tx.query('INSERT INTO item (id, label) VALUES ($1, $2)', [2, 'two']);
      await tx.query('INSERT INTO item (id, label) VALUES ($1, $2)', [3, 'three']);
      return 'done';
    });
    expect(returned).toBe('done');
    const { rows } = await test.db.query('SELECT id FROM item WHERE id IN (2, 3) ORDER BY id');
    expect(rows).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('rolls back every write of a transaction that fails', async () => {
    await expect(
      test.db.transaction(async (tx) => {
        await tx.query('INSERT INTO item (id, label) VALUES ($1, $2)', [4, 'four']);
        await tx.query('INSERT INTO item (id, label) VALUES ($1, $2)', [2, 'duplicate id']);
      }),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await test.db.query('SELECT id FROM item WHERE id = 4');
    expect(rows).toEqual([]);
  });

  it('delivers NOTIFY payloads to listeners until they unsubscribe', async () => {
    const received: string[] = [];
    const unlisten = await test.db.listen('ucp_test_channel', (payload) => received.push(payload));
    await test.db.query("SELECT pg_notify('ucp_test_channel', $1)", ['first']);
    await expect.poll(() => received, { timeout: 5_000 }).toEqual(['first']);
    await unlisten();
    await test.db.query("SELECT pg_notify('ucp_test_channel', $1)", ['second']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual(['first']);
  });

  it('delivers notifications only once a transaction commits', async () => {
    const received: string[] = [];
    const unlisten = await test.db.listen('ucp_tx_channel', (payload) => received.push(payload));
    await test.db
      .transaction(async (tx) => {
        await tx.query("SELECT pg_notify('ucp_tx_channel', 'rolled back')");
        throw new Error('abort');
      })
      .catch(() => undefined);
    await test.db.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('ucp_tx_channel', 'committed')");
    });
    await expect.poll(() => received, { timeout: 5_000 }).toEqual(['committed']);
    await unlisten();
  });
});
