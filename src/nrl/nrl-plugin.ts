import type { FastifyPluginAsync } from 'fastify';
import type { OutboxConsumer } from '../delivery/outbox-consumer.js';

export interface NrlPluginOptions {
  /** The locator's outbox consumer (nrl-pointer-consumer.ts), made at wiring. */
  consumer: Pick<OutboxConsumer<unknown>, 'start' | 'stop'>;
}

/** Runs the locator's outbox consumer while the app runs: started when it is ready, stopped when it closes. */
export const nrlPlugin: FastifyPluginAsync<NrlPluginOptions> = async (app, { consumer }) => {
  app.addHook('onReady', () => consumer.start());
  app.addHook('onClose', () => consumer.stop());
};
