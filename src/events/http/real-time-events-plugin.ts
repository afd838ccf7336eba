import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RealTimeEvents } from '../real-time-events.js';
import { eventStreamRoutes } from './event-stream-routes.js';

export interface RealTimeEventsOptions {
  /** This process's dispatcher and streams over the outbox, made at wiring. */
  events: RealTimeEvents;
  heartbeatMs?: number;
  maxStreamDurationMs?: number;
}

/**
 * Real-time events in this server process: the dispatcher runs while the app does (started when
 * it is ready, stopped when it closes) and the event stream routes serve from it. On close the
 * streams are ended first, so clients reconnect elsewhere and the server is not held open.
 */
export const realTimeEventsPlugin: FastifyPluginAsyncTypebox<RealTimeEventsOptions> = async (app, options) => {
  const { events } = options;
  app.addHook('onReady', () => events.start());
  app.addHook('preClose', async () => events.closeAll());
  app.addHook('onClose', () => events.stop());
  await app.register(eventStreamRoutes, {
    events,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    maxDurationMs: options.maxStreamDurationMs ?? 15 * 60_000,
  });
};
