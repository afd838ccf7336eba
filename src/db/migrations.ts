import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Database, Queryable } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationOutcome {
  applied: string[];
  currentVersion: number;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Any 64-bit number unique to this application; all instances take the same lock. */
const MIGRATION_LOCK_KEY = 7_340_112_625;

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export const MIGRATIONS_DIRECTORY = new URL('./migrations/', import.meta.url);

/** Reads `NNNN_name.sql` files in version order; anything else in the folder is a mistake. */
export async function loadMigrations(directory: URL = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const files = (await readdir(directory)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match?.[1]) throw new MigrationError(`unexpected file in migrations folder: ${file}`, file);
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous && previous.version === version) {
      throw new MigrationError(`two migrations share version ${version}: ${previous.name}, ${file}`, file);
    }
    migrations.push({ version, name: file, sql: await readFile(new URL(file, directory), 'utf8') });
  }
  return migrations;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so that any number of
 * instances may start at once: the first applies them, the others wait and find nothing to do.
 * A failing migration rolls everything back and names itself in the error.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<MigrationOutcome> {
  // The usual restart: a read finds every migration applied, unchanged, and nothing unknown.
  if (await upToDate(db, migrations)) return { applied: [], currentVersion: migrations.at(-1)?.version ?? 0 };
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const known = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of rows) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new MigrationError(
          `the database has migration ${row.name}, which this server does not know: it was set up by a newer release`,
          row.name,
        );
      }
      if (checksum(migration.sql) !== row.checksum) {
        throw new MigrationError(`migration ${migration.name} was changed after it was applied`, migration.name);
      }
    }
    const appliedVersions = new Set(rows.map((row) => row.version));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (appliedVersions.has(migration.version)) continue;
      await applyOne(tx, migration);
      applied.push(migration.name);
    }
    return { applied, currentVersion: migrations.at(-1)?.version ?? 0 };
  });
}

/**
 * True when the database has exactly these migrations, with the same checksums — decided by
 * reading the table, without the lock. Anything else (no table yet, one pending, one changed or
 * unknown) is left to the locked path, which applies or names it.
 */
async function upToDate(db: Database, migrations: readonly Migration[]): Promise<boolean> {
  const present = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!present.rows[0]?.present) return false;
  const { rows } = await db.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM schema_migrations ORDER BY version',
  );
  return (
    rows.length === migrations.length &&
    rows.every((row, index) => row.version === migrations[index]?.version && row.checksum === checksum(migrations[index].sql))
  );
}

async function applyOne(tx: Queryable, migration: Migration): Promise<void> {
  try {
    await tx.exec(migration.sql);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed: ${reason}`, migration.name, { cause: error });
  }
  await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
    migration.version,
    migration.name,
    checksum(migration.sql),
  ]);
}

/** The highest applied version, or undefined when no migration has run yet. */
export async function appliedVersion(db: Queryable): Promise<number | undefined> {
  const table = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!table.rows[0]?.present) return undefined;
  const { rows } = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? undefined;
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}
