import type pg from 'pg';
import type { Logger } from 'pino';
import { PreparedStatement, type Queryable, type QueryResult, type Row } from './database.js';

/**
 * Runs `work` in one transaction on a checked-out client and releases it: committed when `work`
 * resolves, rolled back when it throws; a client whose connection broke is discarded, not reused.
 */
export async function runTransaction<T>(
  client: pg.PoolClient,
  work: (tx: Queryable) => Promise<T>,
  logger: Logger,
  begin = 'BEGIN',
): Promise<T> {
  // A checked-out client has no listener of the pool's: without one, a connection lost mid-
  // transaction (backend terminated, server stopped) is an unhandled 'error' event that ends
  // the process. The statement in flight fails on its own; the client is then discarded.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
    logger.warn({ err: error }, 'database connection lost during a transaction');
  };
  client.on('error', onError);
  let healthy = true;
  try {
    await client.query(begin);
    const result = await work(clientQueryable(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      healthy = false;
    }
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(healthy && lost === undefined ? undefined : true);
  }
}

export function clientQueryable(client: pg.PoolClient): Queryable {
  return {
    async query<R extends Row = Row>(sql: string | PreparedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await client.query<R>(queryConfig(sql, params));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  };
}

/** `pg` prepares a statement given a name once per connection and reuses it after. */
export function queryConfig(sql: string | PreparedStatement, params: readonly unknown[]): pg.QueryConfig {
  const values = params as unknown[];
  return sql instanceof PreparedStatement ? { name: sql.name, text: sql.text, values } : { text: sql, values };
}
