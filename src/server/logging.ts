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

/** `destination` defaults to stdout; tests pass their own to read what was logged. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'ucp' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: requestLogSerializers,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
