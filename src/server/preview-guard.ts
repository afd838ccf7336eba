import type { FastifyInstance } from 'fastify';
import { PREVIEW_HEADER } from '../designer/http/designer-preview-routes.js';
import { AppError } from '../errors/app-error.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The designer's preview is read-only: it sends the PREVIEW_HEADER with every request, and any
 * request that carries it and is not a read is refused before it reaches a route (a plan is never
 * changed from a preview, whatever the page or a copy of it sends).
 */
export function registerPreviewGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.headers[PREVIEW_HEADER] !== undefined && !READS.has(request.method)) {
      throw new AppError('forbidden', "The designer's preview is read-only: nothing is saved from it.");
    }
  });
}
