import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { isRole } from '../access/roles.js';
import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordFor, auditRecordForAnonymous } from '../audit/audit-record.js';
import { startSession } from '../auth/sessions/start-session.js';
import type { SessionSettings } from '../auth/sessions/session-settings.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { callerForUser, findUserByEmail } from '../users/user-store.js';
import type { SystemTokenVerifier } from './registered-systems.js';

export interface ContextualLaunchOptions {
  db: Database;
  publicUrl: string;
  verifier: SystemTokenVerifier;
  sessions: SessionSettings;
}

export const CONTEXTUAL_LAUNCH_PATH = '/launch/context';

/**
 * In-context launch for record systems that cannot do SMART: the system sends the user's browser
 * to `/launch/context?token=<JWT>` (or posts `token` as a form), a JWT it signed with its
 * registered key for this URL, living at most five minutes, never used before, that names the
 * user (`email`), the organisation (`ods`, which must be the system's own when it is registered
 * for one), the role the user acts in (`role`, which they must hold there) and the person
 * (`nhs_number`). The user is signed in with that person as their launch context — the
 * legitimate relationship the access policy accepts — and lands on the person's page.
 */
export const contextualLaunchRoutes: FastifyPluginAsyncTypebox<ContextualLaunchOptions> = async (app, options) => {
  const { db, verifier } = options;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  const launch = async (token: string | undefined, reply: FastifyReply, address: string) => {
    if (!token) throw new AppError('bad-request', 'A contextual launch needs the signed launch token (token=…).');
    const { system, claims } = await verifier.verify(token, 'contextual-launch', `${options.publicUrl}${CONTEXTUAL_LAUNCH_PATH}`);
    const email = typeof claims['email'] === 'string' ? claims['email'] : undefined;
    const ods = typeof claims['ods'] === 'string' ? claims['ods'] : undefined;
    const role = typeof claims['role'] === 'string' ? claims['role'] : undefined;
    const nhsNumber = typeof claims['nhs_number'] === 'string' ? claims['nhs_number'].replace(/\s/g, '') : undefined;
    const problems = [
      ...(email ? [] : ['email (the user)']),
      ...(ods ? [] : ['ods (the organisation)']),
      ...(role && isRole(role) ? [] : ['role (a platform role)']),
      ...(nhsNumber && isValidNhsNumber(nhsNumber) ? [] : ['nhs_number (a valid NHS number)']),
    ];
    if (problems.length > 0 || !email || !ods || !role || !nhsNumber) {
      throw new AppError('bad-request', `The launch token lacks or has an invalid ${problems.join(', ')}.`);
    }
    const refuse = async (reason: string): Promise<never> => {
      await appendAuditNow(
        db,
        auditRecordForAnonymous({
          action: 'sign-in-failed',
          outcome: 'denied',
          claimedId: email,
          clientAddress: address,
          detail: { method: 'contextual-launch', system: system.issuer, reason },
        }),
      );
      throw new AppError('forbidden', `The launch was refused: ${reason}.`);
    };
    if (system.odsCode !== undefined && system.odsCode !== ods)
      await refuse(`${system.name} launches for ${system.odsCode} only, not ${ods}`);
    const user = await findUserByEmail(db, email);
    if (!user || user.disabledAt) return refuse(`there is no active user ${email}`);
    // Checked before any session exists: a refused launch leaves the browser signed in as nobody.
    const member = await callerForUser(db, user, ods).catch((error: unknown) =>
      error instanceof AppError && error.code === 'forbidden' ? refuse(error.detail) : Promise.reject(error),
    );
    if (!(member.roles as readonly string[]).includes(role)) await refuse(`${email} does not hold the role ${role} at ${ods}`);
    const started = await startSession(reply, db, user.id, ods, { settings: options.sessions, launchContextNhsNumber: nhsNumber });
    await appendAuditNow(
      db,
      auditRecordFor(started.caller, {
        action: 'sign-in',
        nhsNumber,
        detail: { method: 'contextual-launch', system: system.issuer, role, jti: String(claims.jti) },
      }),
    );
    return reply.code(303).header('location', `/people/${nhsNumber}`).send();
  };
  const config = {
    policy: { kind: 'public', reason: 'contextual launch: it verifies the record system’s signed launch token itself' },
  } as const;
  const schema = {
    tags: ['authentication'],
    summary: 'Launch the web app in a person’s context from a record system (signed launch token)',
  };
  app.get(
    CONTEXTUAL_LAUNCH_PATH,
    { config, schema: { ...schema, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 8192 })) }) } },
    (request, reply) => launch(request.query.token, reply, request.ip),
  );
  app.post(
    CONTEXTUAL_LAUNCH_PATH,
    { config, schema: { ...schema, body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 8192 })) }) } },
    (request, reply) => launch(request.body.token, reply, request.ip),
  );
};
