import type { Database } from '../db/database.js';
import { appliedVersion } from '../db/migrations.js';

/** What readiness asks of the database: which backend it is, and the schema version applied to it. */
export interface DatabaseProbe {
  backend: Database['backend'];
  /** Undefined before the first migration. */
  schemaVersion(): Promise<number | undefined>;
}

export function databaseProbe(db: Database): DatabaseProbe {
  return { backend: db.backend, schemaVersion: () => appliedVersion(db) };
}
