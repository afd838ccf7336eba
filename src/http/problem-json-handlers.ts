import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { PROBLEM_JSON, toProblemDetails } from './problem-details.js';
import { toAppError } from './to-app-error.js';
import { loggableUrl } from './logging.js';

/** Logs an error at the level it deserves: a server fault with its stack, a client mistake briefly. */
export function logRequestError(request: FastifyRequest, error: AppError): void {
  if (error.status >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, 'request failed');
  else request.log.info({ code: error.code, status: error.status }, 'request refused');
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .type(PROBLEM_JSON)
    .send(toProblemDetails(error, loggableUrl(request.url), request.id));
}

export function problemJsonErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  logRequestError(request, appError);
  return sendProblem(request, reply, appError);
}

export function problemJsonNotFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const error = new AppError(
    'route-not-found',
    `There is no endpoint for ${request.method} ${loggableUrl(request.url)}. The API is described at /docs.`,
  );
  return sendProblem(request, reply, error);
}
