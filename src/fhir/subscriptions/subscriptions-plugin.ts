import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Database } from '../../db/database.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { OutboxConsumer, type Backoff } from '../../delivery/outbox-consumer.js';
import { isUuid } from '../../shared/uuid.js';
import type { EndpointPolicy } from './endpoint-policy.js';
import { NOTIFICATION_CHANNEL, subscriptionDelivery } from './subscription-delivery.js';
import { flagFeedRoutes } from './flag-feed-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { SubscriptionService, type OwnerLookup } from './subscription-service.js';
import { subscriptionCursorStore } from './subscription-store.js';

export interface SubscriptionsPluginOptions {
  db: Database;
  /** Seals and opens the subscriptions' HMAC secrets. */
  secrets: SecretBox;
  logger: Logger;
  baseUrl: string;
  /** Where rest-hook notifications may go (https on public addresses, and the hosts an operator allowed). */
  endpoints: EndpointPolicy;
  /** Who a subscription's owner is now: delivery decides on that, not on the rights they had when subscribing. */
  owners: OwnerLookup;
  backoff?: Backoff;
  deliveryTimeoutMs?: number;
}

/**
 * FHIR R4 Subscriptions: the routes, the delivery of rest-hook notifications from the durable
 * outbox (each subscription with its own cursor), and the websocket channel — a client connects
 * to /fhir/websocket with its bearer token, sends `bind <subscription id> [last event number]`,
 * and gets `ping <subscription id> <event number>` for each notification, starting with those it
 * missed since the number it gave.
 */
export const subscriptionsPlugin: FastifyPluginAsyncTypebox<SubscriptionsPluginOptions> = async (app, options) => {
  const { db, baseUrl } = options;
  const subscriptions = new SubscriptionService({ db, secrets: options.secrets, endpoints: options.endpoints, owners: options.owners });
  const consumer = new OutboxConsumer(db, options.logger, {
    name: 'fhir-subscriptions',
    store: subscriptionCursorStore(db),
    handle: subscriptionDelivery(db, options.secrets, subscriptions, { baseUrl, timeoutMs: options.deliveryTimeoutMs ?? 5_000 }),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  const bindings = new Map<string, Set<Binding>>();
  let unlisten: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    await consumer.start();
    unlisten = await db.listen(NOTIFICATION_CHANNEL, (id) => bindings.get(id)?.forEach((binding) => void binding.send()));
  });
  app.addHook('preClose', async () => {
    for (const set of bindings.values()) for (const binding of set) binding.socket.close(1001, 'server stopping');
  });
  app.addHook('onClose', async () => {
    await unlisten?.().catch(() => undefined);
    await consumer.stop();
  });

  await app.register(subscriptionRoutes, { subscriptions, baseUrl, onCreated: () => consumer.wake() });
  await app.register(flagFeedRoutes, { subscriptions, baseUrl });
  app.get(
    '/websocket',
    {
      websocket: true,
      config: { policy: { kind: 'permission', permission: ['plan:read', 'population:query', 'records:administer'] } },
      schema: { tags: ['FHIR'], summary: 'The websocket channel of FHIR Subscriptions (bind <id> [last event number])', hide: true },
    },
    (socket, request) => {
      const owner = request.caller?.id;
      socket.on('message', (data: Buffer) => {
        const [command, id = '', since = '0'] = data.toString('utf8').trim().split(/\s+/);
        if (command !== 'bind' || !isUuid(id) || !/^\d{1,15}$/.test(since)) {
          socket.send('error expected: bind <subscription id> [last event number]');
          return;
        }
        void (async () => {
          if (!(await subscriptions.websocketOf(owner, id))) {
            socket.send(`error ${id} is not a websocket subscription of yours`);
            return;
          }
          const binding = new Binding(subscriptions, socket, id, Number(since));
          const set = bindings.get(id) ?? new Set<Binding>();
          set.add(binding);
          bindings.set(id, set);
          socket.on('close', () => set.delete(binding));
          socket.send(`bound ${id}`);
          await binding.send();
        })().catch((error: unknown) => {
          request.log.warn({ err: error }, 'websocket bind failed');
          socket.send('error the binding failed; try again');
        });
      });
    },
  );
};

/** One socket bound to one subscription: what it has been told, and telling it what is new, in order. */
class Binding {
  #sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly subscriptions: SubscriptionService,
    readonly socket: WebSocket,
    private readonly id: string,
    private position: number,
  ) {}

  send(): Promise<void> {
    this.#sending = this.#sending.then(async () => {
      for (;;) {
        const notifications = await this.subscriptions.notificationsAfter(this.id, this.position, 100);
        for (const notification of notifications) {
          if (this.socket.readyState !== this.socket.OPEN) return;
          this.socket.send(`ping ${this.id} ${notification.eventNumber}`);
          this.position = notification.eventNumber;
        }
        if (notifications.length < 100) return;
      }
    });
    return this.#sending;
  }
}
