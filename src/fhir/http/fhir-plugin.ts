import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CapabilityStatementRestResource, Resource } from '@medplum/fhirtypes';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { loggableUrl } from '../../http/logging.js';
import { logRequestError } from '../../http/problem-json-handlers.js';
import { toAppError } from '../../http/to-app-error.js';
import { capabilityStatement } from '../capability-statement.js';
import { historyBundle, searchsetBundle } from '../search/bundle.js';
import { parseSearch, type QueryValues } from '../search/search-parameters.js';
import { checkFhirFormat, FHIR_JSON } from './fhir-format.js';
import type { FhirResourceType } from './fhir-resource-type.js';
import { requireScope } from './fhir-scopes.js';
import { toOperationOutcome } from './operation-outcome.js';

export interface FhirPluginOptions {
  /** Absolute URL of the FHIR base, e.g. https://ucp.example/fhir. */
  baseUrl: string;
  softwareVersion: string;
  resourceTypes: readonly FhirResourceType[];
  smart?: { authorizeUrl: string; tokenUrl: string } | undefined;
  /** Other plugins that serve under the FHIR base (subscriptions, SMART discovery), with what the statement says of them. */
  extensions?: readonly { plugin: FastifyPluginAsyncTypebox; describes?: CapabilityStatementRestResource }[];
  search?: { defaultCount: number; maxCount: number };
  /** The app's clock: the capability statement is dated when the plugin starts (default: the system clock). */
  clock?: () => Date;
}

const FhirResource = Type.Object({ resourceType: Type.String() }, { additionalProperties: true, title: 'FHIR resource' });
const ResourceId = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' }) });
const FHIR_TAGS = ['FHIR'];

/**
 * FHIR R4 at /fhir: an encapsulated plugin with its own error renderer (every error an
 * OperationOutcome, application/fhir+json), `_format` and Accept negotiation, the capability
 * statement, and read / vread / history / search routes made from each resource type's
 * definition. The policy point has authenticated the caller and decided access before a handler
 * runs; the handler checks the token's SMART scopes for the type.
 */
export const fhirPlugin: FastifyPluginAsyncTypebox<FhirPluginOptions> = async (app, options) => {
  const { baseUrl } = options;
  const search = options.search ?? { defaultCount: 20, maxCount: 100 };
  app.setErrorHandler(fhirErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendOutcome(
      request,
      reply,
      new AppError(
        'route-not-found',
        `There is no FHIR endpoint for ${request.method} ${loggableUrl(request.url)}; see ${baseUrl}/metadata.`,
      ),
    ),
  );
  app.addContentTypeParser([FHIR_JSON, 'application/json+fhir'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    const form: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(String(body))) (form[key] ??= []).push(value);
    done(null, form);
  });
  app.addHook('preHandler', async (request) => {
    const query = request.query as { _format?: unknown } | undefined;
    checkFhirFormat(typeof query?._format === 'string' ? query._format : undefined, request.headers.accept);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json')) reply.header('content-type', `${FHIR_JSON}; charset=utf-8`);
    return payload;
  });

  const statementDate = (options.clock ?? (() => new Date()))().toISOString();
  const extraResources = (options.extensions ?? []).flatMap((extension) => (extension.describes ? [extension.describes] : []));
  app.get(
    '/metadata',
    {
      config: { policy: { kind: 'public', reason: 'the capability statement tells clients how to connect; it holds no data' } },
      schema: { tags: FHIR_TAGS, summary: 'The CapabilityStatement: what this FHIR server serves', response: { 200: FhirResource } },
    },
    async () =>
      capabilityStatement(options.resourceTypes, {
        baseUrl,
        softwareVersion: options.softwareVersion,
        smart: options.smart,
        extraResources,
        date: statementDate,
      }),
  );

  for (const definition of options.resourceTypes) registerResourceType(app, definition, baseUrl, search);
  for (const extension of options.extensions ?? []) await app.register(extension.plugin);
};

function registerResourceType(
  app: FastifyInstance,
  definition: FhirResourceType,
  baseUrl: string,
  limits: { defaultCount: number; maxCount: number },
): void {
  const { type } = definition;
  const config = { policy: definition.policy };
  const read = async (request: FastifyRequest, id: string): Promise<Resource> => {
    requireScope(request.caller, type, 'read');
    const resource = await definition.read(id, request);
    if (!resource) throw new AppError('not-found', `There is no ${type} with id ${id}.`);
    return resource;
  };
  const runSearch = async (request: FastifyRequest, query: QueryValues) => {
    requireScope(request.caller, type, 'search');
    const lenient = /\bhandling\s*=\s*lenient\b/i.test(String(request.headers.prefer ?? ''));
    const parsed = parseSearch(query, definition.searchParameters, {
      ...limits,
      includes: definition.includes,
      revincludes: definition.revincludes,
      lenient,
      paging: definition.paging ?? 'offset',
    });
    return searchsetBundle(baseUrl, type, parsed, await definition.search(parsed, request), definition.paging);
  };

  app.get(
    `/${type}`,
    {
      config,
      schema: {
        tags: FHIR_TAGS,
        summary: `Search ${type}`,
        querystring: Type.Object({}, { additionalProperties: true }),
        response: { 200: FhirResource },
      },
    },
    async (request) => runSearch(request, request.query as QueryValues),
  );
  app.post(
    `/${type}/_search`,
    { config, schema: { tags: FHIR_TAGS, summary: `Search ${type} (parameters in a form body)`, response: { 200: FhirResource } } },
    async (request) => runSearch(request, { ...(request.query as QueryValues), ...formOf(request.body) }),
  );
  app.get(
    `/${type}/:id`,
    { config, schema: { tags: FHIR_TAGS, summary: `Read ${type}`, params: ResourceId, response: { 200: FhirResource } } },
    async (request, reply) => {
      const resource = await read(request, (request.params as { id: string }).id);
      if (resource.meta?.versionId) reply.header('etag', `W/"${resource.meta.versionId}"`);
      if (resource.meta?.lastUpdated) reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
      return resource;
    },
  );
  const history = definition.history?.bind(definition);
  if (!history) return;
  app.get(
    `/${type}/:id/_history`,
    { config, schema: { tags: FHIR_TAGS, summary: `History of one ${type}`, params: ResourceId, response: { 200: FhirResource } } },
    async (request) => {
      requireScope(request.caller, type, 'read');
      const { id } = request.params as { id: string };
      const versions = await history(id, request);
      if (!versions) throw new AppError('not-found', `There is no ${type} with id ${id}.`);
      return historyBundle(baseUrl, `${baseUrl}/${type}/${id}/_history`, versions);
    },
  );
  app.get(
    `/${type}/:id/_history/:vid`,
    {
      config,
      schema: {
        tags: FHIR_TAGS,
        summary: `One version of a ${type}`,
        params: Type.Object({ id: ResourceId.properties.id, vid: Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' }) }),
        response: { 200: FhirResource },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, type, 'read');
      const { id, vid } = request.params as { id: string; vid: string };
      const versions = await history(id, request);
      const version = versions?.find((candidate) => candidate.resource.meta?.versionId === vid);
      if (!version) throw new AppError('not-found', `There is no version ${vid} of ${type}/${id}.`);
      if (version.method === 'DELETE') throw new AppError('gone', `Version ${vid} of ${type}/${id} is its deletion.`);
      reply.header('etag', `W/"${vid}"`);
      return version.resource;
    },
  );
}

function formOf(body: unknown): QueryValues {
  if (typeof body !== 'object' || body === null) return {};
  return body as QueryValues;
}

export function sendOutcome(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  return reply.code(error.status).headers(error.headers).type(`${FHIR_JSON}; charset=utf-8`).send(toOperationOutcome(error, request.id));
}

export function fhirErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  logRequestError(request, appError);
  return sendOutcome(request, reply, appError);
}
