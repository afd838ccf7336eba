import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Caller } from '../../access/caller.js';
import { AppError } from '../../errors/app-error.js';
import { callerOf } from '../../http/request-caller.js';
import { problemResponses } from '../../http/schemas.js';
import type { TotpService } from './totp-service.js';

export interface TotpRoutesOptions {
  totp: TotpService;
}

/** The proof asked for before the second factor changes: the password, and a code while one is active. */
const IdentityProof = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    code: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'a current code, when a second factor is active' })),
  },
  { additionalProperties: false },
);

function signedIn(request: FastifyRequest): Caller {
  const caller = callerOf(request);
  if (caller.kind !== 'user') throw new AppError('unauthenticated', 'Sign in first.');
  return caller;
}

/** A signed-in person's second factor (TOTP): enrol, confirm with a first code, remove. */
export const totpRoutes: FastifyPluginAsyncTypebox<TotpRoutesOptions> = async (app, { totp }) => {
  const tags = ['authentication'];
  const config = { policy: { kind: 'session' as const } };

  app.post(
    '/auth/totp',
    {
      config,
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app: a new secret, active once a code from it is confirmed',
        body: IdentityProof,
        response: {
          200: Type.Object({ secret: Type.String(), uri: Type.String({ description: 'otpauth:// URI for a QR code' }) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request);
      const enrolment = await totp.enrol(caller, request.body);
      reply.header('cache-control', 'no-store');
      return enrolment;
    },
  );

  app.post(
    '/auth/totp/confirm',
    {
      config,
      schema: {
        tags,
        summary: 'Confirm the authenticator with a code from it; from now on sign-in asks for a code',
        body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request);
      await totp.confirm(caller, request.body.code);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/auth/totp',
    {
      config,
      schema: {
        tags,
        summary: 'Remove the second factor (needs the password and a current code)',
        body: IdentityProof,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request);
      await totp.remove(caller, request.body);
      return reply.code(204).send(null);
    },
  );
};
