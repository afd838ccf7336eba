import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { lockDataDirectory } from './data-dir-lock.js';
import type { Database } from './database.js';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';
import { pgliteSeedFor } from './pglite-seed.js';

export interface DatabaseSettings {
  /** A PostgreSQL server; when absent, embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** A streaming replica of it, for read-only work (DATABASE_REPLICA_URL). */
  replicaUrl?: string | undefined;
  dataDir: string;
  maxConnections: number;
}

/** Opens the configured backend. Closing the returned database also releases the data folder. */
export async function openDatabase(settings: DatabaseSettings, logger: Logger): Promise<Database> {
  if (settings.databaseUrl !== undefined) {
    return new PgDatabase({
      connectionString: settings.databaseUrl,
      replicaConnectionString: settings.replicaUrl,
      maxConnections: settings.maxConnections,
      logger,
    });
  }
  const directory = resolve(settings.dataDir);
  const unlock = await lockDataDirectory(directory);
  try {
    const folder = join(directory, 'pglite');
    return await PgliteDatabase.open(folder, unlock, await pgliteSeedFor(folder));
  } catch (error) {
    await unlock();
    throw error;
  }
}
