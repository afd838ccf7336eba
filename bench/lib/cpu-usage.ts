import { readFile } from 'node:fs/promises';
import pg from 'pg';

/** CPU time (user + system) a process has used, in microseconds, from /proc; 0 where /proc is absent. */
export async function processCpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces) start with the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** Linux's USER_HZ, which /proc/<pid>/stat counts in (100 on every common build). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU used by one server process and by the PostgreSQL backends serving one database, between
 * `start()` and `stop()`. On a machine shared with other work, throughput moves with everyone
 * else's load; CPU per request moves far less, so the bench reports both.
 */
export class CpuMeter {
  #client: pg.Client | undefined;
  #started: { server: number; backends: Map<number, number> } | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly serverPid: number,
  ) {}

  async start(): Promise<void> {
    this.#started = await this.#sample();
  }

  /** Microseconds of CPU per request since `start()`, in the server process and in the database's backends. */
  async stop(requests: number): Promise<{ serverMicros: number; databaseMicros: number }> {
    const ended = await this.#sample();
    const started = this.#started ?? ended;
    // A backend started since counts from zero; one that ended since is lost (the pools stay open).
    let database = 0;
    for (const [pid, used] of ended.backends) database += used - (started.backends.get(pid) ?? 0);
    const per = (used: number) => (requests > 0 ? Math.round(used / requests) : 0);
    return { serverMicros: per(ended.server - started.server), databaseMicros: per(database) };
  }

  async close(): Promise<void> {
    await this.#client?.end();
    this.#client = undefined;
  }

  async #sample(): Promise<{ server: number; backends: Map<number, number> }> {
    if (!this.#client) {
      this.#client = new pg.Client({ connectionString: this.databaseUrl });
      await this.#client.connect();
    }
    const { rows } = await this.#client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const backends = new Map<number, number>();
    for (const row of rows) backends.set(row.pid, await processCpuMicros(row.pid));
    return { server: await processCpuMicros(this.serverPid), backends };
  }
}
