import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { EVENTS_CHANNEL, newestEventSeq, readEventsAfter, type OutboxEvent } from '../events/outbox.js';

/**
 * Durable delivery from the transactional outbox. A consumer keeps a cursor in the database (the
 * last event it handled) and works through the events after it, in order, one at a time: the
 * cursor moves only once an event was handled, so a restart or a crash repeats at most the event
 * in hand, never skips one, and a failing event is retried with back-off and holds back the rest
 * (order matters to the receiver). A lease in the same row lets exactly one server work a cursor
 * at once; another takes over when the lease runs out.
 */

export interface CursorRow {
  cursorSeq: number;
  failedAttempts: number;
}

/** Where a cursor lives and how to lease and move it; one per table that holds cursors. */
export interface CursorStore<K> {
  /** Leases the cursors that have work due (up to `limit`), for `leaseMs`. */
  leaseDue(owner: string, leaseMs: number, newestSeq: number, limit: number): Promise<(CursorRow & { key: K })[]>;
  /** Moves the cursor past `seq` and clears the failure count (and the lease when `release`). */
  advance(key: K, owner: string, seq: number, delivered: boolean): Promise<void>;
  /** Records a failure: the next attempt waits `delayMs`; the lease is released. */
  fail(key: K, owner: string, error: string, delayMs: number): Promise<void>;
  release(key: K, owner: string): Promise<void>;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** 1 s, 2 s, 4 s … capped: the delay before the attempt after `failures` failures. */
export function backoffDelay(failures: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

export type EventHandling = 'handled' | 'skipped';

export interface OutboxConsumerOptions<K> {
  name: string;
  store: CursorStore<K>;
  /** Handles one event for one cursor; throws to have it retried. */
  handle(key: K, event: OutboxEvent): Promise<EventHandling>;
  backoff?: Backoff;
  /** How often to look for due work without a notification (retries fall due this way). */
  pollIntervalMs?: number;
  leaseMs?: number;
}

const PAGE = 100;

export class OutboxConsumer<K> {
  readonly #owner = `${process.pid}-${randomUUID()}`;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #unlisten: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
    private readonly options: OutboxConsumerOptions<K>,
  ) {}

  async start(): Promise<void> {
    this.#stopped = false;
    this.#unlisten = await this.db.listen(EVENTS_CHANNEL, () => this.wake());
    this.#timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1_000);
    this.#timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    try {
      await unlisten?.();
    } catch (error) {
      this.logger.warn({ err: error, consumer: this.options.name }, 'ending the outbox subscription failed');
    }
    await this.#running;
  }

  /** Looks for work now (after a notification, a new subscription, or a test's nudge). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#work()
      .catch((error: unknown) => this.logger.warn({ err: error, consumer: this.options.name }, 'outbox delivery failed; will retry'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #work(): Promise<void> {
    const leaseMs = this.options.leaseMs ?? 30_000;
    const newest = await newestEventSeq(this.db);
    const due = await this.options.store.leaseDue(this.#owner, leaseMs, newest, 50);
    await Promise.all(due.map((cursor) => this.#drain(cursor, newest)));
  }

  /** Works one leased cursor up to `newest`, stopping at the first failure. */
  async #drain(cursor: CursorRow & { key: K }, newest: number): Promise<void> {
    const { store } = this.options;
    let position = cursor.cursorSeq;
    try {
      while (position < newest && !this.#stopped) {
        const events = await readEventsAfter(this.db, position, PAGE);
        if (events.length === 0) break;
        for (const event of events) {
          if (this.#stopped) return;
          let outcome: EventHandling;
          try {
            outcome = await this.options.handle(cursor.key, event);
          } catch (error) {
            const failures = cursor.failedAttempts + 1;
            const message = error instanceof Error ? error.message : String(error);
            await store.fail(cursor.key, this.#owner, message, backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF));
            this.logger.info(
              { consumer: this.options.name, seq: event.seq, failures, error: message },
              'outbox delivery failed; retrying later',
            );
            return;
          }
          await store.advance(cursor.key, this.#owner, event.seq, outcome === 'handled');
          cursor.failedAttempts = 0;
          position = event.seq;
        }
      }
    } finally {
      await store.release(cursor.key, this.#owner).catch(() => undefined);
    }
  }
}
