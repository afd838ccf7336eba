import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Subscription } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Caller } from '../../access/caller.js';
import { AppError } from '../../errors/app-error.js';
import type { RoutePolicy } from '../../http/route-policy.js';
import { requireScope, type FhirInteraction } from '../http/fhir-scopes.js';
import { informationOutcome } from '../http/operation-outcome.js';
import { notificationBundle, toSubscription } from './subscription-resource.js';
import type { SubscriptionService } from './subscription-service.js';

export interface SubscriptionRoutesOptions {
  subscriptions: SubscriptionService;
  baseUrl: string;
  /** Called when a subscription was created, so delivery starts without waiting for the next poll. */
  onCreated: () => void;
}

const POLICY: RoutePolicy = { kind: 'permission', permission: ['plan:read', 'population:query', 'records:administer'] };
const FhirResource = Type.Object({ resourceType: Type.String() }, { additionalProperties: true });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TAGS = ['FHIR'];

/**
 * FHIR R4 Subscription: create (rest-hook or websocket), read, list and end one's own, and
 * `$events` — the notifications numbered after a given one, for a subscriber catching up.
 */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<SubscriptionRoutesOptions> = async (
  app,
  { subscriptions, baseUrl, onCreated },
) => {
  const config = { policy: POLICY };

  app.post(
    '/Subscription',
    {
      config,
      schema: { tags: TAGS, summary: 'Subscribe to changes of flags or care plans', body: FhirResource, response: { 201: FhirResource } },
    },
    async (request, reply) => {
      const caller = callerMay(request, 'create');
      const { stored, secretOnce } = await subscriptions.create(caller, request.body as Subscription, `${request.method} ${request.url}`);
      onCreated();
      return reply.code(201).header('location', `${baseUrl}/Subscription/${stored.id}`).send(toSubscription(stored, secretOnce));
    },
  );

  app.get(
    '/Subscription',
    { config, schema: { tags: TAGS, summary: 'Your subscriptions', response: { 200: FhirResource } } },
    async (request) => {
      const own = await subscriptions.listOwn(callerMay(request, 'search'));
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: own.length,
        link: [{ relation: 'self', url: `${baseUrl}/Subscription` }],
        ...(own.length > 0
          ? {
              entry: own.map((stored) => ({
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
      return toSubscription(await subscriptions.own(callerMay(request, 'read'), request.params.id));
    },
  );

  app.delete(
    '/Subscription/:id',
    { config, schema: { tags: TAGS, summary: 'End a subscription', params: Id, response: { 200: FhirResource } } },
    async (request) => {
      await subscriptions.end(callerMay(request, 'delete'), request.params.id);
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
      const { stored, notifications } = await subscriptions.events(callerMay(request, 'read'), request.params.id, {
        since: Number(request.query.eventsSinceNumber ?? 0),
        until: request.query.eventsUntilNumber === undefined ? undefined : Number(request.query.eventsUntilNumber),
        limit: Math.min(Number(request.query._count ?? 100), 1000),
      });
      return notificationBundle(baseUrl, stored, notifications, 'query-event');
    },
  );
};

/** The caller, when their token's scopes allow this interaction with subscriptions. */
function callerMay(request: FastifyRequest, interaction: FhirInteraction): Caller {
  requireScope(request.caller, 'Subscription', interaction);
  if (!request.caller) throw new AppError('unauthenticated', 'Sign in first.');
  return request.caller;
}
