import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.js';
import { secretContext, type SecretBox } from '../../secrets/secret-box.js';
import type { CursorRow, CursorStore } from '../../delivery/outbox-consumer.js';
import { isUuid } from '../../shared/uuid.js';

/** A subscription as stored (migration 0014). */
export interface StoredSubscription {
  id: string;
  ownerId: string;
  ownerKind: 'user' | 'client' | 'system';
  ownerOds: string | undefined;
  criteria: string;
  channelType: 'rest-hook' | 'websocket';
  endpoint: string | undefined;
  headers: string[];
  /** Sealed (src/secrets): opened only where a notification is signed. */
  sealedHmacSecret: string | undefined;
  reason: string;
  status: 'active' | 'error' | 'off';
  error: string | undefined;
  endTime: string | undefined;
  cursorSeq: number;
  eventsDelivered: number;
  updatedAt: string;
}

type Row = {
  id: string;
  owner_id: string;
  owner_kind: StoredSubscription['ownerKind'];
  owner_ods: string | null;
  criteria: string;
  channel_type: StoredSubscription['channelType'];
  endpoint: string | null;
  headers: string[];
  hmac_secret: string | null;
  reason: string;
  status: StoredSubscription['status'];
  error: string | null;
  end_time: Date | null;
  cursor_seq: string | number;
  events_delivered: string | number;
  updated_at: Date;
};

const COLUMNS = `id, owner_id, owner_kind, owner_ods, criteria, channel_type, endpoint, headers, hmac_secret, reason, status, error, end_time,
  cursor_seq, events_delivered, updated_at`;

function toSubscription(row: Row): StoredSubscription {
  return {
    id: row.id,
    ownerId: row.owner_id,
    ownerKind: row.owner_kind,
    ownerOds: row.owner_ods ?? undefined,
    criteria: row.criteria,
    channelType: row.channel_type,
    endpoint: row.endpoint ?? undefined,
    headers: row.headers,
    sealedHmacSecret: row.hmac_secret ?? undefined,
    reason: row.reason,
    status: row.status,
    error: row.error ?? undefined,
    endTime: row.end_time?.toISOString(),
    cursorSeq: Number(row.cursor_seq),
    eventsDelivered: Number(row.events_delivered),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewSubscription {
  owner: { id: string; kind: StoredSubscription['ownerKind']; odsCode: string | undefined };
  criteria: string;
  resourceType: string;
  nhsNumber: string | undefined;
  statuses: string[] | undefined;
  channelType: StoredSubscription['channelType'];
  endpoint: string | undefined;
  headers: string[];
  hmacSecret: string | undefined;
  reason: string;
  endTime: string | undefined;
}

/**
 * A new subscription hears what happens from now on: its cursor starts at the newest event. Its
 * HMAC secret is stored sealed, bound to the subscription's id.
 */
export async function insertSubscription(db: Queryable, secrets: SecretBox, input: NewSubscription): Promise<StoredSubscription> {
  const id = randomUUID();
  const { rows } = await db.query<Row>(
    `INSERT INTO fhir_subscription (owner_id, owner_kind, owner_ods, criteria, resource_type, nhs_number, status_filter, channel_type, endpoint,
       headers, hmac_secret, reason, status, end_time, cursor_seq, id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', $13, (SELECT coalesce(max(seq), 0) FROM event_outbox), $14)
     RETURNING ${COLUMNS}`,
    [
      input.owner.id,
      input.owner.kind,
      input.owner.odsCode ?? null,
      input.criteria,
      input.resourceType,
      input.nhsNumber ?? null,
      input.statuses ?? null,
      input.channelType,
      input.endpoint ?? null,
      input.headers,
      input.hmacSecret === undefined ? null : secrets.seal(input.hmacSecret, secretContext.subscriptionHmac(id)),
      input.reason,
      input.endTime ?? null,
      id,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('subscription insert returned no row');
  return toSubscription(row);
}

export async function findSubscription(db: Queryable, id: string): Promise<StoredSubscription | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM fhir_subscription WHERE id = $1`, [id]);
  return rows[0] && toSubscription(rows[0]);
}

export async function listSubscriptions(db: Queryable, ownerId: string): Promise<StoredSubscription[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM fhir_subscription WHERE owner_id = $1 ORDER BY created_at, id`, [ownerId]);
  return rows.map(toSubscription);
}

/** Ends a subscription (saying why, when it was not its owner's wish): nothing more is sent; its notifications stay readable by $events. */
export async function endSubscription(db: Queryable, id: string, error?: string): Promise<void> {
  await db.query(`UPDATE fhir_subscription SET status = 'off', error = $2, updated_at = now() WHERE id = $1`, [
    id,
    error?.slice(0, 1000) ?? null,
  ]);
}

export interface SubscriptionNotification {
  eventNumber: number;
  outboxSeq: number;
  occurredAt: string;
  focus: string;
}

/** Numbers a matching event for the subscription (once: the same event keeps its number). */
export async function recordNotification(
  db: Queryable,
  subscriptionId: string,
  event: { seq: number; occurredAt: string },
  focus: string,
): Promise<SubscriptionNotification> {
  await db.query(
    `INSERT INTO fhir_subscription_notification (subscription_id, event_number, outbox_seq, occurred_at, focus)
     SELECT $1, coalesce(max(event_number), 0) + 1, $2, $3, $4 FROM fhir_subscription_notification WHERE subscription_id = $1
     ON CONFLICT (subscription_id, outbox_seq) DO NOTHING`,
    [subscriptionId, event.seq, event.occurredAt, focus],
  );
  const { rows } = await db.query<{ event_number: string; outbox_seq: string; occurred_at: Date; focus: string }>(
    'SELECT event_number, outbox_seq, occurred_at, focus FROM fhir_subscription_notification WHERE subscription_id = $1 AND outbox_seq = $2',
    [subscriptionId, event.seq],
  );
  const row = rows[0];
  if (!row) throw new Error('notification not recorded');
  return {
    eventNumber: Number(row.event_number),
    outboxSeq: Number(row.outbox_seq),
    occurredAt: row.occurred_at.toISOString(),
    focus: row.focus,
  };
}

export async function markDelivered(db: Queryable, subscriptionId: string, eventNumber: number): Promise<void> {
  await db.query('UPDATE fhir_subscription_notification SET delivered_at = now() WHERE subscription_id = $1 AND event_number = $2', [
    subscriptionId,
    eventNumber,
  ]);
  await db.query(
    `UPDATE fhir_subscription SET events_delivered = greatest(events_delivered, $2), status = CASE WHEN status = 'error' THEN 'active' ELSE status END,
       error = NULL, updated_at = now() WHERE id = $1`,
    [subscriptionId, eventNumber],
  );
}

/** Notifications numbered after `since` (and up to `until`), oldest first, at most `limit`. */
export async function notificationsAfter(
  db: Queryable,
  subscriptionId: string,
  since: number,
  until: number | undefined,
  limit: number,
): Promise<SubscriptionNotification[]> {
  const { rows } = await db.query<{ event_number: string; outbox_seq: string; occurred_at: Date; focus: string }>(
    `SELECT event_number, outbox_seq, occurred_at, focus FROM fhir_subscription_notification
     WHERE subscription_id = $1 AND event_number > $2 AND ($3::bigint IS NULL OR event_number <= $3) ORDER BY event_number LIMIT $4`,
    [subscriptionId, since, until ?? null, limit],
  );
  return rows.map((row) => ({
    eventNumber: Number(row.event_number),
    outboxSeq: Number(row.outbox_seq),
    occurredAt: row.occurred_at.toISOString(),
    focus: row.focus,
  }));
}

/** The cursors of live subscriptions, for the outbox consumer; three failures in a row show as status `error`. */
export function subscriptionCursorStore(db: Database): CursorStore<string> {
  return {
    async leaseDue(owner, leaseMs, newestSeq, limit) {
      // Subscriptions past their end are switched off first, so they stop taking work.
      await db.query(`UPDATE fhir_subscription SET status = 'off', updated_at = now() WHERE status <> 'off' AND end_time < now()`);
      const { rows } = await db.query<{ id: string; cursor_seq: string; failed_attempts: number }>(
        `UPDATE fhir_subscription SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000)
         WHERE id IN (
           SELECT id FROM fhir_subscription
           WHERE status <> 'off' AND cursor_seq < $3 AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $1)
             AND (next_attempt_at IS NULL OR next_attempt_at <= now())
           ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING id, cursor_seq, failed_attempts`,
        [owner, leaseMs, newestSeq, limit],
      );
      return rows.map((row): CursorRow & { key: string } => ({
        key: row.id,
        cursorSeq: Number(row.cursor_seq),
        failedAttempts: row.failed_attempts,
      }));
    },
    async advance(key, owner, seq) {
      await db.query(
        `UPDATE fhir_subscription SET cursor_seq = $3, failed_attempts = 0, next_attempt_at = NULL
         WHERE id = $1 AND lease_owner = $2 AND cursor_seq < $3`,
        [key, owner, seq],
      );
    },
    async fail(key, owner, error, delayMs) {
      await db.query(
        `UPDATE fhir_subscription SET failed_attempts = failed_attempts + 1, error = $3,
           status = CASE WHEN failed_attempts + 1 >= 3 AND status = 'active' THEN 'error' ELSE status END,
           next_attempt_at = now() + make_interval(secs => $4::double precision / 1000), lease_owner = NULL, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND lease_owner = $2`,
        [key, owner, error.slice(0, 1000), delayMs],
      );
    },
    async release(key, owner) {
      await db.query('UPDATE fhir_subscription SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2', [
        key,
        owner,
      ]);
    },
  };
}
