import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/database.js';
import type { Logger } from 'pino';
import { EventDispatcher } from '../event-dispatcher.js';
import { EventStreams } from '../event-streams.js';
import { eventStreamRoutes } from './event-stream-routes.js';

export interface RealTimeEventsOptions {
  db: Database;
  logger: Logger;
  maxStreams: number;
  heartbeatMs?: number;
  maxStreamDurationMs?: number;
}

/**
 * Real-time events in this server process: the dispatcher runs while the app does (started when
 * it is ready, stopped when it closes) and the event stream routes serve from it. On close the
 * streams are ended first, so clients reconnect elsewhere and the server is not held open.
 */
export const realTimeEventsPlugin: FastifyPluginAsyncTypebox<RealTimeEventsOptions> = async (app, options) => {
  const dispatcher = new EventDispatcher(options.db, options.logger);
  const streams = new EventStreams(options.maxStreams);
  app.addHook('onReady', () => dispatcher.start());
  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', () => dispatcher.stop());
  await app.register(eventStreamRoutes, {
    db: options.db,
    dispatcher,
    streams,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    maxDurationMs: options.maxStreamDurationMs ?? 15 * 60_000,
  });
};
