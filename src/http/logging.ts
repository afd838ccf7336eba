import { pino, type DestinationStream, type Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LogLevel } from '../config/config.js';

/**
 * Logs must never hold personal data. Query strings (where subject ids and search terms travel)
 * are dropped, and anything shaped like an NHS number in a path is masked.
 */
export function loggableUrl(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  return path.replace(/(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g, '##########');
}

/** Serializers for Fastify's request log lines: method, safe path, status, timing; nothing else. */
export const requestLogSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, url: loggableUrl(request.url), remoteAddress: request.ip };
  },
  res(reply: FastifyReply) {
    return { statusCode: reply.statusCode };
  },
};

/** Fields of a PostgreSQL error safe to log: names and codes, never the values it quotes. */
const DATABASE_ERROR_FIELDS = ['code', 'severity', 'routine', 'schema', 'table', 'column', 'constraint', 'dataType', 'errno', 'syscall'];

/** Data exceptions (class 22) and over-deep statements (54) quote the offending value in their message. */
const QUOTING_STATES = /^(22|54)/;

/**
 * The error serializer of every log line. PostgreSQL's errors carry the text that caused them in
 * `detail`, `where`, `internalQuery` and, for data exceptions, in the message itself: a composition
 * with a NUL in it was logged with its clinical text. Only names and codes are kept, for the error
 * and each of its causes; the stack keeps its frames but not a withheld message.
 */
export function safeErrorSerializer(error: unknown, depth = 0): unknown {
  if (typeof error !== 'object' || error === null || depth > 5) return error;
  const source = error as Record<string, unknown> & { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
  const code = typeof source['code'] === 'string' ? source['code'] : undefined;
  const isDatabaseError = code !== undefined && typeof source['severity'] === 'string';
  const message = typeof source.message === 'string' ? source.message : '';
  const withheld = isDatabaseError && QUOTING_STATES.test(code);
  const shownMessage = withheld ? `[database message withheld: SQLSTATE ${code}]` : message;
  const safe: Record<string, unknown> = {
    type: error.constructor?.name ?? source.name,
    message: shownMessage,
  };
  if (typeof source.stack === 'string') {
    const frames = source.stack.split('\n').filter((line) => /^\s+at /.test(line));
    safe['stack'] = [`${String(safe['type'])}: ${shownMessage}`, ...frames].join('\n');
  }
  for (const field of isDatabaseError ? DATABASE_ERROR_FIELDS : ['code', 'errno', 'syscall', 'status', 'statusCode']) {
    if (source[field] !== undefined && typeof source[field] !== 'object') safe[field] = source[field];
  }
  if (source.cause !== undefined) safe['cause'] = safeErrorSerializer(source.cause, depth + 1);
  if (error instanceof AggregateError) safe['errors'] = error.errors.slice(0, 5).map((inner) => safeErrorSerializer(inner, depth + 1));
  return safe;
}

/** `destination` defaults to stdout; tests pass their own to read what was logged. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'ucp' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { ...requestLogSerializers, err: (error: unknown) => safeErrorSerializer(error) },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
