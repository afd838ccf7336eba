import { databaseErrorCode } from './database-error-code.js';

/**
 * What a database error means for the request that met it. One mapping for every route and both
 * backends, so that no handler has to know PostgreSQL's error codes:
 *
 * - `unavailable`: the database could not be reached or the connection was lost (server stopped,
 *   backend terminated, failover, pool exhausted). Nothing was committed by the failed statement;
 *   the client should retry shortly (503 with Retry-After).
 * - `retry`: the statement lost a race the database resolves by aborting one side (serialisation
 *   failure, deadlock). Also 503 with Retry-After: trying again will most likely succeed.
 * - `bad-input`: the request carried a value the database refuses to store or process (NUL in
 *   text, a lone surrogate, a number out of range, nesting too deep for it). A 4xx.
 * - undefined: not a database error this mapping knows; a bug to be reported as such.
 */
export type DatabaseFault = 'unavailable' | 'retry' | 'bad-input';

/** Node's socket errors that mean the server cannot be reached or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres raises these without a code when a connection ends or a checkout times out. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Query read timeout/,
  /^Cannot use a pool after calling end on the pool/,
];

/** SQLSTATEs meaning the session is gone or the server will not serve it now. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, or the server stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '25006', // read_only_sql_transaction: a write reached a standby (failover in progress)
]);

const RETRY_STATES = new Set(['40001', '40P01']);

/** Data exceptions caused by the values a request sent, and statements too deep for the server's stack. */
const BAD_INPUT_STATES = new Set(['54001']);

export function classifyDatabaseFault(error: unknown): DatabaseFault | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = databaseErrorCode(error);
  if (code !== undefined) {
    if (SOCKET_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_STATES.has(code)) return 'unavailable';
    if (RETRY_STATES.has(code)) return 'retry';
    if (BAD_INPUT_STATES.has(code) || /^22[0-9A-Z]{3}$/.test(code)) return 'bad-input';
  }
  if (error instanceof AggregateError && error.errors.some((inner) => classifyDatabaseFault(inner) === 'unavailable')) {
    return 'unavailable';
  }
  const message = error instanceof Error ? error.message : '';
  if (DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  return undefined;
}

/**
 * What may be said about a bad-input error without repeating the value: PostgreSQL's message,
 * detail and context quote the offending text (clinical content), so they never reach a client or a log.
 */
export function describeBadInput(error: unknown): string {
  switch (databaseErrorCode(error)) {
    case '22P05':
    case '22021':
      return 'a text value holds a character that cannot be stored (such as NUL, \\u0000)';
    case '22P02':
      return 'a value is not in the form its field needs (for example a malformed number, identifier or Unicode escape)';
    case '22001':
      return 'a text value is longer than its field allows';
    case '22003':
      return 'a number is out of range';
    case '22007':
    case '22008':
      return 'a date or time is out of range or malformed';
    case '54001':
      return 'the content is nested too deeply';
    default:
      return 'a value cannot be stored as sent';
  }
}
