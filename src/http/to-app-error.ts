import { AppError, DEFAULT_RETRY_AFTER_SECONDS } from '../errors/app-error.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/error-catalogue.js';
import { classifyDatabaseFault, describeBadInput } from '../db/database-faults.js';

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

interface ValidationItem {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Fastify's own error codes for bad requests, translated to ours with a useful detail. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; detail: (message: string) => string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported-media-type',
    detail: (message) => `${message}. Send the body as application/json.`,
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload-too-large', detail: () => 'The request body is larger than this server accepts.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed-json',
    detail: () => 'The body is empty but Content-Type says application/json; send a JSON value or no Content-Type.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed-json', detail: (message) => `The body is not valid JSON: ${message}` },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad-request', detail: () => 'Content-Length does not match the body sent.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported-media-type', detail: (message) => message },
  FST_ERR_BAD_URL: { code: 'bad-request', detail: (message) => message },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'bad-request', detail: (message) => message },
};

/**
 * Turns anything thrown while handling a request into an AppError. Unknown errors become
 * `internal` with a generic detail: their message may hold internals and never reaches a client.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (typeof error !== 'object' || error === null) return internal(error);
  const candidate = error as FastifyLikeError;
  const message = typeof candidate.message === 'string' ? candidate.message : '';

  if (Array.isArray(candidate.validation)) {
    const where = typeof candidate.validationContext === 'string' ? candidate.validationContext : 'request';
    const issues = (candidate.validation as ValidationItem[]).map((item) => ({
      path: `${where}${item.instancePath ?? ''}`,
      message: describeValidation(item),
    }));
    return new AppError(
      'invalid-request',
      `The ${REQUEST_PARTS[where] ?? where} do not match the API description: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      { issues, cause: error },
    );
  }
  if (typeof candidate.code === 'string') {
    const known = FASTIFY_CODES[candidate.code];
    if (known) return new AppError(known.code, known.detail(message), { cause: error });
  }
  if (error instanceof SyntaxError && typeof candidate.statusCode === 'number' && candidate.statusCode === 400) {
    return new AppError('malformed-json', `The body is not valid JSON: ${message}`, { cause: error });
  }
  if (typeof candidate.statusCode === 'number' && candidate.statusCode >= 400 && candidate.statusCode < 500) {
    const code = codeForStatus(candidate.statusCode);
    return new AppError(code, message || ERROR_CATALOGUE[code].title, { cause: error });
  }
  return fromDatabaseFault(error) ?? internal(error);
}

/** Database faults by what they mean to the client (src/db/database-faults.ts), never by their text. */
function fromDatabaseFault(error: object): AppError | undefined {
  const retryAfter = { 'Retry-After': String(DEFAULT_RETRY_AFTER_SECONDS) };
  switch (classifyDatabaseFault(error)) {
    case 'unavailable':
      return new AppError('unavailable', 'The database is not reachable just now; nothing was changed. Try again shortly.', {
        headers: retryAfter,
        cause: error,
      });
    case 'retry':
      return new AppError('unavailable', 'The request met a concurrent change and was not applied; try again.', {
        headers: retryAfter,
        cause: error,
      });
    case 'bad-input':
      return new AppError('unprocessable', `The request cannot be stored: ${describeBadInput(error)}. Nothing was changed.`, {
        cause: error,
      });
    default:
      return undefined;
  }
}

/** How Fastify's validation contexts read in a sentence. */
const REQUEST_PARTS: Record<string, string> = {
  body: 'body contents',
  querystring: 'query parameters',
  params: 'path parameters',
  headers: 'request headers',
};

function internal(cause: unknown): AppError {
  return new AppError('internal', 'The server could not complete the request. Quote the request id when reporting it.', {
    cause,
  });
}

function describeValidation(item: ValidationItem): string {
  const allowed = item.params?.['allowedValues'];
  if (Array.isArray(allowed)) return `${item.message ?? 'is invalid'}: ${allowed.join(', ')}`;
  const extra = item.params?.['additionalProperty'];
  if (typeof extra === 'string') return `has unknown property '${extra}'`;
  return item.message ?? 'is invalid';
}

function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(ERROR_CATALOGUE) as [ErrorCode, { status: number }][]).find(([, entry]) => entry.status === status);
  return match?.[0] ?? 'bad-request';
}
