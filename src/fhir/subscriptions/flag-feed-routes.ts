import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { BundleEntry } from '@medplum/fhirtypes';
import { Type } from 'typebox';
import { decidePersonAccess } from '../../access/access-policy.js';
import { readPersonAccessFacts } from '../../access/person-access-facts.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { readEventsAfter } from '../../events/outbox.js';
import { requireScope } from '../http/fhir-scopes.js';
import { flagOfEvent } from './flag-feed.js';
import { mayFollowEveryone } from './subscription-routes.js';

/**
 * The incremental flag feed, for systems that can only poll: `GET /fhir/Flag/_feed?since=<n>`
 * answers the flag changes after position n, oldest first, as a history Bundle whose `next` link
 * carries the position to ask from next time. Positions are outbox sequence numbers, so a
 * poller that stores the last one it processed misses nothing and repeats nothing. Urgent care
 * services and integrations see every flag; any other caller those of the people it may see.
 */
export const flagFeedRoutes: FastifyPluginAsyncTypebox<{ db: Database; baseUrl: string }> = async (app, { db, baseUrl }) => {
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
      // Urgent care services and integrations follow everyone; anyone else only the people they may see (a GP system its patients).
      const everyone = mayFollowEveryone(caller);
      const decided = new Map<string, boolean>();
      const maySee = async (nhsNumber: string): Promise<boolean> => {
        if (everyone) return true;
        if (!decided.has(nhsNumber))
          decided.set(nhsNumber, decidePersonAccess(caller, 'read', await readPersonAccessFacts(db, nhsNumber)).allowed);
        return decided.get(nhsNumber) === true;
      };
      const since = Number(request.query.since ?? 0);
      const count = Math.min(Math.max(Number(request.query._count ?? 100), 1), 1000);
      let position = since;
      const entries: BundleEntry[] = [];
      // Read past events that change no flag until the page is full or the outbox is exhausted.
      for (;;) {
        const events = await readEventsAfter(db, position, 500);
        for (const event of events) {
          const flag = flagOfEvent(event);
          position = event.seq;
          if (flag && (await maySee(flag.subject.identifier?.value ?? '')))
            entries.push({
              fullUrl: `${baseUrl}/Flag/${flag.id}`,
              resource: flag,
              request: { method: 'PUT', url: `Flag/${flag.id}` },
              response: { status: '200', lastModified: event.occurredAt },
            });
          if (entries.length === count) break;
        }
        if (entries.length === count || events.length < 500) break;
      }
      await appendAuditNow(
        db,
        auditRecordFor(caller, {
          action: 'query',
          resource: { type: 'Flag', id: 'feed' },
          detail: { since, until: position, flags: entries.length },
        }),
      );
      return {
        resourceType: 'Bundle',
        type: 'history',
        link: [
          { relation: 'self', url: `${baseUrl}/Flag/_feed?since=${since}&_count=${count}` },
          { relation: 'next', url: `${baseUrl}/Flag/_feed?since=${position}&_count=${count}` },
        ],
        ...(entries.length > 0 ? { entry: entries } : {}),
      };
    },
  );
};
