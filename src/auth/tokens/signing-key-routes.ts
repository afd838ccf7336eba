import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { callerOf } from '../../http/request-caller.js';
import { problemResponses } from '../../http/schemas.js';
import type { SigningKeyAdministration } from './signing-key-rotation.js';
import { PUBLISH_LEAD_MS } from './signing-keys.js';

export interface SigningKeyRoutesOptions {
  signingKeys: SigningKeyAdministration;
}

const KeyStatus = Type.Object({
  kid: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  activatesAt: Type.String({ format: 'date-time' }),
  retiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  state: Type.Union([Type.Literal('pending'), Type.Literal('signing'), Type.Literal('verifying-only'), Type.Literal('retired')]),
});

const POLICY = { policy: { kind: 'permission', permission: 'platform:admin', scope: 'admin' } } as const;

/**
 * The token signing keys for platform administrators: their states (never a private half), and
 * rotation with overlap — the new key is published at once and signs after the publish lead; the
 * keys it replaces verify until their tokens have expired. Every rotation is audited with its reason.
 */
export const signingKeyRoutes: FastifyPluginAsyncTypebox<SigningKeyRoutesOptions> = async (app, { signingKeys }) => {
  const tags = ['administration'];
  app.get(
    '/admin/signing-keys',
    {
      config: POLICY,
      schema: { tags, summary: 'The token signing keys and their states', response: { 200: Type.Array(KeyStatus), ...problemResponses } },
    },
    async () => signingKeys.list(),
  );

  app.post(
    '/admin/signing-keys/rotations',
    {
      config: POLICY,
      schema: {
        tags,
        summary: `Introduce a new signing key: published now, signing in ${PUBLISH_LEAD_MS / 60_000} minutes; the current one verifies until its tokens have expired`,
        body: Type.Object({ reason: Type.String({ minLength: 10, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ introduced: KeyStatus, replaced: Type.Array(KeyStatus) }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const rotation = await signingKeys.rotate(callerOf(request), request.body.reason.trim());
      if (!rotation) {
        throw new AppError('conflict', 'A new signing key is already waiting to begin signing; rotate again once it has.');
      }
      return reply.code(201).send(rotation);
    },
  );
};
