import type { Database } from '../../db/database.js';
import { databaseErrorCode } from '../../db/database-error-code.js';
import { AppError } from '../../errors/app-error.js';
import type { AqlQuery } from '../aql/ast.js';
import { compileAql, type AqlResultColumn, type EhrScope } from '../aql/compile/compile-aql.js';
import { parseAql } from '../aql/parser/index.js';
import { getRmClass, isRmClass, isSubtypeOf, RM_ANY_TYPE, rmBaseTypeName } from '../rm/rm-info.js';
import { withExplicitRmTypes } from '../rm/rm-explicit-types.js';

export type { EhrScope } from '../aql/compile/compile-aql.js';

export interface QueryInput {
  query: AqlQuery | string;
  parameters: Record<string, unknown>;
  /** The request's window over the query's result (applied after the query's own LIMIT/OFFSET). */
  offset?: number;
  fetch?: number;
  ehrScope: EhrScope;
  timeoutMs: number;
  /** Also return PostgreSQL's plan (EXPLAIN, JSON) of the statement. */
  explain?: boolean;
}

export interface QueryResult {
  columns: { name: string; path?: string }[];
  rows: unknown[][];
  /** Every EHR a row of the result came from (for the audit of whose records were read). */
  ehrIds: string[];
  sql: string;
  params: unknown[];
  explain?: unknown;
}

const QUERY_CANCELED = '57014';
const INVALID_TEXT_REPRESENTATION = '22P02';

/**
 * Runs AQL: compiles it to one SQL statement and executes it in a read-only transaction with a
 * time limit. Syntax and compile errors (AqlSyntaxError, AqlCompileError) pass through for the
 * API to answer with 400; a query that runs out of time is refused as unavailable.
 */
export class QueryService {
  constructor(private readonly db: Database) {}

  async execute(input: QueryInput): Promise<QueryResult> {
    const query = typeof input.query === 'string' ? parseAql(input.query) : input.query;
    const compiled = compileAql(query, {
      parameters: input.parameters,
      ehrScope: input.ehrScope,
      offset: input.offset,
      fetch: input.fetch,
    });
    const params = [...compiled.params];
    const timeout = String(Math.max(1, Math.floor(input.timeoutMs)));
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SET TRANSACTION READ ONLY');
        // JIT compiles each statement to machine code before running it: worth it for an hour-long
        // report, 100–400 ms lost on every AQL query, which take milliseconds (docs/scaling.md).
        await tx.query(
          "SELECT set_config('statement_timeout', $1, true), set_config('TimeZone', 'UTC', true), set_config('jit', 'off', true)",
          [timeout],
        );
        const { rows } = await tx.query(compiled.sql, params);
        const ehrIds = new Set<string>();
        const resultRows = rows.map((row) => {
          const ids = row[compiled.ehrIdColumn.name];
          if (Array.isArray(ids)) for (const id of ids) ehrIds.add(String(id));
          else if (typeof ids === 'string') ehrIds.add(ids);
          return compiled.columns.map((_, index) => decode(row[`c${index}`], compiled.columnTypes[index]));
        });
        const result: QueryResult = {
          columns: compiled.columns.map(copyColumn),
          rows: resultRows,
          ehrIds: [...ehrIds],
          sql: compiled.sql,
          params,
        };
        if (input.explain === true) {
          const plan = await tx.query(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, params);
          result.explain = Object.values(plan.rows[0] ?? {})[0] ?? null;
        }
        return result;
      });
    } catch (error) {
      const code = databaseErrorCode(error);
      if (code === QUERY_CANCELED) {
        throw new AppError(
          'unavailable',
          `The query did not finish within ${timeout} ms. Narrow it (an archetype in FROM, an EHR id or a time range in WHERE) or fetch fewer rows.`,
          { cause: error },
        );
      }
      if (code === INVALID_TEXT_REPRESENTATION && error instanceof Error && error.message.includes('needs numbers')) {
        throw new AppError('unprocessable', 'SUM and AVG need numeric values, and the path selected holds values that are not numbers.', {
          cause: error,
        });
      }
      throw error;
    }
  }
}

function copyColumn(column: AqlResultColumn): { name: string; path?: string } {
  return column.path !== undefined ? { name: column.name, path: column.path } : { name: column.name };
}

/**
 * Both drivers decode jsonb already. The stored canonical JSON may leave `_type` out where the
 * declared type is concrete; a result value always names its type at its root, and a small
 * value (a data value, a party, an identifier: not an archetyped node) names it on every object,
 * as EHRbase answers. Archetyped nodes are returned as stored below their root.
 */
function decode(value: unknown, rmType: string | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const declared = rmType !== undefined ? rmBaseTypeName(rmType) : undefined;
  const type = typeof record['_type'] === 'string' ? record['_type'] : declared;
  if (type === undefined || !isRmClass(type)) return value;
  if (isSubtypeOf(type, 'LOCATABLE')) {
    if (typeof record['_type'] === 'string') return value;
    // Declared abstract (a DATA_STRUCTURE found by where it stands): the stored node does not say which concrete class it is.
    return getRmClass(type)?.abstract === true ? value : { _type: type, ...record };
  }
  const typed = withExplicitRmTypes(value, rmType ?? RM_ANY_TYPE);
  keepArchetypeDetails(typed, value);
  return typed;
}

function keepArchetypeDetails(typed: unknown, stored: unknown): void {
  if (Array.isArray(typed) && Array.isArray(stored)) {
    typed.forEach((item, index) => keepArchetypeDetails(item, stored[index]));
    return;
  }
  if (typeof typed !== 'object' || typed === null || typeof stored !== 'object' || stored === null || Array.isArray(stored)) return;
  const target = typed as Record<string, unknown>;
  const source = stored as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key === 'archetype_details') target[key] = source[key];
    else keepArchetypeDetails(target[key], source[key]);
  }
}
