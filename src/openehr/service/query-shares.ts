import { randomUUID } from 'node:crypto';
import type { Caller } from '../../access/caller.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';

/** Per-caller and per-organisation bounds on query work (docs/configuration.md). */
export interface QueryShareLimits {
  /** Queries one caller may run at once, across every server. */
  perCallerConcurrent: number;
  /** Queries one organisation's callers together may run at once, across every server. */
  perOrganisationConcurrent: number;
  /** Milliseconds of query time one caller may use per minute. */
  perCallerMsPerMinute: number;
  /** Milliseconds of query time one organisation may use per minute. */
  perOrganisationMsPerMinute: number;
  /** The statement timeout: a lease outlives its query by this much at most if its server dies. */
  timeoutMs: number;
}

/** Any 64-bit number unique to this purpose, mixed with the key's hash for one lock per caller or organisation. */
const LEASE_LOCK_NAMESPACE = 7_340_112_800;
const WINDOW_MS = 60_000;

/**
 * Fair shares of query work. One clinician's twenty heavy queries used to take every slot of
 * the process-wide limiter, and everyone else's queries and worklists answered 503. Now each
 * caller and each organisation has its own concurrent and per-minute allowance, counted in the
 * database every server shares; going over it answers **429 to that caller only**, with
 * Retry-After, and leaves the shared capacity to everyone else. Emergency reads never come here:
 * the emergency summary is read from its projection, not queried (src/careplan/summary).
 */
export class QueryShares {
  constructor(
    private readonly db: Database,
    private readonly limits: QueryShareLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(caller: Caller, work: () => Promise<T>): Promise<T> {
    const keys = keysOf(caller);
    await this.#checkWork(keys);
    const lease = await this.#acquire(keys);
    const started = this.now();
    try {
      return await work();
    } finally {
      const used = Math.max(0, Math.round(this.now() - started));
      await this.#release(lease, keys, used).catch(() => undefined);
    }
  }

  async #checkWork(keys: ShareKeys): Promise<void> {
    const window = new Date(windowStart(this.now()));
    const { rows } = await this.db.query<{ key: string; used_ms: number }>(
      'SELECT key, used_ms FROM query_work WHERE key = ANY($1) AND window_start = $2::timestamptz',
      [[keys.caller, keys.organisation], window],
    );
    const retryAfter = String(Math.max(1, Math.ceil((windowStart(this.now()) + WINDOW_MS - this.now()) / 1000)));
    for (const row of rows) {
      const [limit, who] =
        row.key === keys.caller
          ? [this.limits.perCallerMsPerMinute, 'You have']
          : [this.limits.perOrganisationMsPerMinute, 'Your organisation has'];
      if (Number(row.used_ms) >= limit) {
        throw new AppError('too-many-requests', `${who} used this minute's share of query time (${limit} ms); try again shortly.`, {
          headers: { 'Retry-After': retryAfter },
        });
      }
    }
  }

  async #acquire(keys: ShareKeys): Promise<string> {
    const id = randomUUID();
    const expiresAt = new Date(this.now() + this.limits.timeoutMs + 30_000);
    const refusal = await this.db.transaction(async (tx) => {
      // One lock per caller, then one per organisation, always in that order: two servers
      // counting and inserting for the same caller cannot both see room for one more.
      await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [LEASE_LOCK_NAMESPACE % 2_147_483_647, keys.caller]);
      await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [LEASE_LOCK_NAMESPACE % 2_147_483_647, keys.organisation]);
      await tx.query('DELETE FROM query_lease WHERE expires_at < $1::timestamptz AND (caller_key = $2 OR organisation_key = $3)', [
        new Date(this.now()),
        keys.caller,
        keys.organisation,
      ]);
      const { rows } = await tx.query<{ mine: number; ours: number }>(
        `SELECT count(*) FILTER (WHERE caller_key = $1) AS mine, count(*) FILTER (WHERE organisation_key = $2) AS ours
         FROM query_lease WHERE caller_key = $1 OR organisation_key = $2`,
        [keys.caller, keys.organisation],
      );
      const mine = Number(rows[0]?.mine ?? 0);
      const ours = Number(rows[0]?.ours ?? 0);
      if (mine >= this.limits.perCallerConcurrent) return `You are running ${mine} queries already, as many as one person may at once`;
      if (ours >= this.limits.perOrganisationConcurrent) {
        return `Your organisation is running ${ours} queries already, as many as one organisation may at once`;
      }
      await tx.query('INSERT INTO query_lease (id, caller_key, organisation_key, expires_at) VALUES ($1, $2, $3, $4::timestamptz)', [
        id,
        keys.caller,
        keys.organisation,
        expiresAt,
      ]);
      return undefined;
    });
    if (refusal !== undefined) {
      throw new AppError('too-many-requests', `${refusal}; wait for one to finish.`, { headers: { 'Retry-After': '2' } });
    }
    return id;
  }

  async #release(lease: string, keys: ShareKeys, usedMs: number): Promise<void> {
    await this.db.query('DELETE FROM query_lease WHERE id = $1', [lease]);
    const window = new Date(windowStart(this.now()));
    for (const key of [keys.caller, keys.organisation]) {
      await this.db.query(
        `INSERT INTO query_work (key, window_start, used_ms) VALUES ($1, $2::timestamptz, $3)
         ON CONFLICT (key, window_start) DO UPDATE SET used_ms = query_work.used_ms + excluded.used_ms`,
        [key, window, usedMs],
      );
    }
    // Windows before the previous one are never read again.
    await this.db.query('DELETE FROM query_work WHERE key = ANY($1) AND window_start < $2::timestamptz', [
      [keys.caller, keys.organisation],
      new Date(window.getTime() - WINDOW_MS),
    ]);
  }
}

interface ShareKeys {
  caller: string;
  organisation: string;
}

function keysOf(caller: Caller): ShareKeys {
  return {
    caller: `${caller.kind}:${caller.id}`,
    // Callers of no organisation (platform clients, system jobs) share each their own.
    organisation: caller.organisation ? `org:${caller.organisation.odsCode}` : `none:${caller.kind}:${caller.id}`,
  };
}

function windowStart(now: number): number {
  return Math.floor(now / WINDOW_MS) * WINDOW_MS;
}
