import pg from 'pg';
import type { Logger } from 'pino';
import { PreparedStatement, type Database, type NotificationHandler, type Queryable, type QueryResult, type Row } from './database.js';

export interface PgDatabaseOptions {
  connectionString: string;
  maxConnections: number;
  logger: Logger;
  /** How long a request waits for a connection before it is refused (503). */
  connectTimeoutMs?: number;
  /** The longest any statement may take on the client's side before the connection is given up. */
  queryTimeoutMs?: number;
}

// Types whose text form JavaScript cannot hold losslessly in a number stay strings by default in
// `pg`; bigint counts are small enough in practice and are far easier to use as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const LISTENER_RECONNECT_DELAY_MS = 1_000;

/** A pooled connection to a PostgreSQL server. */
export class PgDatabase implements Database {
  readonly backend = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  readonly #handlers = new Map<string, Set<NotificationHandler>>();
  #listener: pg.Client | undefined;
  #listenerReady: Promise<pg.Client> | undefined;
  #closed = false;

  constructor(private readonly options: PgDatabaseOptions) {
    this.#logger = options.logger;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections,
      // A request waiting for a connection, or for a server that stopped answering, gets an
      // answer in bounded time (503, see database-faults.ts) instead of hanging.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      query_timeout: options.queryTimeoutMs ?? 60_000,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.#pool.on('error', (error) => this.#logger.warn({ err: error }, 'idle database connection failed'));
  }

  async query<R extends Row = Row>(sql: string | PreparedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.#pool.query<R>(queryConfig(sql, params));
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    // A checked-out client has no listener of the pool's: without one, a connection lost mid-
    // transaction (backend terminated, server stopped) is an unhandled 'error' event that ends
    // the process. The statement in flight fails on its own; the client is then discarded.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
      this.#logger.warn({ err: error }, 'database connection lost during a transaction');
    };
    client.on('error', onError);
    let healthy = true;
    try {
      await client.query('BEGIN');
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

  async listen(channel: string, onNotification: NotificationHandler): Promise<() => Promise<void>> {
    let handlers = this.#handlers.get(channel);
    const firstForChannel = handlers === undefined;
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
    }
    handlers.add(onNotification);
    if (firstForChannel) {
      const client = await this.#ensureListener();
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    }
    return async () => {
      const current = this.#handlers.get(channel);
      current?.delete(onNotification);
      if (current && current.size === 0) {
        this.#handlers.delete(channel);
        if (this.#listener && !this.#closed) await this.#listener.query(`UNLISTEN ${quoteIdentifier(channel)}`);
      }
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.#pool.end();
  }

  /** One dedicated connection carries every LISTEN; it is re-established if it drops. */
  #ensureListener(): Promise<pg.Client> {
    this.#listenerReady ??= this.#connectListener();
    return this.#listenerReady;
  }

  async #connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.connectionString });
    client.on('notification', (message) => {
      for (const handler of this.#handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          this.#logger.error({ err: error, channel: message.channel }, 'notification handler failed');
        }
      }
    });
    client.on('error', (error) => {
      this.#logger.warn({ err: error }, 'database listener connection failed; reconnecting');
      this.#scheduleListenerReconnect(client);
    });
    client.on('end', () => this.#scheduleListenerReconnect(client));
    try {
      await client.connect();
    } catch (error) {
      this.#listenerReady = undefined;
      throw error;
    }
    this.#listener = client;
    return client;
  }

  #scheduleListenerReconnect(failed: pg.Client): void {
    if (this.#closed || this.#listener !== failed) return;
    this.#listener = undefined;
    this.#listenerReady = undefined;
    setTimeout(() => {
      if (this.#closed || this.#handlers.size === 0) return;
      this.#ensureListener()
        .then(async (client) => {
          for (const channel of this.#handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
          this.#logger.info('database listener reconnected');
        })
        .catch((error: unknown) => {
          this.#logger.warn({ err: error }, 'database listener reconnect failed');
          this.#listener = failed;
          this.#scheduleListenerReconnect(failed);
        });
    }, LISTENER_RECONNECT_DELAY_MS).unref();
  }
}

function clientQueryable(client: pg.PoolClient): Queryable {
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
function queryConfig(sql: string | PreparedStatement, params: readonly unknown[]): pg.QueryConfig {
  const values = params as unknown[];
  return sql instanceof PreparedStatement ? { name: sql.name, text: sql.text, values } : { text: sql, values };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
