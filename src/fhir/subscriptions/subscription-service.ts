import type { Flag, Subscription } from '@medplum/fhirtypes';
import { decidePersonAccess, type PersonAccessFacts } from '../../access/access-policy.js';
import { systemCaller, URGENT_CARE_KINDS, type Caller } from '../../access/caller.js';
import { readPersonAccessFacts } from '../../access/person-access-facts.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { readEventsAfter } from '../../events/outbox.js';
import type { Repositories } from '../../repository/repository.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { checkEndpoint, type EndpointPolicy } from './endpoint-policy.js';
import { guardedFetch } from './guarded-fetch.js';
import { flagOfEvent } from './flag-feed.js';
import { generateHmacSecret, MIN_SECRET_LENGTH } from './notification-signature.js';
import { parseCriteria } from './subscription-criteria.js';
import { HMAC_SECRET_EXTENSION } from './subscription-resource.js';
import { NOTIFICATION_CHANNEL } from './subscription-delivery.js';
import {
  endSubscription,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  notificationsAfter,
  type StoredSubscription,
  type SubscriptionNotification,
} from './subscription-store.js';

/** Who a subscription's owner is now, or why they no longer are anyone (src/auth/standing-caller.ts). */
export type OwnerLookup = (owner: { kind: Caller['kind']; id: string; odsCode: string | undefined }) => Promise<Caller | { lost: string }>;

export interface SubscriptionServiceOptions {
  db: Database;
  /** Each caller's repository: where the right to subscribe to a person is decided and audited. */
  repositories: Repositories;
  secrets: SecretBox;
  endpoints: EndpointPolicy;
  owners: OwnerLookup;
}

const RESERVED_HEADER = /^(content-type|content-length|host|x-ucp-[a-z-]*)\s*:/i;

/**
 * FHIR subscriptions and the flag feed, between the routes and the stores: who may subscribe to
 * what, where notifications may go, and — each time one is about to go — whether its owner may
 * still hear about that person. The routes, the websocket channel and the delivery ask here;
 * none of them decides access or reaches the tables itself.
 */
export class SubscriptionService {
  readonly #post: ReturnType<typeof guardedFetch>;

  constructor(private readonly options: SubscriptionServiceOptions) {
    this.#post = guardedFetch(options.endpoints);
  }

  /**
   * Calls `heard` with a subscription's id each time it has a new websocket notification, told by
   * whichever server delivered it; answers how to stop listening.
   */
  onNotification(heard: (subscriptionId: string) => void): Promise<() => Promise<void>> {
    return this.options.db.listen(NOTIFICATION_CHANNEL, heard);
  }

  /** A new subscription of the caller's; `origin` names the request in the audit. The HMAC secret is returned once, if made here. */
  async create(
    caller: Caller,
    body: Subscription,
    origin: string,
  ): Promise<{ stored: StoredSubscription; secretOnce: string | undefined }> {
    const input = await this.#check(body);
    const criteria = parseCriteria(input.criteria);
    await this.#authorise(caller, criteria.nhsNumber, origin);
    const given = body.extension?.find((extension) => extension.url === HMAC_SECRET_EXTENSION)?.valueString;
    if (given !== undefined && given.length < MIN_SECRET_LENGTH) {
      throw new AppError('bad-request', `The HMAC secret must be at least ${MIN_SECRET_LENGTH} characters; leave it out to have one made.`);
    }
    const secret = input.channelType === 'rest-hook' ? (given ?? generateHmacSecret()) : undefined;
    const stored = await insertSubscription(this.options.db, this.options.secrets, {
      owner: { id: caller.id, kind: caller.kind, odsCode: caller.organisation?.odsCode },
      criteria: input.criteria,
      resourceType: criteria.resourceType,
      nhsNumber: criteria.nhsNumber,
      statuses: criteria.statuses,
      channelType: input.channelType,
      endpoint: input.endpoint,
      headers: input.headers,
      hmacSecret: secret,
      reason: input.reason,
      endTime: input.end,
    });
    return { stored, secretOnce: given === undefined ? secret : undefined };
  }

  listOwn(caller: Caller): Promise<StoredSubscription[]> {
    return listSubscriptions(this.options.db, caller.id);
  }

  /** One of the caller's subscriptions; someone else's reads as none. */
  async own(caller: Caller, id: string): Promise<StoredSubscription> {
    const stored = await findSubscription(this.options.db, id);
    if (!stored || stored.ownerId !== caller.id) throw new AppError('not-found', `There is no Subscription ${id} of yours.`);
    return stored;
  }

  async end(caller: Caller, id: string): Promise<void> {
    await this.own(caller, id);
    await endSubscription(this.options.db, id);
  }

  /** The caller's subscription with its notifications numbered after `since` (up to `until`). */
  async events(
    caller: Caller,
    id: string,
    range: { since: number; until: number | undefined; limit: number },
  ): Promise<{ stored: StoredSubscription; notifications: SubscriptionNotification[] }> {
    const stored = await this.own(caller, id);
    return { stored, notifications: await notificationsAfter(this.options.db, id, range.since, range.until, range.limit) };
  }

  /** A websocket subscription of this owner's, for binding a connection to; undefined otherwise. */
  async websocketOf(ownerId: string | undefined, id: string): Promise<StoredSubscription | undefined> {
    const stored = await findSubscription(this.options.db, id);
    return stored && stored.ownerId === ownerId && stored.channelType === 'websocket' ? stored : undefined;
  }

  notificationsAfter(id: string, position: number, limit: number): Promise<SubscriptionNotification[]> {
    return notificationsAfter(this.options.db, id, position, undefined, limit);
  }

  /**
   * Posts a notification to a rest-hook endpoint: checked again first (a name may since resolve
   * inward), then sent over a connection that can only reach the addresses the same policy allows
   * (guarded-fetch.ts), so a name that changes its answer between the two reaches nothing. A
   * redirect is an answer like any other non-2xx: the notification is not sent on.
   */
  async postNotification(endpoint: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<number> {
    const checked = await checkEndpoint(endpoint, this.options.endpoints);
    const response = await this.#post(checked, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await response.body?.cancel();
    return response.status;
  }

  /**
   * Whether a notification about this person may go to the subscription's owner, decided now as
   * a read of the person's plan would be: the owner as they are today (a client disabled or a
   * user removed hears nothing, and the subscription ends), the person's relationships and
   * consent as they stand. A notification withheld is audited, naming the subscription.
   */
  async mayNotify(stored: StoredSubscription, nhsNumber: string, outboxSeq: number): Promise<boolean> {
    const { db } = this.options;
    const owner = await this.options.owners({ kind: stored.ownerKind, id: stored.ownerId, odsCode: stored.ownerOds });
    if ('lost' in owner) {
      const explanation = `the subscriber's access was withdrawn: ${owner.lost}`;
      await appendAuditNow(db, withheld(systemCaller('fhir-subscriptions'), stored, nhsNumber, outboxSeq, explanation, stored.ownerId));
      await endSubscription(db, stored.id, explanation);
      return false;
    }
    const decision = mayHearAbout(owner, await readPersonAccessFacts(db, nhsNumber));
    if (decision.allowed) return true;
    await appendAuditNow(db, withheld(owner, stored, nhsNumber, outboxSeq, decision.explanation));
    return false;
  }

  /**
   * Flag changes after `since` that the caller may hear about, oldest first, at most `count`,
   * and the position to ask from next; audited as one query.
   */
  async flagFeed(
    caller: Caller,
    since: number,
    count: number,
  ): Promise<{ changes: { flag: Flag; occurredAt: string }[]; position: number }> {
    const { db } = this.options;
    const decided = new Map<string, boolean>();
    const maySee = async (nhsNumber: string): Promise<boolean> => {
      if (!decided.has(nhsNumber)) decided.set(nhsNumber, mayHearAbout(caller, await readPersonAccessFacts(db, nhsNumber)).allowed);
      return decided.get(nhsNumber) === true;
    };
    let position = since;
    const changes: { flag: Flag; occurredAt: string }[] = [];
    // Read past events that change no flag until the page is full or the outbox is exhausted.
    for (;;) {
      const events = await readEventsAfter(db, position, 500);
      for (const event of events) {
        const flag = flagOfEvent(event);
        position = event.seq;
        if (flag && (await maySee(flag.subject.identifier?.value ?? ''))) changes.push({ flag, occurredAt: event.occurredAt });
        if (changes.length === count) break;
      }
      if (changes.length === count || events.length < 500) break;
    }
    await appendAuditNow(
      db,
      auditRecordFor(caller, {
        action: 'query',
        resource: { type: 'Flag', id: 'feed' },
        detail: { since, until: position, flags: changes.length },
      }),
    );
    return { changes, position };
  }

  async #check(body: Subscription): Promise<CheckedSubscription> {
    if (body.resourceType !== 'Subscription') throw new AppError('bad-request', 'The body must be a Subscription resource.');
    const type = body.channel?.type;
    if (type !== 'rest-hook' && type !== 'websocket')
      throw new AppError('bad-request', 'Subscription.channel.type must be rest-hook or websocket.');
    if (!body.criteria) throw new AppError('bad-request', 'Subscription.criteria is required, e.g. Flag?status=active.');
    if (!body.reason?.trim()) throw new AppError('bad-request', 'Subscription.reason is required: say what the notifications are for.');
    if (body.channel?.payload !== undefined && body.channel.payload !== 'application/fhir+json') {
      throw new AppError(
        'bad-request',
        'Subscription.channel.payload must be application/fhir+json (notifications name what changed; read it to see it).',
      );
    }
    const headers = body.channel?.header ?? [];
    const reserved = headers.find((header) => RESERVED_HEADER.test(header) || !header.includes(':'));
    if (reserved !== undefined) {
      throw new AppError(
        'bad-request',
        `Subscription.channel.header ${JSON.stringify(reserved)} is not "Name: value", or names a header the server sets.`,
      );
    }
    return {
      criteria: body.criteria,
      reason: body.reason.trim(),
      channelType: type,
      endpoint: type === 'rest-hook' ? await checkEndpoint(body.channel?.endpoint, this.options.endpoints) : undefined,
      headers,
      end: body.end,
    };
  }

  /**
   * A subscription to one person needs the right to read their plan (decided and audited as any
   * read); one to everyone needs population rights or standing emergency access.
   */
  async #authorise(caller: Caller, nhsNumber: string | undefined, origin: string): Promise<void> {
    if (nhsNumber === undefined) {
      if (!mayFollowEveryone(caller)) {
        throw new AppError(
          'forbidden',
          'A subscription to everyone’s plans is for urgent care services and integrations; name one person in the criteria (patient:identifier).',
        );
      }
      return;
    }
    // Decided and audited by the caller's repository, as any access to the person is.
    const repository = this.options.repositories.forCaller(caller, { origin });
    const person = await repository.decide({ nhsNumber }, 'read');
    await repository.auditDecision(person, { type: 'Subscription', id: origin }, {}, 'create');
    if (!person.decision.allowed) throw new AppError('forbidden', `Access refused: ${person.decision.explanation}.`);
  }
}

interface CheckedSubscription {
  criteria: string;
  reason: string;
  channelType: 'rest-hook' | 'websocket';
  endpoint: string | undefined;
  headers: string[];
  end: string | undefined;
}

/** Population rights, or standing emergency access to read any plan (ambulance, 111, out of hours). */
export function mayFollowEveryone(caller: Caller): boolean {
  const population = caller.permissions.has('population:query') || caller.permissions.has('records:administer');
  const emergency =
    caller.permissions.has('plan:read') && caller.organisation !== undefined && URGENT_CARE_KINDS.has(caller.organisation.kind);
  return population || emergency;
}

/**
 * Whether a caller may hear that this person's plan changed: when they may read it now, or —
 * holding population rights — when the person has not withdrawn consent to share beyond their
 * care team.
 */
function mayHearAbout(caller: Caller, facts: PersonAccessFacts): { allowed: true } | { allowed: false; explanation: string } {
  const decision = decidePersonAccess(caller, 'read', facts);
  if (decision.allowed) return { allowed: true };
  const population = caller.permissions.has('population:query') || caller.permissions.has('records:administer');
  if (population && facts.consentToShare) return { allowed: true };
  return { allowed: false, explanation: decision.explanation };
}

function withheld(actor: Caller, stored: StoredSubscription, nhsNumber: string, outboxSeq: number, explanation: string, owner?: string) {
  return auditRecordFor(actor, {
    action: 'access-denied',
    outcome: 'denied',
    nhsNumber,
    resource: { type: 'Subscription', id: stored.id },
    detail: { explanation, withheld: 'notification', outboxSeq, ...(owner === undefined ? {} : { owner }) },
  });
}
