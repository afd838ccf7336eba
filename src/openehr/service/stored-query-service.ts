import type { Caller } from '../../access/caller.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { parseAql } from '../aql/parser/index.js';
import {
  findStoredQuery,
  insertStoredQuery,
  listStoredQueries,
  type SemanticVersion,
  type StoredQuery,
} from '../store/stored-query-store.js';
import { toAqlAppError } from './aql-errors.js';

/** `namespace::name`, the namespace in reverse-domain form (`org.ucp::careplans.due_for_review`). */
export const QUALIFIED_QUERY_NAME = /^[A-Za-z0-9_.-]+::[A-Za-z0-9_.-]+$/;

export function parseVersion(text: string, exact: boolean): Partial<SemanticVersion> {
  const match = /^(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?$/.exec(text);
  if (!match || (exact && match[3] === undefined)) {
    throw new AppError(
      'bad-request',
      exact
        ? `${text} is not a semantic version (major.minor.patch, e.g. 1.0.0).`
        : `${text} is not a version or version prefix (1, 1.2 or 1.2.3).`,
    );
  }
  const [, major, minor, patch] = match;
  return {
    major: Number(major),
    ...(minor !== undefined ? { minor: Number(minor) } : {}),
    ...(patch !== undefined ? { patch: Number(patch) } : {}),
  };
}

function checkName(name: string): void {
  if (!QUALIFIED_QUERY_NAME.test(name)) {
    throw new AppError(
      'bad-request',
      `${name} is not a qualified query name: write namespace::name, e.g. org.ucp::careplans.due_for_review.`,
    );
  }
}

/** Stored AQL queries: named, versioned, checked to parse before they are stored. */
export class StoredQueryService {
  constructor(private readonly db: Database) {}

  async store(name: string, version: string, q: string, caller: Caller): Promise<StoredQuery> {
    checkName(name);
    const semantic = parseVersion(version, true) as SemanticVersion;
    if (q.trim() === '') throw new AppError('bad-request', 'The stored query is empty: send the AQL text as the body.');
    try {
      parseAql(q);
    } catch (error) {
      throw toAqlAppError(error);
    }
    return this.db.transaction((tx) => insertStoredQuery(tx, name, semantic, q, caller.id));
  }

  async list(name: string | undefined): Promise<StoredQuery[]> {
    return listStoredQueries(this.db, name);
  }

  /** The newest version of `name` matching `version` (a prefix such as `1` or `1.2`, or exact); 404 if none. */
  async find(name: string, version: string | undefined): Promise<StoredQuery> {
    checkName(name);
    const prefix = version === undefined ? {} : parseVersion(version, false);
    const found = await findStoredQuery(this.db, name, prefix);
    if (!found) {
      throw new AppError(
        'not-found',
        `There is no stored query ${name}${version === undefined ? '' : ` with a version matching ${version}`}.`,
      );
    }
    return found;
  }
}
