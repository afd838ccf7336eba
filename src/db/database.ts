/**
 * The one database interface the rest of the system sees. Two backends implement it: a pooled
 * connection to a PostgreSQL server (`pg`) and embedded PGlite. Code above this layer must not
 * know which one it runs on.
 */

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement (0 for SELECT). */
  rowCount: number;
}

/**
 * A statement on the hot path of every request (the session, the access facts, the emergency
 * summary, the read audit): the PostgreSQL backend prepares it once per connection under its
 * name, so the server parses and plans it once rather than on every request. Only fixed SQL
 * texts, few of them: every connection keeps each one it has run.
 */
export class PreparedStatement {
  constructor(
    /** Unique in the process: PostgreSQL refuses a second text under a name a connection already prepared. */
    readonly name: string,
    readonly text: string,
  ) {}
}

/** The SQL text of a statement, prepared or not (for a backend that prepares nothing). */
export function sqlText(sql: string | PreparedStatement): string {
  return typeof sql === 'string' ? sql : sql.text;
}

export interface Queryable {
  /** One statement with positional parameters ($1, $2 …). Values are never interpolated. */
  query<R extends Row = Row>(sql: string | PreparedStatement, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type NotificationHandler = (payload: string) => void;

export type DatabaseBackend = 'postgres' | 'pglite';

export interface Database extends Queryable {
  readonly backend: DatabaseBackend;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Everything a unit of work writes goes through the `tx` handle it is given.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a PostgreSQL NOTIFY channel. Resolves once the subscription is active;
   * the returned function ends it.
   */
  listen(channel: string, onNotification: NotificationHandler): Promise<() => Promise<void>>;
  /**
   * Where read-only work may go: a streaming replica when one is configured and has replayed
   * every write committed before the work starts (replica-reads.ts), otherwise this database.
   * Its transactions are read-only.
   */
  readonly reader: Database;
  close(): Promise<void>;
}
