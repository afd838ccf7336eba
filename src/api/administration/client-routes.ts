import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { CLIENT_ROLES } from '../../auth/tokens/client-roles.js';
import { SCOPES } from '../../auth/tokens/scopes.js';
import { problemResponses } from '../../http/schemas.js';
import { callerOf } from './administered-change.js';
import { literals, ODS_CODE_PATTERN } from './administration-schemas.js';
import type { ClientAdministration, OAuthClient } from './client-administration.js';

const CLIENT_ID_PATTERN = '^[A-Za-z0-9._~-]{1,128}$';
/** `platform-admin` is the installation's to give, to clients as to people. */
const GRANTABLE_ROLES = CLIENT_ROLES.filter((role) => role !== 'platform-admin');

const ClientSchema = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  organisation: Type.Optional(Type.String({ description: 'ODS code of the organisation it acts for; none for platform-wide clients' })),
  roles: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  createdAt: Type.String({ format: 'date-time' }),
  disabledAt: Type.Optional(Type.String({ format: 'date-time' })),
  bootstrap: Type.Boolean({ description: 'defined by UCP_BOOTSTRAP_CLIENT_ID: its secret and status are changed there' }),
});

const WithSecretSchema = Type.Object({
  client: ClientSchema,
  secret: Type.String({ description: 'shown this once: only its hash is stored' }),
});

const NewClientSchema = Type.Object(
  {
    clientId: Type.Optional(Type.String({ pattern: CLIENT_ID_PATTERN, description: 'generated when left out' })),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'who or what uses it' }),
    organisation: Type.String({ pattern: ODS_CODE_PATTERN, description: 'ODS code of the organisation it acts for' }),
    roles: Type.Array(literals(GRANTABLE_ROLES), { minItems: 1, uniqueItems: true }),
    scopes: Type.Array(literals(SCOPES), { minItems: 1, uniqueItems: true, description: 'the most its tokens may carry' }),
  },
  { additionalProperties: false },
);

const ClientParams = Type.Object({ clientId: Type.String({ pattern: CLIENT_ID_PATTERN }) });

/**
 * Machine clients (OAuth 2.0 client credentials, src/auth/tokens): platform administrators
 * register them for one organisation with limited roles and scopes, rotate their secrets and
 * disable them. A secret is shown once, when made.
 */
export const clientRoutes: FastifyPluginAsyncTypebox<{ clients: ClientAdministration }> = async (app, { clients }) => {
  const tags = ['administration'];
  const policy = { kind: 'permission', permission: 'platform:admin', scope: 'admin' } as const;
  const json = (client: OAuthClient) => ({
    clientId: client.clientId,
    name: client.name,
    organisation: client.organisationOdsCode,
    roles: [...client.roles],
    scopes: [...client.allowedScopes],
    status: client.disabledAt ? ('disabled' as const) : ('active' as const),
    createdAt: client.createdAt.toISOString(),
    disabledAt: client.disabledAt?.toISOString(),
    bootstrap: clients.isBootstrap(client.clientId),
  });
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  app.get(
    '/clients',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'The machine clients, enabled first (never a secret)',
        response: { 200: Type.Array(ClientSchema), ...problemResponses },
      },
    },
    async () => (await clients.list()).map(json),
  );

  app.post(
    '/clients',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Register a machine client for one organisation with limited roles and scopes; its secret is shown once',
        body: NewClientSchema,
        response: { 201: WithSecretSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await clients.create(callerOf(request), request.body);
      noStore(reply);
      return reply.code(201).send({ client: json(created.client), secret: created.secret });
    },
  );

  app.post(
    '/clients/:clientId/secret-rotation',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Give a client a new secret, shown once; the old one stops working at once',
        params: ClientParams,
        response: { 200: WithSecretSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const rotated = await clients.rotateSecret(callerOf(request), request.params.clientId);
      noStore(reply);
      return { client: json(rotated.client), secret: rotated.secret };
    },
  );

  app.post(
    '/clients/:clientId/disable',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Disable a client: no new tokens at once; tokens already issued stop within seconds',
        params: ClientParams,
        response: { 200: ClientSchema, ...problemResponses },
      },
    },
    async (request) => {
      const client = await clients.disable(callerOf(request), request.params.clientId);
      return json(client);
    },
  );
};
