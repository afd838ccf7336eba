import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Queryable } from '../db/database.js';
import type { EventDispatcher } from './event-dispatcher.js';
import { selects, type EventSelector } from './event-selector.js';
import { readEventsAfter, settledEventSeq, type OutboxEvent } from './outbox.js';
import { streamPayload } from './stream-payload.js';
import { formatSseComment, formatSseMessage, formatSseRetry } from './sse-format.js';

export interface EventStreamOptions {
  db: Queryable;
  dispatcher: EventDispatcher;
  logger: Pick<Logger, 'warn'>;
  selector: EventSelector;
  /** Deliver events after this outbox sequence number (the client's Last-Event-ID, or now). */
  afterSeq: number;
  heartbeatMs: number;
  /**
   * The stream ends after this long; the client reconnects with its Last-Event-ID and so is
   * authenticated, authorised and audited afresh (access can end while a stream is open).
   */
  maxDurationMs: number;
  /** A client that reads too slowly is cut off rather than buffered without bound; it resumes. */
  maxBufferedBytes: number;
  /** What the client should wait before reconnecting. */
  retryMs: number;
}

const REPLAY_PAGE = 500;

/**
 * One client's stream of outbox events as server-sent events: first what it missed (read from
 * the outbox after its Last-Event-ID), then what the dispatcher delivers live, in sequence
 * order with neither gaps nor repeats. Live events that arrive while the replay runs wait in a
 * queue; every event at or before the last sequence number considered is dropped as seen.
 */
export class EventStream extends Readable {
  /** The newest outbox sequence number this stream has considered (sent or filtered out). */
  #position: number;
  #replaying = true;
  readonly #queued: OutboxEvent[] = [];
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #expiry: NodeJS.Timeout;

  constructor(private readonly options: EventStreamOptions) {
    super({ read() {} });
    this.#position = options.afterSeq;
    this.push(formatSseRetry(options.retryMs));
    this.push(formatSseComment('connected'));
    this.#unsubscribe = options.dispatcher.subscribe((event) => this.#onLive(event));
    this.#heartbeat = setInterval(() => this.#write(formatSseComment('heartbeat')), options.heartbeatMs);
    this.#expiry = setTimeout(() => this.endStream(), options.maxDurationMs);
    void this.#replay();
  }

  /** Ends the stream normally: the client sees the end and (an EventSource) reconnects. */
  endStream(): void {
    if (this.destroyed || this.readableEnded) return;
    this.#stop();
    this.push(null);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#stop();
    callback(error);
  }

  #stop(): void {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    clearTimeout(this.#expiry);
    this.#queued.length = 0;
  }

  async #replay(): Promise<void> {
    try {
      // Only settled events: one numbered earlier but not yet committed must not be skipped.
      const upTo = await settledEventSeq(this.options.db);
      if (upTo === undefined) throw new Error('writers in flight did not end in time');
      for (;;) {
        const events = await readEventsAfter(this.options.db, this.#position, REPLAY_PAGE, upTo);
        for (const event of events) this.#consider(event);
        if (events.length < REPLAY_PAGE || this.destroyed) break;
      }
      this.#replaying = false;
      for (const event of this.#queued.splice(0)) this.#consider(event);
    } catch (error) {
      // The client reconnects with the last id it saw and the replay starts again from there.
      this.options.logger.warn({ err: error }, 'replaying events to a stream failed; ending the stream');
      this.endStream();
    }
  }

  #onLive(event: OutboxEvent): void {
    if (this.#replaying) this.#queued.push(event);
    else this.#consider(event);
  }

  #consider(event: OutboxEvent): void {
    if (event.seq <= this.#position) return;
    this.#position = event.seq;
    if (!selects(this.options.selector, event)) return;
    this.#write(formatSseMessage({ id: String(event.seq), event: event.topic, data: JSON.stringify(streamPayload(event.payload)) }));
  }

  #write(chunk: string): void {
    if (this.destroyed || this.readableEnded) return;
    this.push(chunk);
    if (this.readableLength > this.options.maxBufferedBytes) {
      this.options.logger.warn({ buffered: this.readableLength }, 'event stream client reads too slowly; ending its stream');
      this.endStream();
    }
  }
}
