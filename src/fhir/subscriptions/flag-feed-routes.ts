import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { requireScope } from '../http/fhir-scopes.js';
import type { SubscriptionService } from './subscription-service.js';

/**
 * The incremental flag feed, for systems that can only poll: `GET /fhir/Flag/_feed?since=<n>`
 * answers the flag changes after position n, oldest first, as a history Bundle whose `next` link
 * carries the position to ask from next time. Positions are outbox sequence numbers, so a
 * poller that stores the last one it processed misses nothing and repeats nothing. A caller sees
 * the flags of the people it may hear about now (subscription-service.ts): urgent care services
 * and integrations everyone who has not withdrawn consent, others the people they care for.
 */
export const flagFeedRoutes: FastifyPluginAsyncTypebox<{ subscriptions: SubscriptionService; baseUrl: string }> = async (
  app,
  { subscriptions, baseUrl },
) => {
  app.get(
    '/Flag/_feed',
    {
      config: { policy: { kind: 'permission', permission: ['plan:read', 'population:query', 'records:administer'] } },
      schema: {
        tags: ['FHIR'],
        summary: 'Flag changes after a position, for systems that poll (history Bundle; follow the next link)',
        querystring: Type.Object({
          since: Type.Optional(
            Type.String({ pattern: '^[0-9]{1,15}$', description: 'The position the last answer’s next link gave; 0 for everything' }),
          ),
          _count: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
        }),
        response: { 200: Type.Object({ resourceType: Type.String() }, { additionalProperties: true }) },
      },
    },
    async (request) => {
      const caller = request.caller;
      requireScope(caller, 'Flag', 'search');
      if (!caller) throw new AppError('unauthenticated', 'Sign in first.');
      const since = Number(request.query.since ?? 0);
      const count = Math.min(Math.max(Number(request.query._count ?? 100), 1), 1000);
      const { changes, position } = await subscriptions.flagFeed(caller, since, count);
      return {
        resourceType: 'Bundle',
        type: 'history',
        link: [
          { relation: 'self', url: `${baseUrl}/Flag/_feed?since=${since}&_count=${count}` },
          { relation: 'next', url: `${baseUrl}/Flag/_feed?since=${position}&_count=${count}` },
        ],
        ...(changes.length > 0
          ? {
              entry: changes.map(({ flag, occurredAt }) => ({
                fullUrl: `${baseUrl}/Flag/${flag.id}`,
                resource: flag,
                request: { method: 'PUT', url: `Flag/${flag.id}` },
                response: { status: '200', lastModified: occurredAt },
              })),
            }
          : {}),
      };
    },
  );
};
