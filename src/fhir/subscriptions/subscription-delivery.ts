import type { Logger } from 'pino';
import type { Database } from '../../db/database.js';
import { secretContext, type SecretBox } from '../../secrets/secret-box.js';
import { OutboxConsumer, type Backoff, type EventHandling } from '../../delivery/outbox-consumer.js';
import type { OutboxEvent } from '../../events/outbox.js';
import { signNotification, SIGNATURE_HEADER } from './notification-signature.js';
import { matchEvent, parseCriteria } from './subscription-criteria.js';
import { notificationBundle } from './subscription-resource.js';
import type { SubscriptionService } from './subscription-service.js';
import { findSubscription, markDelivered, recordNotification, subscriptionCursorStore } from './subscription-store.js';

/** Announces that a subscription has a new notification, to the websocket connections on every server. */
export const NOTIFICATION_CHANNEL = 'ucp_fhir_notifications';

export interface DeliverySettings {
  baseUrl: string;
  /** How long a subscriber may take to answer before the attempt counts as failed. */
  timeoutMs: number;
}

export interface SubscriptionConsumerOptions {
  db: Database;
  logger: Logger;
  /** Seals and opens the subscriptions' HMAC secrets. */
  secrets: SecretBox;
  subscriptions: SubscriptionService;
  baseUrl: string;
  backoff?: Backoff | undefined;
  /** Default 5 seconds. */
  deliveryTimeoutMs?: number | undefined;
}

/**
 * The durable outbox consumer that delivers subscriptions' notifications, each subscription with
 * its own cursor; made once at wiring, started and stopped with the app by the subscriptions plugin.
 */
export function subscriptionConsumer(options: SubscriptionConsumerOptions): OutboxConsumer<string> {
  const { db, secrets, subscriptions, baseUrl } = options;
  return new OutboxConsumer(db, options.logger, {
    name: 'fhir-subscriptions',
    store: subscriptionCursorStore(db),
    handle: subscriptionDelivery(db, secrets, subscriptions, { baseUrl, timeoutMs: options.deliveryTimeoutMs ?? 5_000 }),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
}

/**
 * Handles one outbox event for one subscription: an event the criteria do not match is passed
 * over; so is one about a person its owner may no longer hear about (withheld, audited, and not
 * numbered: it is never sent, so it leaves no gap). A matching one is numbered (once), then sent
 * — POSTed, signed, to a rest-hook endpoint that still passes the endpoint policy (any answer but
 * 2xx is a failure, retried later with the same number), or announced to the websocket
 * connections bound to it.
 */
export function subscriptionDelivery(db: Database, secrets: SecretBox, subscriptions: SubscriptionService, settings: DeliverySettings) {
  return async (id: string, event: OutboxEvent): Promise<EventHandling> => {
    const stored = await findSubscription(db, id);
    if (!stored || stored.status === 'off') return 'skipped';
    const match = matchEvent(parseCriteria(stored.criteria), event);
    if (!match) return 'skipped';
    if (!(await subscriptions.mayNotify(stored, match.nhsNumber, event.seq))) return 'skipped';
    const notification = await recordNotification(db, id, event, match.focus);
    if (stored.channelType === 'rest-hook' && stored.endpoint) {
      const body = JSON.stringify(notificationBundle(settings.baseUrl, stored, [notification]));
      const headers: Record<string, string> = {
        'content-type': 'application/fhir+json',
        'x-ucp-event-number': String(notification.eventNumber),
      };
      for (const line of stored.headers) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      if (stored.sealedHmacSecret) {
        const secret = secrets.open(stored.sealedHmacSecret, secretContext.subscriptionHmac(stored.id));
        headers[SIGNATURE_HEADER] = signNotification(secret, body);
      }
      const status = await subscriptions.postNotification(stored.endpoint, { headers, body, timeoutMs: settings.timeoutMs });
      if (status < 200 || status > 299) throw new Error(`the subscriber answered ${status}`);
    } else {
      await db.query('SELECT pg_notify($1, $2)', [NOTIFICATION_CHANNEL, id]);
    }
    await markDelivered(db, id, notification.eventNumber);
    return 'handled';
  };
}
