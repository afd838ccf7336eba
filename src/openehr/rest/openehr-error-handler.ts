import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { loggableUrl } from '../../http/logging.js';
import { logRequestError } from '../../http/problem-json-handlers.js';
import { toAppError } from '../../http/to-app-error.js';

/**
 * The openEHR REST API's error body, as openEHR clients (and EHRbase's) read it: `error` and
 * `message`, with validation problems listed one per line, plus our code and request id.
 */
export interface OpenEhrErrorBody {
  error: string;
  message: string;
  code: string;
  status: number;
  requestId: string;
  path: string;
  validationErrors?: string[];
}

export function toOpenEhrError(error: AppError, request: FastifyRequest): OpenEhrErrorBody {
  return {
    error: error.title,
    message: error.detail,
    code: error.code,
    status: error.status,
    requestId: request.id,
    path: loggableUrl(request.url),
    ...(error.issues.length > 0 ? { validationErrors: error.issues.map((issue) => `${issue.path}: ${issue.message}`) } : {}),
  };
}

function send(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  return reply.code(error.status).headers(error.headers).type('application/json').send(toOpenEhrError(error, request));
}

export function openEhrErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  logRequestError(request, appError);
  return send(request, reply, appError);
}

export function openEhrNotFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return send(
    request,
    reply,
    new AppError('route-not-found', `There is no openEHR endpoint for ${request.method} ${loggableUrl(request.url)}. See /docs.`),
  );
}
