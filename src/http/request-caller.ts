import type { FastifyRequest } from 'fastify';
import type { Caller } from '../access/caller.js';
import { AppError } from '../errors/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set by the policy point (src/server/access-control.ts); absent on public routes. */
    caller?: Caller;
  }
}

/**
 * The caller of a route whose policy requires one. The policy point has authenticated them before
 * the handler runs, so the 401 here only guards a route declared public by mistake.
 */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('unauthenticated', 'Sign in first.');
  return request.caller;
}
