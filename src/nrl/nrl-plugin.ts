import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { OutboxConsumer, type Backoff } from '../delivery/outbox-consumer.js';
import type { NrlClient } from './nrl-client.js';
import { namedCursorStore } from './named-cursor-store.js';
import { nrlPointerPublisher, type NrlPublisherSettings } from './nrl-pointer-publisher.js';

export interface NrlPluginOptions extends NrlPublisherSettings {
  db: Database;
  logger: Logger;
  client: NrlClient;
  backoff?: Backoff;
}

export const NRL_CONSUMER = 'nrl-pointers';

/** Runs the locator's outbox consumer while the app runs: started when it is ready, stopped when it closes. */
export const nrlPlugin: FastifyPluginAsync<NrlPluginOptions> = async (app, options) => {
  const consumer = new OutboxConsumer(options.db, options.logger, {
    name: NRL_CONSUMER,
    store: namedCursorStore(options.db, NRL_CONSUMER),
    handle: nrlPointerPublisher(options.db, options.client, options),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  app.addHook('onReady', () => consumer.start());
  app.addHook('onClose', () => consumer.stop());
};
