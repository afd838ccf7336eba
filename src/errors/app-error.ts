import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

/** One problem found in a request, located by a path into it (JSON pointer, FLAT key, AQL position…). */
export interface ErrorIssue {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  issues?: readonly ErrorIssue[];
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

/**
 * The one error type inside the system. Services throw it with a catalogue code and a detail a
 * developer can act on; each API family renders it in its own wire format.
 */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly issues: readonly ErrorIssue[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
    this.title = ERROR_CATALOGUE[code].title;
    this.issues = options.issues ?? [];
    this.headers = withRetryAfter(code, options.headers ?? {});
  }
}

/** Seconds a client waits before retrying a 503 that names no time of its own. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Every 503 tells the client when to try again (RFC 9110 §10.2.3): an unavailable answer is a
 * promise that trying later may work, and clients and load balancers back off by it.
 */
function withRetryAfter(code: ErrorCode, headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (code !== 'unavailable' || Object.keys(headers).some((name) => name.toLowerCase() === 'retry-after')) return headers;
  return { ...headers, 'Retry-After': String(DEFAULT_RETRY_AFTER_SECONDS) };
}
