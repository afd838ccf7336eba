import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { Backoff } from '../delivery/outbox-consumer.js';
import type { AppServices } from '../server/app-services.js';
import { auditEventType } from './audit/audit-event-type.js';
import { directoryResourceTypes } from './directory/directory-resource-types.js';
import { fhirPlugin } from './http/fhir-plugin.js';
import { personRecordsFrom } from './person/person-records.js';
import { personResourceTypes } from './person/person-resource-types.js';
import type { EndpointPolicy } from './subscriptions/endpoint-policy.js';
import { subscriptionConsumer } from './subscriptions/subscription-delivery.js';
import { SubscriptionService, type OwnerLookup } from './subscriptions/subscription-service.js';
import { subscriptionsPlugin } from './subscriptions/subscriptions-plugin.js';

export interface FhirFacadeOptions {
  db: Database;
  logger: Logger;
  services: AppServices;
  publicUrl: string;
  version: string;
  /** This installation's system id: the observer named in every AuditEvent. */
  systemId: string;
  /** Where rest-hook notifications may go: https on public addresses, and the hosts the operator allowed. */
  subscriptionEndpoints: EndpointPolicy;
  /** Who a subscription's owner is now (src/auth/standing-caller.ts), decided again before each notification. */
  subscriptionOwners: OwnerLookup;
  /** Retry timing of subscription deliveries (tests shorten it). */
  subscriptionBackoff?: Backoff;
}

/**
 * Everything the platform serves under /fhir, put together: the resource types (the directory,
 * and a person's data read through the policy point), subscriptions, and SMART discovery. The one
 * place `app.ts` needs to know about.
 */
export const fhirFacade: FastifyPluginAsyncTypebox<FhirFacadeOptions> = async (app, options) => {
  const baseUrl = `${options.publicUrl}/fhir`;
  const { carePlans, demographics, secrets } = options.services;
  const { db, logger } = options;
  const subscriptions = new SubscriptionService({
    db,
    repositories: options.services.repositories,
    secrets,
    endpoints: options.subscriptionEndpoints,
    owners: options.subscriptionOwners,
  });
  const consumer = subscriptionConsumer({ db, logger, secrets, subscriptions, baseUrl, backoff: options.subscriptionBackoff });
  const personTypes = personResourceTypes({
    records: personRecordsFrom(options.db, carePlans, demographics),
    publicUrl: options.publicUrl,
    pathwayTitle: (id) => carePlans.catalogue.pathway(id)?.title,
  });
  await app.register(fhirPlugin, {
    baseUrl,
    softwareVersion: options.version,
    clock: options.services.clock,
    resourceTypes: [...personTypes, ...directoryResourceTypes(options.db), auditEventType({ systemId: options.systemId })],
    extensions: [
      {
        plugin: async (scope) => {
          await scope.register(subscriptionsPlugin, { subscriptions, consumer, baseUrl });
        },
        describes: {
          type: 'Subscription',
          documentation:
            'Changes of Flag and CarePlan: rest-hook (HMAC-signed, x-ucp-signature) or websocket (/fhir/websocket); notifications are numbered; $events catches up.',
          interaction: [{ code: 'create' }, { code: 'read' }, { code: 'delete' }, { code: 'search-type' }],
          versioning: 'no-version',
          readHistory: false,
          operation: [
            {
              name: 'events',
              definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events',
            },
          ],
        },
      },
    ],
  });
};
