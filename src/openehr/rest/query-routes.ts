import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { callerOf } from '../../http/request-caller.js';
import { isJsonObject } from '../../shared/json.js';
import type { AqlService } from '../service/aql-service.js';
import type { StoredQueryService } from '../service/stored-query-service.js';
import { openEhrErrorResponses } from './rest-schemas.js';
import { DEFINITION_READ } from './route-policies.js';

export interface QueryRoutesOptions {
  aql: AqlService;
  storedQueries: StoredQueryService;
  baseUrl: string;
  /** The app's clock: a result set's creation time. */
  clock: () => Date;
}

/** Request header asking for the generated SQL, its parameters and PostgreSQL's plan (platform admins only). */
export const AQL_DEBUG_HEADER = 'openehr-aql-debug';

const GENERATOR = 'UCP/0.1.0';

/** Any caller authenticated for the openEHR API; whose records the query sees is decided per caller (query-scope.ts). */
const QUERY_POLICY = { kind: 'authenticated', scope: 'openehr:read' } as const;
/** Storing a query definition is administration, like uploading a template. */
const STORE_POLICY = { kind: 'permission', permission: 'platform:admin', scope: 'admin' } as const;

const QueryParameters = Type.Record(Type.String(), Type.Unknown(), {
  description: "values of the query's $parameters, by name (without $)",
});

const ResultSet = Type.Object(
  {
    meta: Type.Object(
      {
        _href: Type.String(),
        _type: Type.Literal('RESULTSET'),
        _schema_version: Type.String(),
        _created: Type.String(),
        _generator: Type.String(),
        _executed_aql: Type.String(),
        fetch: Type.Integer(),
        offset: Type.Integer(),
        resultsize: Type.Integer(),
        _debug: Type.Optional(
          Type.Object(
            { sql: Type.String(), params: Type.Array(Type.Unknown()), explain: Type.Optional(Type.Unknown()) },
            { description: 'only with the openEHR-AQL-Debug header, for platform admins' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    name: Type.Optional(Type.String({ description: 'the stored query executed, as name/version' })),
    q: Type.String(),
    columns: Type.Array(Type.Object({ name: Type.String(), path: Type.Optional(Type.String()) })),
    rows: Type.Array(Type.Array(Type.Unknown())),
  },
  { description: 'openEHR RESULTSET' },
);

const Window = {
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'rows to skip' })),
  fetch: Type.Optional(Type.Integer({ minimum: 1, description: 'rows to return (default and maximum are configured)' })),
};

const AqlQueryString = Type.Object(
  {
    q: Type.String({ minLength: 1, description: 'the AQL text' }),
    ...Window,
    query_parameters: Type.Optional(Type.String({ description: 'parameters as a JSON object, or as name=value pairs joined by &' })),
    ehr_id: Type.Optional(Type.String({ description: 'the EHR of a single-EHR query; also available as $ehr_id' })),
  },
  { additionalProperties: true, description: 'any other query-string parameter is a query parameter (name=value)' },
);

const StoredQueryString = Type.Object(
  { ...Window, query_parameters: Type.Optional(Type.String()), ehr_id: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

const AqlBody = Type.Object({
  q: Type.String({ minLength: 1 }),
  query_parameters: Type.Optional(QueryParameters),
  ...Window,
});

const StoredExecuteBody = Type.Object({ query_parameters: Type.Optional(QueryParameters), ...Window });

const StoredQueryView = Type.Object({
  name: Type.String(),
  type: Type.Literal('AQL'),
  version: Type.String(),
  saved: Type.String(),
  q: Type.String(),
});

const NameParam = Type.String({ description: 'qualified query name, namespace::name', minLength: 3 });
const VersionParam = Type.String({
  pattern: '^\\d+(\\.\\d+){0,2}$',
  description: 'a version (1.2.3) or a prefix (1, 1.2): the newest matching',
});

const RESERVED = new Set(['q', 'offset', 'fetch', 'query_parameters']);

/**
 * Query parameters of a GET: `query_parameters` as a JSON object or as `a=1&b=2`, and every other
 * query-string parameter (ITS-REST lists them as repeated name=value pairs), `ehr_id` included.
 */
export function parametersFromQueryString(query: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (RESERVED.has(name)) continue;
    parameters[name] = Array.isArray(value) ? value.at(-1) : value;
  }
  const packed = query['query_parameters'];
  if (typeof packed === 'string' && packed.trim() !== '') {
    if (packed.trim().startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(packed);
      } catch {
        throw new AppError('bad-request', 'query_parameters is not a JSON object (send it URL-encoded, e.g. {"ehr_id":"…"}).');
      }
      if (!isJsonObject(parsed)) throw new AppError('bad-request', 'query_parameters must be a JSON object.');
      Object.assign(parameters, parsed);
    } else {
      for (const [name, value] of new URLSearchParams(packed)) parameters[name] = value;
    }
  }
  return parameters;
}

function wantsDebug(request: FastifyRequest): boolean {
  const value = request.headers[AQL_DEBUG_HEADER];
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}

interface QueryInput {
  q: string;
  stored?: { name: string; version: string };
  parameters: Record<string, unknown>;
  offset: number | undefined;
  fetch: number | undefined;
}

/** Runs an ad-hoc or stored query for the caller, within their scope, as an openEHR RESULTSET. */
async function executeQuery(
  context: Pick<QueryRoutesOptions, 'aql' | 'baseUrl' | 'clock'>,
  request: FastifyRequest,
  reply: FastifyReply,
  input: QueryInput,
): Promise<Static<typeof ResultSet>> {
  const { caller } = request.repository;
  const scope = await request.repository.queryScope();
  // Only a platform admin may see the SQL and the plan: they reveal the schema and the scope's own condition.
  const debug = wantsDebug(request) && caller.permissions.has('platform:admin');
  const answer = await context.aql.run({
    caller,
    q: input.q,
    ...(input.stored ? { stored: input.stored } : {}),
    parameters: input.parameters,
    offset: input.offset,
    fetch: input.fetch,
    scope,
    debug,
  });
  const { result } = answer;
  reply.header('cache-control', 'no-store');
  return {
    meta: {
      _href: `${context.baseUrl}${request.url.replace(/^\/openehr\/v1/, '')}`,
      _type: 'RESULTSET',
      _schema_version: '1.0.0',
      _created: context.clock().toISOString(),
      _generator: GENERATOR,
      _executed_aql: input.q,
      fetch: answer.fetch,
      offset: answer.offset,
      resultsize: result.rows.length,
      ...(debug
        ? { _debug: { sql: result.sql, params: result.params, ...(result.explain !== undefined ? { explain: result.explain } : {}) } }
        : {}),
    },
    ...(input.stored ? { name: `${input.stored.name}/${input.stored.version}` } : {}),
    q: input.q,
    columns: result.columns,
    rows: result.rows,
  };
}

/** Query API (ITS-REST 1.0.3): ad-hoc and stored AQL, and the definitions of stored queries. */
export const queryRoutes: FastifyPluginAsyncTypebox<QueryRoutesOptions> = async (app, { aql, storedQueries, baseUrl, clock }) => {
  const tags = ['openEHR QUERY'];

  const execute = (request: FastifyRequest, reply: FastifyReply, input: QueryInput) =>
    executeQuery({ aql, baseUrl, clock }, request, reply, input);

  const headers = Type.Object({
    [AQL_DEBUG_HEADER]: Type.Optional(
      Type.String({ description: 'true: include the SQL, its parameters and the plan (platform admins only)' }),
    ),
  });

  app.get(
    '/query/aql',
    {
      config: { policy: QUERY_POLICY },
      schema: {
        tags,
        summary: 'Execute ad-hoc AQL',
        querystring: AqlQueryString,
        headers,
        response: { 200: ResultSet, ...openEhrErrorResponses },
      },
    },
    async (request, reply) =>
      execute(request, reply, {
        q: request.query.q,
        parameters: parametersFromQueryString(request.query),
        offset: request.query.offset,
        fetch: request.query.fetch,
      }),
  );

  app.post(
    '/query/aql',
    {
      config: { policy: QUERY_POLICY },
      schema: { tags, summary: 'Execute ad-hoc AQL', body: AqlBody, headers, response: { 200: ResultSet, ...openEhrErrorResponses } },
    },
    async (request, reply) =>
      execute(request, reply, {
        q: request.body.q,
        parameters: request.body.query_parameters ?? {},
        offset: request.body.offset,
        fetch: request.body.fetch,
      }),
  );

  const runStored = async (
    request: FastifyRequest,
    reply: FastifyReply,
    params: { qualified_query_name: string; version?: string },
    input: { parameters: Record<string, unknown>; offset: number | undefined; fetch: number | undefined },
  ) => {
    const stored = await storedQueries.find(params.qualified_query_name, params.version);
    return execute(request, reply, { q: stored.q, stored: { name: stored.name, version: stored.version }, ...input });
  };

  for (const path of ['/query/:qualified_query_name', '/query/:qualified_query_name/:version']) {
    const params = path.endsWith(':version')
      ? Type.Object({ qualified_query_name: NameParam, version: VersionParam })
      : Type.Object({ qualified_query_name: NameParam });
    app.get(
      path,
      {
        config: { policy: QUERY_POLICY },
        schema: {
          tags,
          summary: 'Execute a stored query',
          params,
          querystring: StoredQueryString,
          headers,
          response: { 200: ResultSet, ...openEhrErrorResponses },
        },
      },
      async (request, reply) => {
        const query = request.query as Static<typeof StoredQueryString>;
        return runStored(request, reply, request.params as { qualified_query_name: string; version?: string }, {
          parameters: parametersFromQueryString(query),
          offset: query.offset,
          fetch: query.fetch,
        });
      },
    );
    app.post(
      path,
      {
        config: { policy: QUERY_POLICY },
        schema: {
          tags,
          summary: 'Execute a stored query',
          params,
          body: StoredExecuteBody,
          headers,
          response: { 200: ResultSet, ...openEhrErrorResponses },
        },
      },
      async (request, reply) => {
        const body = (request.body ?? {}) as Static<typeof StoredExecuteBody>;
        return runStored(request, reply, request.params as { qualified_query_name: string; version?: string }, {
          parameters: body.query_parameters ?? {},
          offset: body.offset,
          fetch: body.fetch,
        });
      },
    );
  }

  const view = (stored: { name: string; version: string; q: string; savedAt: string }): Static<typeof StoredQueryView> => ({
    name: stored.name,
    type: 'AQL',
    version: stored.version,
    saved: stored.savedAt,
    q: stored.q,
  });

  app.put(
    '/definition/query/:qualified_query_name/:version',
    {
      config: { policy: STORE_POLICY },
      schema: {
        tags,
        summary: 'Store a query (AQL as text/plain, or JSON {"q": …}) under a name and semantic version',
        params: Type.Object({
          qualified_query_name: NameParam,
          version: Type.String({ description: 'semantic version, major.minor.patch' }),
        }),
        querystring: Type.Object({ query_type: Type.Optional(Type.Literal('AQL')) }),
        response: { 200: StoredQueryView, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const q =
        typeof body === 'string'
          ? body
          : body !== null && typeof body === 'object' && typeof (body as { q?: unknown }).q === 'string'
            ? (body as { q: string }).q
            : undefined;
      if (q === undefined) throw new AppError('bad-request', 'Send the AQL text as the body (text/plain), or JSON {"q": "…"}.');
      const caller = callerOf(request);
      const stored = await storedQueries.store(request.params.qualified_query_name, request.params.version, q, caller);
      reply.header('Location', `${baseUrl}/definition/query/${encodeURIComponent(stored.name)}/${stored.version}`);
      return view(stored);
    },
  );

  app.get(
    '/definition/query/:qualified_query_name',
    {
      config: { policy: DEFINITION_READ },
      schema: {
        tags,
        summary: 'List the versions of a stored query (or of every query in a namespace)',
        params: Type.Object({ qualified_query_name: Type.String({ minLength: 1 }) }),
        response: { 200: Type.Object({ versions: Type.Array(StoredQueryView) }), ...openEhrErrorResponses },
      },
    },
    async (request) => ({ versions: (await storedQueries.list(request.params.qualified_query_name)).map(view) }),
  );

  app.get(
    '/definition/query/:qualified_query_name/:version',
    {
      config: { policy: DEFINITION_READ },
      schema: {
        tags,
        summary: 'One stored query: the newest version matching (1, 1.2 or 1.2.3)',
        params: Type.Object({ qualified_query_name: NameParam, version: VersionParam }),
        response: { 200: StoredQueryView, ...openEhrErrorResponses },
      },
    },
    async (request) => view(await storedQueries.find(request.params.qualified_query_name, request.params.version)),
  );
};
