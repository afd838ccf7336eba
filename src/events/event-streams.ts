import { AppError } from '../errors/app-error.js';
import { EventStream, type EventStreamOptions } from './event-stream.js';

/**
 * The event streams open in this process, up to a cap: each holds a connection and a little
 * memory for as long as the client stays, so a burst of clients must not exhaust the server.
 * At shutdown every stream is ended so the server can close.
 */
export class EventStreams {
  readonly #open = new Set<EventStream>();
  #closing = false;

  constructor(readonly maxStreams: number) {}

  get size(): number {
    return this.#open.size;
  }

  open(options: EventStreamOptions): EventStream {
    if (this.#closing)
      throw new AppError('unavailable', 'The server is shutting down; reconnect in a moment.', { headers: { 'Retry-After': '1' } });
    if (this.#open.size >= this.maxStreams) {
      throw new AppError(
        'unavailable',
        `This server already serves its maximum of ${this.maxStreams} event streams; retry shortly (another server may have room).`,
        { headers: { 'Retry-After': '5' } },
      );
    }
    const stream = new EventStream(options);
    this.#open.add(stream);
    stream.once('close', () => this.#open.delete(stream));
    return stream;
  }

  /** Ends every stream normally; clients reconnect, to this server once it is back or to another. */
  closeAll(): void {
    this.#closing = true;
    for (const stream of this.#open) stream.endStream();
  }
}
