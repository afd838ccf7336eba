import type { FastifyReply } from 'fastify';
import { isRole } from '../access/roles.js';
import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import { startSession } from '../auth/sessions/start-session.js';
import type { SessionSettings } from '../auth/sessions/session-settings.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { callerForUser, findUserByEmail } from '../users/user-store.js';
import { refuseLaunch } from './launch-refusal.js';
import type { SystemTokenVerifier } from './registered-systems.js';

/** Where record systems send the browser (the launch token's audience is this on the public URL). */
export const CONTEXTUAL_LAUNCH_PATH = '/launch/context';

export interface ContextualLaunchServiceOptions {
  db: Database;
  /** Where the launch is served: the audience its token must name. */
  launchUrl: string;
  verifier: SystemTokenVerifier;
  sessions: SessionSettings;
}

/**
 * A record system's signed launch (see contextual-launch-routes.ts): the token verified, the user,
 * organisation, role and person it names checked, and the user signed in with that person as their
 * launch context; every launch and every refusal audited.
 */
export class ContextualLaunchService {
  constructor(private readonly options: ContextualLaunchServiceOptions) {}

  /** Starts the session (its cookie set on `reply`) and answers the person it is launched for. */
  async launch(token: string | undefined, reply: FastifyReply, address: string): Promise<string> {
    const { db, verifier } = this.options;
    if (!token) throw new AppError('bad-request', 'A contextual launch needs the signed launch token (token=…).');
    const { system, claims } = await verifier.verify(token, 'contextual-launch', this.options.launchUrl);
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
    const launch = {
      method: 'contextual-launch',
      issuer: system.issuer,
      claimedId: email,
      clientAddress: address,
      title: 'The launch',
    } as const;
    const refuse = (reason: string): Promise<never> => refuseLaunch(db, launch, reason);
    if (system.odsCode !== undefined && system.odsCode !== ods)
      await refuse(`${system.name} launches for ${system.odsCode} only, not ${ods}`);
    const user = await findUserByEmail(db, email);
    if (!user || user.disabledAt) return refuse(`there is no active user ${email}`);
    // Checked before any session exists: a refused launch leaves the browser signed in as nobody.
    const member = await callerForUser(db, user, ods).catch((error: unknown) =>
      error instanceof AppError && error.code === 'forbidden' ? refuse(error.detail) : Promise.reject(error),
    );
    if (!(member.roles as readonly string[]).includes(role)) await refuse(`${email} does not hold the role ${role} at ${ods}`);
    const started = await startSession(reply, db, user.id, ods, { settings: this.options.sessions, launchContextNhsNumber: nhsNumber });
    await appendAuditNow(
      db,
      auditRecordFor(started.caller, {
        action: 'sign-in',
        nhsNumber,
        detail: { method: 'contextual-launch', system: system.issuer, role, jti: String(claims.jti) },
      }),
    );
    return nhsNumber;
  }
}
