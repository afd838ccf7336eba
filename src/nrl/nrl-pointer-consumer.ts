import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { OutboxConsumer, type Backoff } from '../delivery/outbox-consumer.js';
import type { NrlClient } from './nrl-client.js';
import { namedCursorStore } from './named-cursor-store.js';
import { nrlPointerPublisher, type NrlPublisherSettings } from './nrl-pointer-publisher.js';

export interface NrlPointerConsumerOptions extends NrlPublisherSettings {
  db: Database;
  logger: Logger;
  client: NrlClient;
  backoff?: Backoff;
}

export const NRL_CONSUMER = 'nrl-pointers';

/** The durable outbox consumer that keeps the national record locator's pointers; made once at wiring. */
export function nrlPointerConsumer(options: NrlPointerConsumerOptions): OutboxConsumer<string> {
  return new OutboxConsumer(options.db, options.logger, {
    name: NRL_CONSUMER,
    store: namedCursorStore(options.db, NRL_CONSUMER),
    handle: nrlPointerPublisher(options.db, options.client, options),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
}
