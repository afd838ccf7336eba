import type { Bundle, Parameters, Subscription } from '@medplum/fhirtypes';
import type { StoredSubscription, SubscriptionNotification } from './subscription-store.js';

/** Carries the HMAC key in the answer to the create, once; it is never shown again. */
export const HMAC_SECRET_EXTENSION = 'https://urgentcareplan.nhs.uk/StructureDefinition/subscription-hmac-secret';
/** The outbox sequence number of a notification's event, for correlating with /api/events. */
export const OUTBOX_SEQ_PART = 'outbox-seq';

export function toSubscription(stored: StoredSubscription, hmacSecretOnce?: string): Subscription {
  return {
    resourceType: 'Subscription',
    id: stored.id,
    meta: { lastUpdated: stored.updatedAt },
    ...(hmacSecretOnce ? { extension: [{ url: HMAC_SECRET_EXTENSION, valueString: hmacSecretOnce }] } : {}),
    status: stored.status === 'off' ? 'off' : stored.status,
    ...(stored.endTime ? { end: stored.endTime } : {}),
    reason: stored.reason,
    criteria: stored.criteria,
    // Why it fails, or why the server ended it (the owner's access was withdrawn).
    ...(stored.error && stored.status !== 'active' ? { error: stored.error } : {}),
    channel: {
      type: stored.channelType,
      ...(stored.endpoint ? { endpoint: stored.endpoint } : {}),
      payload: 'application/fhir+json',
      ...(stored.headers.length > 0 ? { header: stored.headers } : {}),
    },
  };
}

/**
 * A notification as the subscriber receives it, shaped as the R4 Subscriptions backport's
 * id-only notification: a history Bundle whose first entry is the subscription's status
 * (Parameters) and whose other entries name what changed without its content. The subscriber
 * reads the focus through an authorised, audited read; `event-number` numbers notifications of
 * this subscription without gaps, so a repeat is recognised and a gap is seen.
 */
export function notificationBundle(
  baseUrl: string,
  stored: StoredSubscription,
  notifications: readonly SubscriptionNotification[],
  type: 'event-notification' | 'query-event' = 'event-notification',
): Bundle {
  const status: Parameters = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'subscription', valueReference: { reference: `${baseUrl}/Subscription/${stored.id}` } },
      { name: 'status', valueCode: stored.status === 'off' ? 'off' : stored.status },
      { name: 'type', valueCode: type },
      {
        name: 'events-since-subscription-start',
        valueString: String(Math.max(stored.eventsDelivered, ...notifications.map((n) => n.eventNumber))),
      },
      ...notifications.map((notification) => ({
        name: 'notification-event',
        part: [
          { name: 'event-number', valueString: String(notification.eventNumber) },
          { name: 'timestamp', valueInstant: notification.occurredAt },
          { name: 'focus', valueReference: { reference: `${baseUrl}/${notification.focus}` } },
          { name: OUTBOX_SEQ_PART, valueString: String(notification.outboxSeq) },
        ],
      })),
    ],
  };
  return {
    resourceType: 'Bundle',
    type: 'history',
    timestamp: new Date().toISOString(),
    entry: [
      {
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: status,
        request: { method: 'GET', url: `Subscription/${stored.id}/$status` },
        response: { status: '200' },
      },
      ...notifications.map((notification) => ({
        fullUrl: `${baseUrl}/${notification.focus}`,
        request: { method: 'PUT' as const, url: notification.focus },
        response: { status: '200' },
      })),
    ],
  };
}
