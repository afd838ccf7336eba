import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DatabaseProbe } from './database-probe.js';
import { AppError } from '../errors/app-error.js';
import { problemResponses } from '../http/schemas.js';

export interface HealthRoutesOptions {
  database: DatabaseProbe;
  /** The schema version this server was built for; ready only once the database has it. */
  expectedSchemaVersion: number;
}

/** A probe must answer sooner than the balancer gives up on it, even when the database hangs. */
const READINESS_TIMEOUT_MS = 3_000;

function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Liveness and readiness for process supervisors and load balancers. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, { database, expectedSchemaVersion }) => {
  app.get(
    '/healthz',
    {
      config: { policy: { kind: 'public', reason: 'process supervisors and load balancers probe it' } },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up and serving HTTP',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...problemResponses },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { policy: { kind: 'public', reason: 'process supervisors and load balancers probe it' } },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and its schema is up to date',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
            schemaVersion: Type.Integer(),
          }),
          ...problemResponses,
        },
      },
    },
    async () => {
      let version: number | undefined;
      try {
        version = await withinTime(database.schemaVersion(), READINESS_TIMEOUT_MS);
      } catch (error) {
        throw new AppError('unavailable', 'The database is not reachable.', { cause: error });
      }
      if (version !== expectedSchemaVersion) {
        throw new AppError(
          'unavailable',
          `The database schema is at version ${version ?? 'none'}; this server needs ${expectedSchemaVersion}.`,
        );
      }
      return { status: 'ready' as const, database: database.backend, schemaVersion: version };
    },
  );
};
