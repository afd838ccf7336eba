import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Subscription } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { decidePersonAccess } from '../../access/access-policy.js';
import { URGENT_CARE_KINDS, type Caller } from '../../access/caller.js';
import { readPersonAccessFacts } from '../../access/person-access-facts.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { AppError } from '../../errors/app-error.js';
import type { RoutePolicy } from '../../http/route-policy.js';
import { requireScope } from '../http/fhir-scopes.js';
import { informationOutcome } from '../http/operation-outcome.js';
import { generateHmacSecret, MIN_SECRET_LENGTH } from './notification-signature.js';
import { parseCriteria } from './subscription-criteria.js';
import { HMAC_SECRET_EXTENSION, notificationBundle, toSubscription } from './subscription-resource.js';
import {
  endSubscription,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  notificationsAfter,
  type StoredSubscription,
} from './subscription-store.js';

export interface SubscriptionRoutesOptions {
  db: Database;
  secrets: SecretBox;
  baseUrl: string;
  /** Called when a subscription was created, so delivery starts without waiting for the next poll. */
  onCreated: () => void;
}

const POLICY: RoutePolicy = { kind: 'permission', permission: ['plan:read', 'population:query', 'records:administer'] };
const FhirResource = Type.Object({ resourceType: Type.String() }, { additionalProperties: true });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TAGS = ['FHIR'];
const RESERVED_HEADER = /^(content-type|content-length|host|x-ucp-[a-z-]*)\s*:/i;

/**
 * FHIR R4 Subscription: create (rest-hook or websocket), read, list and end one's own, and
 * `$events` — the notifications numbered after a given one, for a subscriber catching up.
 */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<SubscriptionRoutesOptions> = async (
  app,
  { db, secrets, baseUrl, onCreated },
) => {
  const config = { policy: POLICY };
  const owned = async (request: FastifyRequest, id: string): Promise<StoredSubscription> => {
    const stored = await findSubscription(db, id);
    if (!stored || stored.ownerId !== request.caller?.id) throw new AppError('not-found', `There is no Subscription ${id} of yours.`);
    return stored;
  };

  app.post(
    '/Subscription',
    {
      config,
      schema: { tags: TAGS, summary: 'Subscribe to changes of flags or care plans', body: FhirResource, response: { 201: FhirResource } },
    },
    async (request, reply) => {
      const caller = request.caller;
      requireScope(caller, 'Subscription', 'create');
      if (!caller) throw new AppError('unauthenticated', 'Sign in first.');
      const body = request.body as Subscription;
      const input = checkSubscription(body);
      const criteria = parseCriteria(input.criteria);
      await authorise(db, caller, request, criteria.nhsNumber);
      const given = body.extension?.find((extension) => extension.url === HMAC_SECRET_EXTENSION)?.valueString;
      if (given !== undefined && given.length < MIN_SECRET_LENGTH) {
        throw new AppError(
          'bad-request',
          `The HMAC secret must be at least ${MIN_SECRET_LENGTH} characters; leave it out to have one made.`,
        );
      }
      const secret = input.channelType === 'rest-hook' ? (given ?? generateHmacSecret()) : undefined;
      const stored = await insertSubscription(db, secrets, {
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
      onCreated();
      return reply
        .code(201)
        .header('location', `${baseUrl}/Subscription/${stored.id}`)
        .send(toSubscription(stored, given === undefined ? secret : undefined));
    },
  );

  app.get(
    '/Subscription',
    { config, schema: { tags: TAGS, summary: 'Your subscriptions', response: { 200: FhirResource } } },
    async (request) => {
      requireScope(request.caller, 'Subscription', 'search');
      const subscriptions = await listSubscriptions(db, request.caller?.id ?? '');
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: subscriptions.length,
        link: [{ relation: 'self', url: `${baseUrl}/Subscription` }],
        ...(subscriptions.length > 0
          ? {
              entry: subscriptions.map((stored) => ({
                fullUrl: `${baseUrl}/Subscription/${stored.id}`,
                resource: toSubscription(stored),
                search: { mode: 'match' },
              })),
            }
          : {}),
      };
    },
  );

  app.get(
    '/Subscription/:id',
    { config, schema: { tags: TAGS, summary: 'One of your subscriptions, with its status', params: Id, response: { 200: FhirResource } } },
    async (request) => {
      requireScope(request.caller, 'Subscription', 'read');
      return toSubscription(await owned(request, request.params.id));
    },
  );

  app.delete(
    '/Subscription/:id',
    { config, schema: { tags: TAGS, summary: 'End a subscription', params: Id, response: { 200: FhirResource } } },
    async (request) => {
      requireScope(request.caller, 'Subscription', 'delete');
      await owned(request, request.params.id);
      await endSubscription(db, request.params.id);
      return informationOutcome(`Subscription ${request.params.id} has ended; its notifications remain readable with $events.`);
    },
  );

  app.get(
    '/Subscription/:id/$events',
    {
      config,
      schema: {
        tags: TAGS,
        summary: 'Notifications after a given event number: how a subscriber that was away catches up',
        params: Id,
        querystring: Type.Object({
          eventsSinceNumber: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          eventsUntilNumber: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          _count: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
        }),
        response: { 200: FhirResource },
      },
    },
    async (request) => {
      requireScope(request.caller, 'Subscription', 'read');
      const stored = await owned(request, request.params.id);
      const since = Number(request.query.eventsSinceNumber ?? 0);
      const until = request.query.eventsUntilNumber === undefined ? undefined : Number(request.query.eventsUntilNumber);
      const limit = Math.min(Number(request.query._count ?? 100), 1000);
      return notificationBundle(baseUrl, stored, await notificationsAfter(db, stored.id, since, until, limit), 'query-event');
    },
  );
};

interface CheckedSubscription {
  criteria: string;
  reason: string;
  channelType: 'rest-hook' | 'websocket';
  endpoint: string | undefined;
  headers: string[];
  end: string | undefined;
}

function checkSubscription(body: Subscription): CheckedSubscription {
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
  if (reserved !== undefined)
    throw new AppError(
      'bad-request',
      `Subscription.channel.header ${JSON.stringify(reserved)} is not "Name: value", or names a header the server sets.`,
    );
  return {
    criteria: body.criteria,
    reason: body.reason.trim(),
    channelType: type,
    endpoint: type === 'rest-hook' ? checkEndpoint(body.channel?.endpoint) : undefined,
    headers,
    end: body.end,
  };
}

/** HTTPS, or plain HTTP to this machine (a local integration engine, the tests). */
function checkEndpoint(endpoint: string | undefined): string {
  const url = endpoint && URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  const loopback = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new AppError('bad-request', 'Subscription.channel.endpoint must be an https URL (http only to this machine).');
  }
  return url.toString();
}

/**
 * A subscription to one person needs the right to read their plan (decided and audited as any
 * read); one to everyone needs population rights or standing emergency access.
 */
async function authorise(db: Database, caller: Caller, request: FastifyRequest, nhsNumber: string | undefined): Promise<void> {
  if (nhsNumber === undefined) {
    if (!mayFollowEveryone(caller)) {
      throw new AppError(
        'forbidden',
        'A subscription to everyone’s plans is for urgent care services and integrations; name one person in the criteria (patient:identifier).',
      );
    }
    return;
  }
  const decision = decidePersonAccess(caller, 'read', await readPersonAccessFacts(db, nhsNumber));
  await appendAuditNow(
    db,
    auditRecordFor(caller, {
      action: decision.allowed ? 'create' : 'access-denied',
      outcome: decision.allowed ? 'success' : 'denied',
      nhsNumber,
      resource: { type: 'Subscription', id: `${request.method} ${request.url}` },
      detail: { explanation: decision.explanation },
    }),
  );
  if (!decision.allowed) throw new AppError('forbidden', `Access refused: ${decision.explanation}.`);
}

/** Population rights, or standing emergency access to read any plan (ambulance, 111, out of hours). */
export function mayFollowEveryone(caller: Caller): boolean {
  const population = caller.permissions.has('population:query') || caller.permissions.has('records:administer');
  const emergency =
    caller.permissions.has('plan:read') && caller.organisation !== undefined && URGENT_CARE_KINDS.has(caller.organisation.kind);
  return population || emergency;
}
