import type { Logger } from 'pino';
import type { Database } from '../../db/database.js';
import { purgeSignInThrottle } from '../local/sign-in-throttle.js';
import { purgeEndedSessions } from './session-store.js';

const DAY_MS = 86_400_000;

export interface SessionPurgeSchedule {
  /** Days an ended (expired or revoked) session is kept, so support can see how it ended. */
  retentionDays: number;
  /** Time between rounds; hourly unless a test asks otherwise. */
  intervalMs?: number;
  /** Defaults to the system clock. */
  clock?: () => Date;
}

/**
 * Deletes sessions that ended longer ago than the retention, and sign-in throttle windows that
 * are over, at start and then every interval. Safe on every server at once: each round is one
 * DELETE per table, and a row deleted twice is not an error.
 */
export class SessionPurgeJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly schedule: SessionPurgeSchedule,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#purge();
    this.#timer = setInterval(() => this.#purge(), this.schedule.intervalMs ?? 3_600_000);
    this.#timer.unref();
  }

  /** No new round starts; the one in progress finishes. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #purge(): void {
    const now = (this.schedule.clock ?? (() => new Date()))();
    const before = new Date(now.getTime() - this.schedule.retentionDays * DAY_MS);
    this.#running ??= this.#round(now, before)
      .catch((error: unknown) => this.logger.error({ err: error }, 'purging ended sessions failed'))
      .finally(() => {
        this.#running = undefined;
      });
  }

  async #round(now: Date, before: Date): Promise<void> {
    const purged = await purgeEndedSessions(this.db, before);
    if (purged > 0) this.logger.info({ purged, endedBefore: before.toISOString() }, 'ended sessions purged');
    const forgotten = await purgeSignInThrottle(this.db, now);
    if (forgotten > 0) this.logger.info({ forgotten }, 'sign-in throttle windows that are over forgotten');
  }
}
