import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Caller } from '../../access/caller.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../server/schemas.js';
import { confirmTotp, enrolTotp, removeTotp } from '../../users/local-accounts.js';

export interface TotpRoutesOptions {
  db: Database;
}

function signedIn(request: FastifyRequest): Caller {
  if (!request.caller || request.caller.kind !== 'user') throw new AppError('unauthenticated', 'Sign in first.');
  return request.caller;
}

/** A signed-in person's second factor (TOTP): enrol, confirm with a first code, remove. */
export const totpRoutes: FastifyPluginAsyncTypebox<TotpRoutesOptions> = async (app, { db }) => {
  const tags = ['authentication'];
  const config = { policy: { kind: 'session' as const } };
  const audit = (caller: Caller, change: string) =>
    appendAuditNow(db, auditRecordFor(caller, { action: 'update', resource: { type: 'user', id: caller.id }, detail: { change } }));

  app.post(
    '/auth/totp',
    {
      config,
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app: a new secret, active once a code from it is confirmed',
        response: {
          200: Type.Object({ secret: Type.String(), uri: Type.String({ description: 'otpauth:// URI for a QR code' }) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request);
      const enrolment = await enrolTotp(db, caller.id);
      await audit(caller, 'totp-enrolment-started');
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
      if (!(await confirmTotp(db, caller.id, request.body.code))) {
        throw new AppError('bad-request', 'That code does not match the authenticator being enrolled; check the app and try again.');
      }
      await audit(caller, 'totp-enabled');
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/auth/totp',
    { config, schema: { tags, summary: 'Remove the second factor', response: { 204: Type.Null(), ...problemResponses } } },
    async (request, reply) => {
      const caller = signedIn(request);
      await removeTotp(db, caller.id);
      await audit(caller, 'totp-removed');
      return reply.code(204).send(null);
    },
  );
};
