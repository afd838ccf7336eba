import { AppError } from '../../errors/app-error.js';

/**
 * At most `maxConcurrent` AQL queries run at once in this process; a few more may wait a short
 * while for a turn. Beyond that a request is refused at once with 503 and Retry-After, so that a
 * burst of heavy queries is turned away politely instead of taking every database connection
 * that clinicians' reads and writes need.
 */
export class QueryLimiter {
  #running = 0;
  readonly #waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(private readonly limits: { maxConcurrent: number; queueLength: number; queueWaitMs: number }) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  #busy(what: string): AppError {
    const retryAfter = String(Math.max(1, Math.ceil(this.limits.queueWaitMs / 1000)));
    return new AppError(
      'unavailable',
      `${what}: the server is running as many queries as it allows (${this.limits.maxConcurrent}). Try again shortly.`,
      {
        headers: { 'Retry-After': retryAfter },
      },
    );
  }

  #acquire(): Promise<void> {
    if (this.#running < this.limits.maxConcurrent) {
      this.#running++;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.limits.queueLength) return Promise.reject(this.#busy('Query refused'));
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          clearTimeout(entry.timer);
          this.#running++;
          resolve();
        },
        timer: setTimeout(() => {
          const index = this.#waiting.indexOf(entry);
          if (index >= 0) this.#waiting.splice(index, 1);
          reject(this.#busy(`Query waited ${this.limits.queueWaitMs} ms for a turn`));
        }, this.limits.queueWaitMs),
      };
      this.#waiting.push(entry);
    });
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.start();
  }
}
