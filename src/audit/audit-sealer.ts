import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { settledPosition } from '../db/settled-position.js';
import { sealAuditRows, type AuditSeal } from './audit-seal.js';

export interface SealOptions {
  /** How long to wait for the appenders in flight to end before leaving the rows for the next round. */
  maxWaitMs?: number;
}

/**
 * One round: seals every row whose position is settled (src/db/settled-position.ts: every
 * appender holds a lock on audit_log from before it takes its positions until it ends). Returns
 * the seals made; none if nothing was new or the appenders in flight did not end in time.
 */
export async function sealSettledAuditRows(db: Database, options: SealOptions = {}): Promise<AuditSeal[]> {
  const settled = await settledPosition(db, { sequence: 'audit_log_seq', table: 'audit_log' }, { maxWaitMs: options.maxWaitMs ?? 1_000 });
  if (settled === undefined || settled < 1) return [];
  return sealAuditRows(db, settled);
}

export interface AuditSealerOptions {
  /** Time between rounds; the window before a record is sealed is about this plus one round. */
  intervalMs: number;
}

/**
 * Seals the audit log in the background, off the request path. Every server runs one; the seal
 * lock lets one of them seal at a time, and any of them takes over when another stops.
 */
export class AuditSealer {
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #stopped = false;
  #lastFailure = '';

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: AuditSealerOptions,
  ) {}

  start(): void {
    this.#schedule();
  }

  /** Finishes the round in progress and seals what is settled once more, so a clean stop leaves little unsealed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#round;
    await this.#sealOnce();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#round = this.#sealOnce().finally(() => this.#schedule());
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  async #sealOnce(): Promise<void> {
    try {
      const seals = await sealSettledAuditRows(this.db, { maxWaitMs: this.options.intervalMs });
      const last = seals.at(-1);
      if (last) this.logger.debug({ seals: seals.length, sealedTo: last.toSeq }, 'audit log sealed');
      this.#lastFailure = '';
    } catch (error) {
      // Said once per kind of failure, not every round: an unreachable database is reported elsewhere.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.#lastFailure) this.logger.error({ err: error }, 'sealing the audit log failed');
      this.#lastFailure = message;
    }
  }
}
