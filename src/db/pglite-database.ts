import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import {
  sqlText,
  type Database,
  type NotificationHandler,
  type PreparedStatement,
  type Queryable,
  type QueryResult,
  type Row,
} from './database.js';

/**
 * Embedded PostgreSQL (PGlite, real Postgres compiled to WebAssembly) in this process. It has a
 * single connection: PGlite queues statements, and a transaction holds the connection until it
 * ends, so callers need no locking of their own.
 */
export class PgliteDatabase implements Database {
  readonly backend = 'pglite' as const;

  /** One embedded store: reads go where writes do. */
  get reader(): Database {
    return this;
  }

  private constructor(
    private readonly pg: PGlite,
    private readonly afterClose: () => Promise<void>,
  ) {}

  /**
   * `dataDir` undefined means in memory (tests). `afterClose` runs once the database is closed.
   * `seed`: a dumped data folder to start a new one from instead of running initdb (see pglite-seed.ts).
   */
  static async open(
    dataDir: string | undefined,
    afterClose: () => Promise<void> = async () => undefined,
    seed?: Blob,
  ): Promise<PgliteDatabase> {
    const options = seed ? { loadDataDir: seed } : {};
    const pg = dataDir === undefined ? await PGlite.create(options) : await PGlite.create(dataDir, options);
    return new PgliteDatabase(pg, afterClose);
  }

  // PGlite runs in this process: there is no round trip whose parse a name would save.
  async query<R extends Row = Row>(sql: string | PreparedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return toQueryResult(await this.pg.query<R>(sqlText(sql), params as unknown[]));
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => work(transactionQueryable(tx)));
  }

  async listen(channel: string, onNotification: NotificationHandler): Promise<() => Promise<void>> {
    const unsubscribe = await this.pg.listen(channel, onNotification);
    // As on a PostgreSQL server, ending a subscription after the database closed is a no-op.
    return async () => {
      if (!this.pg.closed) await unsubscribe();
    };
  }

  async close(): Promise<void> {
    if (this.pg.closed) return;
    try {
      await this.pg.close();
    } finally {
      await this.afterClose();
    }
  }
}

function transactionQueryable(tx: Transaction): Queryable {
  return {
    async query<R extends Row = Row>(sql: string | PreparedStatement, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      return toQueryResult(await tx.query<R>(sqlText(sql), params as unknown[]));
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
  };
}

/** Row counts as `pg` gives them: rows written for writes, rows returned otherwise. */
function toQueryResult<R extends Row>(result: Results<R>): QueryResult<R> {
  return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
}
