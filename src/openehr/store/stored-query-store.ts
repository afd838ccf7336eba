import type { Queryable } from '../../db/database.js';
import { databaseErrorCode, UNIQUE_VIOLATION } from '../../db/database-error-code.js';
import { AppError } from '../../errors/app-error.js';

export interface StoredQuery {
  name: string;
  /** x.y.z */
  version: string;
  type: 'AQL';
  q: string;
  savedAt: string;
}

export interface SemanticVersion {
  major: number;
  minor: number;
  patch: number;
}

type Row = { name: string; major: number; minor: number; patch: number; q: string; saved_at: Date };

const toStoredQuery = (row: Row): StoredQuery => ({
  name: row.name,
  version: `${row.major}.${row.minor}.${row.patch}`,
  type: 'AQL',
  q: row.q,
  savedAt: row.saved_at.toISOString(),
});

export async function insertStoredQuery(
  tx: Queryable,
  name: string,
  version: SemanticVersion,
  q: string,
  savedBy: string,
): Promise<StoredQuery> {
  try {
    const { rows } = await tx.query<Row>(
      `INSERT INTO stored_query (name, major, minor, patch, q, saved_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING name, major, minor, patch, q, saved_at`,
      [name, version.major, version.minor, version.patch, q, savedBy],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return toStoredQuery(row);
  } catch (error) {
    if (databaseErrorCode(error) === UNIQUE_VIOLATION) {
      throw new AppError(
        'conflict',
        `The stored query ${name} already has version ${version.major}.${version.minor}.${version.patch}; a stored version never changes, store a new one.`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Every version of a name (or of every name in a namespace prefix), newest first. */
export async function listStoredQueries(db: Queryable, name: string | undefined): Promise<StoredQuery[]> {
  const { rows } = await db.query<Row>(
    `SELECT name, major, minor, patch, q, saved_at FROM stored_query
     WHERE $1::text IS NULL OR name = $1 OR name LIKE $1 || '::%'
     ORDER BY name, major DESC, minor DESC, patch DESC`,
    [name ?? null],
  );
  return rows.map(toStoredQuery);
}

/** The newest version matching a prefix (`1`, `1.2`) or an exact version (`1.2.3`); no prefix: the newest. */
export async function findStoredQuery(db: Queryable, name: string, prefix: Partial<SemanticVersion>): Promise<StoredQuery | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT name, major, minor, patch, q, saved_at FROM stored_query
     WHERE name = $1 AND ($2::int IS NULL OR major = $2) AND ($3::int IS NULL OR minor = $3) AND ($4::int IS NULL OR patch = $4)
     ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
    [name, prefix.major ?? null, prefix.minor ?? null, prefix.patch ?? null],
  );
  return rows[0] ? toStoredQuery(rows[0]) : undefined;
}
