import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OpenEhrServices } from '../service/openehr-services.js';
import { compositionFormats } from './composition-formats.js';
import { compositionRoutes } from './composition-routes.js';
import { contributionRoutes } from './contribution-routes.js';
import { definitionRoutes } from './definition-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { ehrRoutes } from './ehr-routes.js';
import { openEhrErrorHandler, openEhrNotFoundHandler } from './openehr-error-handler.js';
import { queryRoutes } from './query-routes.js';
import { OpenEhrError } from './rest-schemas.js';

export interface OpenEhrRestOptions {
  services: OpenEhrServices;
  /** Absolute URL of this API's root, for Location headers. */
  baseUrl: string;
  /** The app's clock (AppServices.clock). */
  clock: () => Date;
}

const JSON_MEDIA_TYPES = ['application/openehr.wt.flat.schema+json', 'application/openehr.wt.structured.schema+json'];

/**
 * The openEHR REST API (ITS-REST 1.0.3) as one encapsulated plugin: its own body parsers, its
 * own error format, its own not-found answer.
 */
export const openEhrRestPlugin: FastifyPluginAsyncTypebox<OpenEhrRestOptions> = async (app, { services, baseUrl, clock }) => {
  app.setErrorHandler(openEhrErrorHandler);
  app.setNotFoundHandler(openEhrNotFoundHandler);
  app.addSchema(OpenEhrError);

  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  await app.register(ehrRoutes, { baseUrl });
  const formats = compositionFormats(services.templates, clock);
  await app.register(compositionRoutes, { formats, baseUrl });
  await app.register(contributionRoutes, { baseUrl });
  await app.register(directoryRoutes, { baseUrl });
  await app.register(definitionRoutes, { templates: services.templates, formats, baseUrl, clock });
  await app.register(queryRoutes, { aql: services.aql, storedQueries: services.storedQueries, baseUrl, clock });
};
