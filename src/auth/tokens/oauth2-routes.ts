import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemJsonErrorHandler } from '../../http/problem-json-handlers.js';
import { literals } from '../../http/schemas.js';
import { toAppError } from '../../http/to-app-error.js';
import type { ClientCredentialsGrant } from './client-credentials-grant.js';
import { OAUTH2_ERROR_CODES, OAuth2Error } from './oauth2-error.js';
import { SCOPES } from './scopes.js';
import type { PublicSigningJwk } from './signing-keys.js';
import { FORM_MEDIA_TYPE, clientCredentialsOf, parseTokenRequestForm } from './token-request.js';

export interface OAuth2RoutesOptions {
  /** Authenticates the client and issues its token. */
  grant: ClientCredentialsGrant;
  /** The published keys. */
  keys: { jwks(): Promise<{ keys: PublicSigningJwk[] }> };
}

export const TOKEN_PATH = '/oauth2/token';
export const JWKS_PATH = '/oauth2/jwks';

const OAuth2ErrorSchema = Type.Object(
  {
    error: literals(OAUTH2_ERROR_CODES),
    error_description: Type.String({ description: 'What was wrong, for the developer of the client' }),
  },
  { title: 'OAuth 2.0 error (RFC 6749 §5.2)' },
);

const TokenRequestSchema = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ description: 'Must be client_credentials' })),
    scope: Type.Optional(
      Type.String({ description: `Space-separated scopes to narrow the token to; default all the client may have (${SCOPES.join(', ')})` }),
    ),
    client_id: Type.Optional(Type.String({ description: 'client_secret_post only; otherwise in HTTP Basic' })),
    client_secret: Type.Optional(Type.String({ description: 'client_secret_post only; otherwise in HTTP Basic' })),
  },
  { additionalProperties: true },
);

const TokenResponseSchema = Type.Object({
  access_token: Type.String({ description: 'A signed JWT (ES256); send it as Authorization: Bearer' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
  scope: Type.String({ description: 'The scopes granted, space-separated' }),
});

const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.Literal('EC'),
      crv: Type.Literal('P-256'),
      x: Type.String(),
      y: Type.String(),
      kid: Type.String(),
      alg: Type.Literal('ES256'),
      use: Type.Literal('sig'),
    }),
  ),
});

/**
 * OAuth 2.0 for machine clients: the client credentials grant at `POST /oauth2/token`
 * (RFC 6749 §4.4) and the public keys that verify its tokens at `GET /oauth2/jwks`. Errors of the
 * token endpoint are in the OAuth format; anything else keeps the platform's problem+json.
 */
export const oauth2Routes: FastifyPluginAsyncTypebox<OAuth2RoutesOptions> = async (app, { grant, keys }) => {
  app.setErrorHandler(oauth2ErrorHandler);
  app.addContentTypeParser(FORM_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseTokenRequestForm(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });

  app.post(
    TOKEN_PATH,
    {
      schema: {
        tags: ['authentication'],
        summary: 'Obtain an access token (OAuth 2.0 client credentials)',
        description:
          'Authenticate the client with HTTP Basic (client_secret_basic) or with client_id and client_secret in ' +
          'the body (client_secret_post), not both. Errors are OAuth 2.0 error responses (RFC 6749 §5.2).',
        consumes: [FORM_MEDIA_TYPE],
        headers: Type.Object({
          authorization: Type.Optional(Type.String({ description: 'Basic base64(client_id:client_secret)' })),
        }),
        body: TokenRequestSchema,
        response: { 200: TokenResponseSchema, 400: OAuth2ErrorSchema, 401: OAuth2ErrorSchema, '5xx': Type.Ref('Problem') },
      },
      preValidation: async (request) => {
        if (!isForm(request)) {
          throw new OAuth2Error('invalid_request', `Send the token request as ${FORM_MEDIA_TYPE}.`);
        }
      },
    },
    async (request, reply) => {
      const parameters = request.body as Record<string, string | undefined>;
      const credentials = clientCredentialsOf(request.headers.authorization, parameters);
      const { clientId, issued } = await grant.issue(credentials, { grantType: parameters['grant_type'], scope: parameters['scope'] });
      request.log.info({ clientId, jti: issued.jti, method: credentials.method }, 'access token issued');
      return reply
        .headers(NO_STORE)
        .send({ access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn, scope: issued.scope });
    },
  );

  app.get(
    JWKS_PATH,
    {
      schema: {
        tags: ['authentication'],
        summary: 'The public keys that verify access tokens (JWKS, RFC 7517)',
        response: { 200: JwksSchema, '4xx': Type.Ref('Problem'), '5xx': Type.Ref('Problem') },
      },
    },
    async (_request, reply) => {
      // Verifiers elsewhere may cache it a while: a new key is published before it signs anything.
      return reply.header('cache-control', 'public, max-age=300').send(await keys.jwks());
    },
  );
};

/** RFC 6749 §5.1: token responses, and the refusals alongside them, must not be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

function isForm(request: FastifyRequest): boolean {
  const type = request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  return type === FORM_MEDIA_TYPE;
}

/**
 * The token endpoint answers every client mistake as an OAuth error (a body that does not parse is
 * an `invalid_request`); server faults, and everything on the JWKS route, stay problem+json.
 */
function oauth2ErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof OAuth2Error) return sendOAuth2Error(request, reply, error);
  const appError = toAppError(error);
  if (request.routeOptions.url === TOKEN_PATH && appError.status < 500) {
    return sendOAuth2Error(request, reply, new OAuth2Error('invalid_request', appError.detail));
  }
  return problemJsonErrorHandler(error, request, reply);
}

function sendOAuth2Error(request: FastifyRequest, reply: FastifyReply, error: OAuth2Error) {
  request.log.info({ oauthError: error.error, status: error.status }, 'token request refused');
  if (error.status === 401) reply.header('www-authenticate', 'Basic realm="oauth2", charset="UTF-8"');
  return reply
    .code(error.status)
    .headers(NO_STORE)
    .type('application/json')
    .send({ error: error.error, error_description: error.description });
}
