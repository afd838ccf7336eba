import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { EVENTS_CHANNEL, readEventsAfter, settledEventSeq, type OutboxEvent } from './outbox.js';

export type EventHandler = (event: OutboxEvent) => void;

export interface EventDispatcherOptions {
  /** How often to look for events even without a notification (missed NOTIFY, reconnects). */
  pollIntervalMs?: number;
}

/**
 * Delivers outbox events to subscribers in this process, in sequence order, without gaps. A
 * NOTIFY from any server (PostgreSQL LISTEN/NOTIFY, or PGlite in-process) wakes it; a slow poll
 * catches anything a dropped connection missed. It never holds state another server needs:
 * every server reads the same outbox.
 */
export class EventDispatcher {
  readonly #handlers = new Set<EventHandler>();
  #lastSeq = 0;
  #draining: Promise<void> | undefined;
  #again = false;
  #unlisten: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: EventDispatcherOptions = {},
  ) {}

  /** Starts after the newest event already in the outbox: subscribers see only what comes next. */
  async start(): Promise<void> {
    const { rows } = await this.db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM event_outbox');
    this.#lastSeq = Number(rows[0]?.seq ?? 0);
    this.#unlisten = await this.db.listen(EVENTS_CHANNEL, () => this.wake());
    this.#timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 5_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#handlers.clear();
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    // Stopping must not fail because the database went first (it is closed, or unreachable).
    try {
      await unlisten?.();
    } catch (error) {
      this.logger.warn({ err: error }, 'ending the event subscription failed');
    }
    await this.#draining;
  }

  /** The sequence number of the last event delivered; clients resume from it. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  subscribe(handler: EventHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  private wake(): void {
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'reading the event outbox failed; will retry'))
      .finally(() => {
        this.#draining = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const settled = await settledEventSeq(this.db);
      if (settled === undefined) {
        // A writer in flight holds an earlier number: look again shortly rather than skip it.
        setTimeout(() => this.wake(), 20).unref();
        return;
      }
      const events = await readEventsAfter(this.db, this.#lastSeq, 500, settled);
      for (const event of events) {
        this.#lastSeq = event.seq;
        for (const handler of this.#handlers) {
          try {
            handler(event);
          } catch (error) {
            this.logger.error({ err: error, seq: event.seq }, 'event handler failed');
          }
        }
      }
      if (events.length === 0) return;
    }
  }
}
