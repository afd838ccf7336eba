import type { Logger } from 'pino';

export interface PrimaryLocatorHooks<P> {
  /** Opens a pool (or any handle) on a server. */
  open(url: string): P;
  close(pool: P): Promise<void>;
  /** Whether the server at `url` is a primary now (`NOT pg_is_in_recovery()`); throws when it cannot be reached. */
  isPrimary(url: string): Promise<boolean>;
  logger: Logger;
}

export interface Located<P> {
  url: string;
  pool: P;
  /** Which finding of the primary this is: a failure reported against an older one changes nothing. */
  generation: number;
}

/**
 * Which of several database servers is the primary, found by asking each in order and kept until
 * a statement reports it lost; then found again, once, however many statements failed together.
 * With one server there is nothing to find: its pool is kept and reconnects by itself.
 */
export class PrimaryLocator<P> {
  #current: Located<P> | undefined;
  #locating: Promise<Located<P>> | undefined;
  #generation = 0;
  #closed = false;

  constructor(
    private readonly candidates: readonly string[],
    private readonly hooks: PrimaryLocatorHooks<P>,
  ) {
    if (candidates.length === 0) throw new Error('no database server to connect to');
  }

  async current(): Promise<Located<P>> {
    if (this.#closed) throw new Error('Cannot use a pool after calling end on the pool');
    if (this.#current) return this.#current;
    this.#locating ??= this.#locate().finally(() => {
      this.#locating = undefined;
    });
    return this.#locating;
  }

  /** A statement on the pool of `generation` met a lost connection or a standby: the next one looks again. */
  lost(generation: number, error: unknown): void {
    const located = this.#current;
    if (this.candidates.length === 1 || !located || located.generation !== generation) return;
    this.#current = undefined;
    this.hooks.logger.warn({ err: error, server: redacted(located.url) }, 'the database primary was lost; finding it again');
    this.hooks
      .close(located.pool)
      .catch((closeError: unknown) => this.hooks.logger.warn({ err: closeError }, 'closing the old pool failed'));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const located = this.#current;
    this.#current = undefined;
    if (located) await this.hooks.close(located.pool);
  }

  async #locate(): Promise<Located<P>> {
    const url = this.candidates.length === 1 ? this.candidates[0] : await this.#findPrimary();
    if (url === undefined) throw new Error('no database server to connect to');
    if (this.#closed) throw new Error('Cannot use a pool after calling end on the pool');
    this.#generation += 1;
    const located = { url, pool: this.hooks.open(url), generation: this.#generation };
    this.#current = located;
    if (this.candidates.length > 1) this.hooks.logger.info({ server: redacted(url) }, 'using the database primary');
    return located;
  }

  async #findPrimary(): Promise<string> {
    const failures: unknown[] = [];
    for (const candidate of this.candidates) {
      try {
        if (await this.hooks.isPrimary(candidate)) return candidate;
      } catch (error) {
        failures.push(error);
      }
    }
    // Classified `unavailable` (08001) like any other unreachable database: a 503 with Retry-After.
    const error = new AggregateError(failures, `none of the ${this.candidates.length} database servers is a primary now`);
    throw Object.assign(error, { code: '08001' });
  }
}

/** A server's URL without its password, for a log line. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
