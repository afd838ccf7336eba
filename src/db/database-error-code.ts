/** SQLSTATE codes the application tells apart. */
export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';

/** The SQLSTATE of a database error (e.g. 23505 unique violation), from either backend. */
export function databaseErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
