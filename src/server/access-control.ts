import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { decidePersonAccess, type AccessDecision, type PersonAccessFacts, type PersonAction } from '../access/access-policy.js';
import type { Caller } from '../access/caller.js';
import type { Permission } from '../access/roles.js';
import { readEhrAccessFacts, readPersonAccessFacts } from '../access/person-access-facts.js';
import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import type { SessionAuthenticator } from '../auth/sessions/session-authenticator.js';
import type { BearerAuthenticator } from '../auth/tokens/bearer-authenticator.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import { isUuid } from '../shared/uuid.js';
import type { PersonParameter, RoutePolicy } from './route-policy.js';

export const BREAK_GLASS_HEADER = 'x-ucp-break-glass-reason';

/** Routes added by libraries that serve documentation, not data. */
const FRAMEWORK_PREFIXES = ['/docs'];

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route and its declared policy: what the authorization matrix test is generated from. */
    accessRoutes: readonly RouteOptions[];
  }
  interface FastifyRequest {
    caller?: Caller;
    personAccess?: { ehrId: string; nhsNumber: string; decision: Extract<AccessDecision, { allowed: true }>; action: PersonAction };
  }
}

export interface AccessControlOptions {
  db: Database;
  authenticateSession: SessionAuthenticator;
  authenticateBearer: BearerAuthenticator;
}

/**
 * The one policy point. Every route must declare a policy (the server refuses to start
 * otherwise); before any handler runs, the caller is authenticated and the policy decided; every
 * decision about a person's record — allowed or refused — is audited before the answer leaves.
 */
export function registerAccessControl(app: FastifyInstance, options: AccessControlOptions): void {
  // Checked once every plugin has had its say (a plugin may give its routes a default policy).
  const routes: RouteOptions[] = [];
  app.decorate('accessRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (!FRAMEWORK_PREFIXES.some((prefix) => route.url.startsWith(prefix))) routes.push(route);
  });
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((route) => !route.config?.policy).map((route) => `${String(route.method)} ${route.url}`);
    if (undeclared.length > 0) throw new Error(`routes without an access policy (config.policy): ${undeclared.join(', ')}`);
  });

  app.addHook('onRequest', async (request) => {
    const policy: RoutePolicy | undefined = request.routeOptions.config.policy;
    if (!policy || policy.kind === 'public') return;
    if (policy.kind === 'session') {
      const person = await options.authenticateSession(request);
      if (!person)
        throw new AppError(
          'unauthenticated',
          "This is about a signed-in person's own session: sign in first (access tokens do not have one).",
        );
      request.caller = person;
      return;
    }
    const caller = await authenticate(request, options);
    request.caller = caller;
    if (policy.scope && caller.scopes !== undefined && !caller.scopes.includes(policy.scope)) {
      await refuse(options.db, caller, request, `the access token does not carry the scope ${policy.scope}`);
    }
    if (policy.kind === 'authenticated') return;
    if (policy.kind === 'permission') {
      const wanted: readonly Permission[] = typeof policy.permission === 'string' ? [policy.permission] : policy.permission;
      if (wanted.some((permission) => caller.permissions.has(permission))) return;
      await refuse(options.db, caller, request, `the role(s) ${caller.roles.join(', ') || '(none)'} do not grant ${wanted.join(' or ')}`);
    }
    if (policy.kind === 'person') await decideForPerson(request, caller, policy.action, options.db, policy.by ?? 'ehr_id');
  });

  // A read's audit record is durable before the response leaves; if it cannot be written the
  // response is refused (fail closed). Writes record theirs inside their own transaction.
  app.addHook('onSend', async (request, reply, payload) => {
    const access = request.personAccess;
    if (!access || !request.caller || reply.statusCode >= 400 || access.action !== 'read') return payload;
    await appendAuditNow(
      options.db,
      auditRecordFor(request.caller, {
        action: 'read',
        nhsNumber: access.nhsNumber || undefined,
        ehrId: access.ehrId || undefined,
        resource: { type: 'route', id: `${request.method} ${request.routeOptions.url ?? ''}` },
        detail: { basis: access.decision.basis, explanation: access.decision.explanation, status: reply.statusCode },
      }),
    );
    return payload;
  });
}

async function authenticate(request: FastifyRequest, options: AccessControlOptions): Promise<Caller> {
  const fromSession = await options.authenticateSession(request);
  if (fromSession) return fromSession;
  if (request.headers.authorization === undefined) {
    throw new AppError('unauthenticated', 'Sign in, or send an access token (Authorization: Bearer …) from /oauth2/token.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="ucp"' },
    });
  }
  return options.authenticateBearer(request);
}

async function decideForPerson(
  request: FastifyRequest,
  caller: Caller,
  action: PersonAction,
  db: Database,
  by: PersonParameter,
): Promise<void> {
  const params = request.params as Partial<Record<PersonParameter, string>>;
  const person: PersonLocator = by === 'nhs_number' ? { nhsNumber: params.nhs_number ?? '' } : { ehrId: params.ehr_id ?? '' };
  await authorisePersonAccess(request, db, person, action, caller);
}

/** A person named by NHS number or by EHR id. */
export type PersonLocator = { nhsNumber: string } | { ehrId: string };

/**
 * The policy point's decision for a person a handler finds only in its input (a FHIR id or
 * search parameter, rather than a path parameter the route's policy names): decided, audited
 * when refused or when the glass is broken, and remembered on the request so that the read is
 * audited for this person before the answer leaves. Answers the person's EHR id and NHS number
 * ('' where there is none).
 */
export async function authorisePersonAccess(
  request: FastifyRequest,
  db: Database,
  locator: PersonLocator,
  action: PersonAction,
  caller: Caller | undefined = request.caller,
): Promise<{ ehrId: string; nhsNumber: string }> {
  if (!caller) throw new AppError('unauthenticated', 'Sign in first.');
  const { ehrId, nhsNumber, facts } = await personNamedBy(locator, db);
  const reason = request.headers[BREAK_GLASS_HEADER];
  const withReason: Caller = typeof reason === 'string' && reason.trim() !== '' ? { ...caller, breakGlassReason: reason.trim() } : caller;
  const decision = decidePersonAccess(withReason, action, facts);
  if (!decision.allowed) {
    return refuse(db, withReason, request, decision.explanation, { ehrId, nhsNumber, breakGlassPossible: decision.breakGlassPossible });
  }
  request.caller = withReason;
  request.personAccess = { ehrId, nhsNumber, decision, action };
  if (decision.basis === 'break-glass') {
    await appendAuditNow(
      db,
      auditRecordFor(withReason, {
        action: 'break-glass',
        ...(ehrId ? { ehrId } : {}),
        ...(nhsNumber ? { nhsNumber } : {}),
        detail: { explanation: decision.explanation },
      }),
    );
  }
  return { ehrId, nhsNumber };
}

/**
 * Both ids of the person a request is about, and the facts the access decision needs about
 * them. An unknown EHR or NHS number is the handler's 404 (or 400) to give; a caller without
 * rights learns nothing more. By EHR (most routes, the emergency summary among them) it is one
 * round trip.
 */
async function personNamedBy(
  locator: PersonLocator,
  db: Database,
): Promise<{ ehrId: string; nhsNumber: string; facts: PersonAccessFacts }> {
  if ('nhsNumber' in locator) {
    const nhsNumber = isValidNhsNumber(locator.nhsNumber) ? locator.nhsNumber : '';
    const { rows } = nhsNumber
      ? await db.query<{ ehr_id: string }>('SELECT ehr_id::text AS ehr_id FROM ehr WHERE subject_namespace = $1 AND subject_id = $2', [
          NHS_NUMBER_SYSTEM,
          nhsNumber,
        ])
      : { rows: [] };
    return { ehrId: rows[0]?.ehr_id ?? '', nhsNumber, facts: await readPersonAccessFacts(db, nhsNumber) };
  }
  const ehrId = locator.ehrId.toLowerCase();
  if (!isUuid(ehrId)) return { ehrId, nhsNumber: '', facts: await readPersonAccessFacts(db, '') };
  return { ehrId, ...(await readEhrAccessFacts(db, ehrId)) };
}

/**
 * Refuses a request the policy point let through but the content it carries does not allow (for
 * example a CPR recommendation from someone who may not make one): audited like any refusal.
 */
export function refuseAccess(db: Database, request: FastifyRequest, explanation: string): Promise<never> {
  if (!request.caller) throw new AppError('unauthenticated', 'Sign in first.');
  const access = request.personAccess;
  return refuse(
    db,
    request.caller,
    request,
    explanation,
    access ? { ehrId: access.ehrId, nhsNumber: access.nhsNumber, breakGlassPossible: false } : undefined,
  );
}

async function refuse(
  db: Database,
  caller: Caller,
  request: FastifyRequest,
  explanation: string,
  person?: { ehrId: string; nhsNumber: string; breakGlassPossible: boolean },
): Promise<never> {
  await appendAuditNow(
    db,
    auditRecordFor(caller, {
      action: 'access-denied',
      outcome: 'denied',
      ...(person?.nhsNumber ? { nhsNumber: person.nhsNumber } : {}),
      ...(person?.ehrId ? { ehrId: person.ehrId } : {}),
      resource: { type: 'route', id: `${request.method} ${request.routeOptions.url ?? ''}` },
      detail: { explanation },
    }),
  );
  const hint = person?.breakGlassPossible ? ` To read it anyway, send your reason in the ${BREAK_GLASS_HEADER} header.` : '';
  throw new AppError('forbidden', `Access refused: ${explanation}.${hint}`);
}

/**
 * Gives every route registered in `scope` the policy `policy` unless it declares its own: for
 * plugins whose routes all follow one rule (sign-in, token and key endpoints are public by nature).
 */
export function defaultRoutePolicy(scope: FastifyInstance, policy: RoutePolicy): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, policy: route.config?.policy ?? policy };
  });
}
