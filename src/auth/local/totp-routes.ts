import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Caller } from '../../access/caller.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { callerOf } from '../../http/request-caller.js';
import { problemResponses } from '../../http/schemas.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { confirmIdentity, confirmTotp, enrolTotp, removeTotp } from '../../users/local-accounts.js';

export interface TotpRoutesOptions {
  db: Database;
  /** Seals and opens the stored second-factor secrets. */
  secrets: SecretBox;
}

/** The proof asked for before the second factor changes: the password, and a code while one is active. */
const IdentityProof = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    code: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'a current code, when a second factor is active' })),
  },
  { additionalProperties: false },
);

async function requireIdentity(
  db: Database,
  secrets: SecretBox,
  caller: Caller,
  proof: { password: string; code?: string | undefined },
): Promise<void> {
  if (!(await confirmIdentity(db, secrets, caller.id, proof.password, proof.code))) {
    throw new AppError(
      'unauthenticated',
      'Changing the second factor needs your password and, while one is active, a current code from it.',
      {
        issues: [{ path: 'password', message: 'wrong, or the code is missing, wrong or used already' }],
      },
    );
  }
}

function signedIn(request: FastifyRequest): Caller {
  const caller = callerOf(request);
  if (caller.kind !== 'user') throw new AppError('unauthenticated', 'Sign in first.');
  return caller;
}

/** A signed-in person's second factor (TOTP): enrol, confirm with a first code, remove. */
export const totpRoutes: FastifyPluginAsyncTypebox<TotpRoutesOptions> = async (app, { db, secrets }) => {
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
        body: IdentityProof,
        response: {
          200: Type.Object({ secret: Type.String(), uri: Type.String({ description: 'otpauth:// URI for a QR code' }) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request);
      await requireIdentity(db, secrets, caller, request.body);
      const enrolment = await enrolTotp(db, secrets, caller.id);
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
      if (!(await confirmTotp(db, secrets, caller.id, request.body.code))) {
        throw new AppError('bad-request', 'That code does not match the authenticator being enrolled; check the app and try again.');
      }
      await audit(caller, 'totp-enabled');
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
      await requireIdentity(db, secrets, caller, request.body);
      await removeTotp(db, caller.id);
      await audit(caller, 'totp-removed');
      return reply.code(204).send(null);
    },
  );
};
