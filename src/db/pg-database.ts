import pg from 'pg';
import type { Logger } from 'pino';
import { postgresCandidates } from '../shared/postgres-url.js';
import type { Database, NotificationHandler, PreparedStatement, Queryable, QueryResult, Row } from './database.js';
import { classifyDatabaseFault } from './database-faults.js';
import { queryConfig, runTransaction } from './pg-transaction.js';
import { ReplicaReads } from './replica-reads.js';
import { PrimaryLocator, type Located } from './primary-locator.js';

export interface PgDatabaseOptions {
  /** One server, or several (libpq's `postgres://u@h1:p1,h2:p2/db`): the primary among them is used. */
  connectionString: string;
  maxConnections: number;
  logger: Logger;
  /** How long a request waits for a connection before it is refused (503). */
  connectTimeoutMs?: number;
  /** The longest any statement may take on the client's side before the connection is given up. */
  queryTimeoutMs?: number;
  /** A streaming replica for read-only work that tolerates it (`reader`); see replica-reads.ts. */
  replicaConnectionString?: string | undefined;
}

// Types whose text form JavaScript cannot hold losslessly in a number stay strings by default in
// `pg`; bigint counts are small enough in practice and are far easier to use as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const LISTENER_RECONNECT_DELAY_MS = 1_000;

/**
 * A pooled connection to a PostgreSQL server. Given several servers, it works on whichever is the
 * primary now: when a statement meets a lost connection or a standby, the pool is dropped and the
 * next statement finds the primary again (after a failover, the promoted standby), so every
 * server instance follows a failover by itself. The statement that met the failure is not
 * repeated: it fails as `unavailable` (503, see database-faults.ts) and its client retries.
 */
export class PgDatabase implements Database {
  readonly backend = 'postgres' as const;
  readonly #logger: Logger;
  readonly #primary: PrimaryLocator<pg.Pool>;
  readonly #replicaReads: ReplicaReads | undefined;
  readonly #handlers = new Map<string, Set<NotificationHandler>>();
  #listener: pg.Client | undefined;
  #listenerReady: Promise<pg.Client> | undefined;
  #closed = false;

  constructor(private readonly options: PgDatabaseOptions) {
    this.#logger = options.logger;
    this.#primary = new PrimaryLocator(postgresCandidates(options.connectionString), {
      open: (connectionString) => this.#openPool(connectionString),
      close: (pool) => pool.end(),
      isPrimary: (connectionString) => isPrimary(connectionString, options.connectTimeoutMs ?? 5_000),
      logger: options.logger,
    });
    this.#replicaReads =
      options.replicaConnectionString === undefined
        ? undefined
        : new ReplicaReads(this, options.replicaConnectionString, options.logger, {
            maxConnections: options.maxConnections,
            connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
            queryTimeoutMs: options.queryTimeoutMs ?? 60_000,
          });
  }

  get reader(): Database {
    return this.#replicaReads ?? this;
  }

  #openPool(connectionString: string): pg.Pool {
    const pool = new pg.Pool({
      connectionString,
      max: this.options.maxConnections,
      // A request waiting for a connection, or for a server that stopped answering, gets an
      // answer in bounded time (503, see database-faults.ts) instead of hanging.
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5_000,
      query_timeout: this.options.queryTimeoutMs ?? 60_000,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (error) => this.#logger.warn({ err: error }, 'idle database connection failed'));
    return pool;
  }

  /** Runs `work` on the primary's pool; a failure that says the primary is gone makes the next call look for it again. */
  async #onPrimary<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const { pool, generation } = await this.#primary.current();
    try {
      return await work(pool);
    } catch (error) {
      if (classifyDatabaseFault(error) === 'unavailable') this.#primary.lost(generation, error);
      throw error;
    }
  }

  async query<R extends Row = Row>(sql: string | PreparedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.#onPrimary((pool) => pool.query<R>(queryConfig(sql, params)));
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.#onPrimary((pool) => pool.query(sql));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#onPrimary((pool) => this.#transactionOn(pool, work));
  }

  async #transactionOn<T>(pool: pg.Pool, work: (tx: Queryable) => Promise<T>): Promise<T> {
    return runTransaction(await pool.connect(), work, this.#logger);
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
    await this.#replicaReads?.close();
    await this.#primary.close();
  }

  /** One dedicated connection carries every LISTEN; it is re-established if it drops. */
  #ensureListener(): Promise<pg.Client> {
    this.#listenerReady ??= this.#connectListener();
    return this.#listenerReady;
  }

  async #connectListener(): Promise<pg.Client> {
    let primary: Located<pg.Pool>;
    try {
      // NOTIFY is sent on the primary only: the listener follows it like the pool.
      primary = await this.#primary.current();
    } catch (error) {
      this.#listenerReady = undefined;
      throw error;
    }
    const client = new pg.Client({ connectionString: primary.url });
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
      if (classifyDatabaseFault(error) === 'unavailable') this.#primary.lost(primary.generation, error);
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

/** Asks one server whether it is the primary now, on a connection of its own. */
async function isPrimary(connectionString: string, connectTimeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    return rows[0]?.standby === false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
