import pg from 'pg';
import type { Logger } from 'pino';
import type { Database, NotificationHandler, PreparedStatement, Queryable, QueryResult, Row } from './database.js';
import { runTransaction } from './pg-transaction.js';

/**
 * Read-only work on a streaming replica, never older than the primary was when it started: the
 * primary's WAL position is read first (`pg_current_wal_lsn()`, a few microseconds), and the
 * replica is used only if it has replayed up to it; otherwise — lagging, unreachable, or no
 * longer a standby — the work runs on the primary. So whoever wrote a moment ago, on any server,
 * reads what they wrote, and the server keeps nothing per caller to make that so.
 *
 * Writes, scripts, LISTEN and anything not read-only go to the primary.
 */
export class ReplicaReads implements Database {
  readonly backend = 'postgres' as const;
  readonly #replica: pg.Pool;
  /** How many reads went to the replica and how many fell back to the primary, for tests and operations. */
  readonly counts = { replica: 0, primary: 0 };

  constructor(
    private readonly primary: Database,
    replicaConnectionString: string,
    private readonly logger: Logger,
    options: { maxConnections: number; connectTimeoutMs: number; queryTimeoutMs: number },
  ) {
    this.#replica = new pg.Pool({
      connectionString: replicaConnectionString,
      max: options.maxConnections,
      connectionTimeoutMillis: options.connectTimeoutMs,
      query_timeout: options.queryTimeoutMs,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    });
    this.#replica.on('error', (error) => logger.warn({ err: error }, 'idle replica connection failed'));
  }

  get reader(): Database {
    return this;
  }

  async query<R extends Row = Row>(sql: string | PreparedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.transaction((tx) => tx.query<R>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.primary.exec(sql);
  }

  /** A read-only transaction: on the replica when it has caught up, else on the primary. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#caughtUpReplica();
    if (!client) {
      this.counts.primary += 1;
      return this.primary.transaction(async (tx) => {
        await tx.query('SET TRANSACTION READ ONLY');
        return work(tx);
      });
    }
    this.counts.replica += 1;
    return runTransaction(client, work, this.logger, 'BEGIN READ ONLY');
  }

  listen(channel: string, onNotification: NotificationHandler): Promise<() => Promise<void>> {
    return this.primary.listen(channel, onNotification);
  }

  async close(): Promise<void> {
    await this.#replica.end();
  }

  /** A replica connection that has replayed every write the primary had when asked; undefined if there is none. */
  async #caughtUpReplica(): Promise<pg.PoolClient | undefined> {
    const { rows } = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    const lsn = rows[0]?.lsn;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.#replica.connect();
      const check = await client.query<{ caught_up: boolean | null }>(
        'SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up',
        [lsn],
      );
      if (check.rows[0]?.caught_up === true) return client;
      client.release();
      return undefined;
    } catch (error) {
      client?.release(true);
      this.logger.warn({ err: error }, 'the replica could not be used; reading from the primary');
      return undefined;
    }
  }
}
