import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.js';
import type { AppServices } from '../server/app-services.js';
import { directoryResourceTypes } from './directory/directory-resource-types.js';
import { fhirPlugin } from './http/fhir-plugin.js';

export interface FhirFacadeOptions {
  db: Database;
  services: AppServices;
  publicUrl: string;
  version: string;
}

/**
 * Everything the platform serves under /fhir, put together: the resource types (the directory
 * now; a person's data through the caller's repository when that lands), subscriptions, and
 * SMART discovery. The one place `app.ts` needs to know about.
 */
export const fhirFacade: FastifyPluginAsyncTypebox<FhirFacadeOptions> = async (app, options) => {
  const baseUrl = `${options.publicUrl}/fhir`;
  await app.register(fhirPlugin, {
    baseUrl,
    softwareVersion: options.version,
    resourceTypes: [...directoryResourceTypes(options.db)],
  });
};
