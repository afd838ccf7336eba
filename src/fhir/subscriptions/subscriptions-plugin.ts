import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WebSocket } from 'ws';
import type { OutboxConsumer } from '../../delivery/outbox-consumer.js';
import { isUuid } from '../../shared/uuid.js';
import { flagFeedRoutes } from './flag-feed-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import type { SubscriptionService } from './subscription-service.js';

export interface SubscriptionsPluginOptions {
  subscriptions: SubscriptionService;
  /** Delivers the notifications (subscription-delivery.ts): started when the app is ready, stopped when it closes. */
  consumer: Pick<OutboxConsumer<string>, 'start' | 'stop' | 'wake'>;
  baseUrl: string;
}

/**
 * FHIR R4 Subscriptions: the routes, the delivery of rest-hook notifications from the durable
 * outbox (each subscription with its own cursor), and the websocket channel — a client connects
 * to /fhir/websocket with its bearer token, sends `bind <subscription id> [last event number]`,
 * and gets `ping <subscription id> <event number>` for each notification, starting with those it
 * missed since the number it gave.
 */
export const subscriptionsPlugin: FastifyPluginAsyncTypebox<SubscriptionsPluginOptions> = async (app, options) => {
  const { subscriptions, consumer, baseUrl } = options;
  const bindings = new Map<string, Set<Binding>>();
  let unlisten: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    await consumer.start();
    unlisten = await subscriptions.onNotification((id) => bindings.get(id)?.forEach((binding) => void binding.send()));
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
