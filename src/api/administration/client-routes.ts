import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { problemResponses } from '../../http/schemas.js';
import { callerOf } from './administered-change.js';
import { CLIENT_ID_PATTERN, ClientSchema, NewClientSchema, WithSecretSchema } from './administration-schemas.js';
import type { ClientAdministration, OAuthClient } from './client-administration.js';

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
