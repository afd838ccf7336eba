import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../access/caller.js';
import { isRole, permissionsOf, type Role } from '../access/roles.js';
import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordFor, auditRecordForAnonymous } from '../audit/audit-record.js';
import { isWellFormedSessionToken, newSessionToken, sessionIdOf } from '../auth/sessions/session-token.js';
import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { callerForMember, callerForUser, findUserByEmail, MEMBER_COLUMNS, type MemberRow } from '../users/user-store.js';
import { refuseLaunch } from './launch-refusal.js';
import type { SystemTokenVerifier } from './registered-systems.js';

/** Where a record system points its frame (the launch token's audience is this on the public URL). */
export const EMBEDDED_LAUNCH_PATH = '/embed/launch';

/** An embedded session lasts this long at most: a form looked at inside a record system's page. */
export const EMBEDDED_SESSION_SECONDS = 30 * 60;

/** Pathway ids as the catalogue spells them. */
const PATHWAY_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface EmbeddedLaunchServiceOptions {
  db: Database;
  /** Where the embedded launch is served: the audience its token must name. */
  launchUrl: string;
  verifier: SystemTokenVerifier;
  /** Browsers reach the server over TLS: the cookie takes the __Host- prefix. */
  tls: boolean;
  clock?: () => Date;
}

/** An embedded session as a request carries it. */
export interface EmbeddedSession {
  caller: Caller;
  nhsNumber: string;
  /** The launching system's registered frame origins: the only frame-ancestors of the page. */
  frameOrigins: readonly string[];
}

/**
 * Embedded forms (docs/interoperability.md, "Embedded forms"): a record system shows a published
 * form of the platform inside its own page. It points a frame at `/embed/launch?token=<JWT>`, a
 * JWT it signed with its registered key for that URL, living at most five minutes, never used
 * before, naming the user (`email`), organisation (`ods`), role (`role`), person (`nhs_number`)
 * and pathway (`pathway`). The launch starts an embedded session: its own cookie, bound to that
 * user, organisation, role and person, lasting 30 minutes, which reaches the embedded form's
 * read of that person only (the web app's session cookie never stands for it, nor it for that).
 * Every launch and refusal is audited, and every read as the launching user.
 */
export class EmbeddedLaunchService {
  readonly #clock: () => Date;
  readonly cookieName: string;

  constructor(private readonly options: EmbeddedLaunchServiceOptions) {
    this.#clock = options.clock ?? (() => new Date());
    // __Host-: Secure, Path=/, no Domain (over TLS only, where the prefix is honoured).
    this.cookieName = options.tls ? '__Host-ucp_embed' : 'ucp_embed';
  }

  /** Starts the embedded session (its cookie set on `reply`) and answers where its form is. */
  async launch(token: string | undefined, reply: FastifyReply, address: string): Promise<string> {
    const { db, verifier } = this.options;
    if (!token) throw new AppError('bad-request', 'An embedded launch needs the signed launch token (token=…).');
    // A token that does not verify is audited too (who it claims to be is unproven, so anonymous).
    const { system, claims } = await verifier.verify(token, 'contextual-launch', this.options.launchUrl).catch(async (error: unknown) => {
      const detail = error instanceof AppError ? error.detail : 'the launch token could not be verified';
      await appendAuditNow(
        db,
        auditRecordForAnonymous({
          action: 'sign-in-failed',
          outcome: 'denied',
          clientAddress: address,
          detail: { method: 'embedded-launch', reason: detail },
        }),
      );
      throw error;
    });
    const text = (name: string) => (typeof claims[name] === 'string' ? claims[name] : undefined);
    const email = text('email');
    const ods = text('ods');
    const role = text('role');
    const nhsNumber = text('nhs_number')?.replace(/\s/g, '');
    const pathway = text('pathway');
    const problems = [
      ...(email ? [] : ['email (the user)']),
      ...(ods ? [] : ['ods (the organisation)']),
      ...(role && isRole(role) && role !== 'patient' ? [] : ['role (a professional platform role)']),
      ...(nhsNumber && isValidNhsNumber(nhsNumber) ? [] : ['nhs_number (a valid NHS number)']),
      ...(pathway && PATHWAY_ID.test(pathway) ? [] : ['pathway (a pathway id)']),
    ];
    if (problems.length > 0 || !email || !ods || !role || !isRole(role) || !nhsNumber || !pathway) {
      throw new AppError('bad-request', `The launch token lacks or has an invalid ${problems.join(', ')}.`);
    }
    const launch = {
      method: 'embedded-launch',
      issuer: system.issuer,
      claimedId: email,
      clientAddress: address,
      title: 'The embedded launch',
    } as const;
    const refuse = (reason: string): Promise<never> => refuseLaunch(db, launch, reason);
    if ((system.frameOrigins ?? []).length === 0) await refuse(`${system.name} has no registered frame origins, so it may not embed forms`);
    if (system.odsCode !== undefined && system.odsCode !== ods)
      await refuse(`${system.name} launches for ${system.odsCode} only, not ${ods}`);
    const user = await findUserByEmail(db, email);
    if (!user || user.disabledAt) return refuse(`there is no active user ${email}`);
    const member = await callerForUser(db, user, ods).catch((error: unknown) =>
      error instanceof AppError && error.code === 'forbidden' ? refuse(error.detail) : Promise.reject(error),
    );
    if (!(member.roles as readonly string[]).includes(role)) await refuse(`${email} does not hold the role ${role} at ${ods}`);

    const sessionToken = newSessionToken();
    const now = this.#clock();
    const expiresAt = new Date(now.getTime() + EMBEDDED_SESSION_SECONDS * 1000);
    await db.query(
      `INSERT INTO embedded_session (id, user_id, ods_code, nhs_number, issuer, role, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [sessionIdOf(sessionToken), user.id, ods, nhsNumber, system.issuer, role, now, expiresAt],
    );
    await db.query('DELETE FROM embedded_session WHERE expires_at < $1', [now]);
    reply.setCookie(this.cookieName, sessionToken, this.#cookieOptions(EMBEDDED_SESSION_SECONDS));
    reply.header('cache-control', 'no-store');
    await appendAuditNow(
      db,
      auditRecordFor(embeddedCaller(member, role, nhsNumber, address), {
        action: 'sign-in',
        nhsNumber,
        detail: { method: 'embedded-launch', system: system.issuer, role, pathway, jti: String(claims.jti) },
      }),
    );
    return `/embed/${pathway}/${nhsNumber}`;
  }

  /** The embedded session the request's cookie stands for; undefined without one, 401 for an ended one. */
  async sessionOf(request: FastifyRequest): Promise<EmbeddedSession | undefined> {
    const cookies = request.cookies as FastifyRequest['cookies'] | null | undefined;
    const token = cookies?.[this.cookieName];
    if (token === undefined || token === '') return undefined;
    if (!isWellFormedSessionToken(token)) throw ended();
    const row = await findEmbeddedSession(this.options.db, sessionIdOf(token), this.#clock());
    if (!row) throw ended();
    const member = callerForMember(row, row.user_id, row.ods_code, { clientAddress: request.ip, launchContextNhsNumber: row.nhs_number });
    if (!isRole(row.role) || !member.roles.includes(row.role)) {
      throw new AppError('forbidden', `The user no longer holds the role ${row.role} the form was launched with.`);
    }
    return {
      caller: embeddedCaller(member, row.role, row.nhs_number, request.ip),
      nhsNumber: row.nhs_number,
      frameOrigins: row.frame_origins,
    };
  }

  #cookieOptions(maxAgeSeconds: number): CookieSerializeOptions {
    // In a frame inside the record system's page the cookie is a third-party one: SameSite=None,
    // which browsers take only with Secure (so embedding needs TLS, or a browser on the same
    // machine: localhost counts as secure), and Partitioned, so it lives in that site's jar only.
    return { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/', maxAge: maxAgeSeconds };
  }
}

/** The launching user as the embedded session lets them act: the launched role only, the one person only. */
function embeddedCaller(member: Caller, role: Role, nhsNumber: string, address: string): Caller {
  return {
    ...member,
    roles: [role],
    permissions: permissionsOf([role]),
    launchContextNhsNumber: nhsNumber,
    embeddedNhsNumber: nhsNumber,
    breakGlassReason: undefined,
    clientAddress: address,
    sessionId: undefined,
  };
}

type EmbeddedRow = MemberRow & { user_id: string; ods_code: string; nhs_number: string; role: string; frame_origins: string[] };

async function findEmbeddedSession(db: Queryable, id: string, now: Date): Promise<EmbeddedRow | undefined> {
  const { rows } = await db.query<EmbeddedRow>(
    `SELECT s.user_id, s.ods_code, s.nhs_number, s.role, r.frame_origins, ${MEMBER_COLUMNS}
     FROM embedded_session s
     JOIN registered_system r ON r.issuer = s.issuer AND r.disabled_at IS NULL
     JOIN app_user u ON u.id = s.user_id
     LEFT JOIN membership m ON m.user_id = s.user_id AND m.ods_code = s.ods_code
     LEFT JOIN organisation o ON o.ods_code = s.ods_code
     WHERE s.id = $1 AND s.expires_at > $2`,
    [id, now],
  );
  return rows[0];
}

function ended(): AppError {
  return new AppError('unauthenticated', 'The embedded session has ended or never began: the record system must launch the form again.');
}
