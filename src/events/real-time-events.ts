import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { EventDispatcher } from './event-dispatcher.js';
import type { EventStream, EventStreamOptions } from './event-stream.js';
import { EventStreams } from './event-streams.js';
import { newestEventSeq } from './outbox.js';

/** What a stream needs beyond the outbox and its dispatcher, which this process's RealTimeEvents owns. */
export type StreamRequest = Omit<EventStreamOptions, 'db' | 'dispatcher'>;

/**
 * Real-time events in this server process, over the outbox: the one dispatcher (running between
 * `start` and `stop`) and the streams it feeds, capped per process. The event stream routes reach
 * the outbox only through this.
 */
export class RealTimeEvents {
  readonly #dispatcher: EventDispatcher;
  readonly #streams: EventStreams;

  constructor(
    private readonly db: Database,
    logger: Logger,
    options: { maxStreams: number },
  ) {
    this.#dispatcher = new EventDispatcher(db, logger);
    this.#streams = new EventStreams(options.maxStreams);
  }

  start(): Promise<void> {
    return this.#dispatcher.start();
  }

  /** Ends every open stream normally (clients reconnect, here once back or elsewhere) and opens no more. */
  closeAll(): void {
    this.#streams.closeAll();
  }

  stop(): Promise<void> {
    return this.#dispatcher.stop();
  }

  /** The newest event's sequence number: where a stream without a Last-Event-ID starts. */
  newestSeq(): Promise<number> {
    return newestEventSeq(this.db);
  }

  /** A stream of the events after `afterSeq` that the selector selects; refused (503) at the cap or while closing. */
  open(request: StreamRequest): EventStream {
    return this.#streams.open({ ...request, db: this.db, dispatcher: this.#dispatcher });
  }
}
