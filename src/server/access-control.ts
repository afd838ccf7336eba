import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Caller } from '../access/caller.js';
import type { AuditRecord } from '../audit/audit-record.js';
import type { Permission } from '../access/roles.js';
import type { SessionAuthenticator } from '../auth/sessions/session-authenticator.js';
import type { BearerAuthenticator } from '../auth/tokens/bearer-authenticator.js';
import { AppError } from '../errors/app-error.js';
import type { PersonAction } from '../access/access-policy.js';
import type { PersonAccess, PersonRef, Repositories, Repository } from '../repository/repository.js';
import type { PersonParameter, RoutePolicy } from '../http/route-policy.js';

export const BREAK_GLASS_HEADER = 'x-ucp-break-glass-reason';

/** Routes added by libraries that serve documentation, not data. */
const FRAMEWORK_PREFIXES = ['/docs'];

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route and its declared policy: what the authorization matrix test is generated from. */
    accessRoutes: readonly RouteOptions[];
  }
  interface FastifyRequest {
    /** The caller's repository: the only way a route reaches people's data (absent on public routes: reading it throws). */
    readonly repository: Repository;
    /** The person a `person` route is about, as the repository allowed them (reading it elsewhere throws). */
    readonly person: PersonAccess;
    /**
     * For a handler that finds its person only in its input (a FHIR id or search, a request
     * body): decided and audited as if the route's policy had named them (see openPersonOf).
     */
    openPerson(ref: PersonRef, action: PersonAction): Promise<PersonAccess>;
    /**
     * For a `person` read whose handler commits the read's audit record itself, in the statement
     * that reads (the emergency summary): the record this policy point would have appended before
     * the answer left (status 200), handed over instead, so it appends none. The handler answers
     * only once its statement has committed the record, and gives no answer when it could not.
     */
    takeReadRecord(): AuditRecord;
  }
}

const REPOSITORY = Symbol('repository');
const PERSON = Symbol('person');
const READ_RECORD_TAKEN = Symbol('read record taken');
type WithAccess = FastifyRequest & { [REPOSITORY]?: Repository; [PERSON]?: PersonAccess; [READ_RECORD_TAKEN]?: boolean };

export interface AccessControlOptions {
  repositories: Repositories;
  authenticateSession: SessionAuthenticator;
  authenticateBearer: BearerAuthenticator;
  /** The caller of an embedded session (its own cookie), for `embedded` routes; undefined without one. */
  authenticateEmbedded?: (request: FastifyRequest) => Promise<Caller | undefined>;
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
  decorateRequests(app);
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
      bind(request, options.repositories, person);
      return;
    }
    if (policy.kind === 'embedded') {
      // Only the embedded session's cookie: the web app's session or a token is not it.
      const caller = options.authenticateEmbedded ? await options.authenticateEmbedded(request) : undefined;
      if (!caller) throw new AppError('unauthenticated', 'This is an embedded form: the record system must launch it (/embed/launch).');
      const named = (request.params as Partial<Record<PersonParameter, string>>).nhs_number ?? '';
      (request as WithAccess)[PERSON] = await bind(request, options.repositories, caller).openPerson({ nhsNumber: named }, policy.action);
      return;
    }
    const caller = await authenticate(request, options);
    const repository = bind(request, options.repositories, caller);
    if (policy.scope && caller.scopes !== undefined && !caller.scopes.includes(policy.scope)) {
      await repository.refuse(`the access token does not carry the scope ${policy.scope}`);
    }
    if (policy.kind === 'authenticated') return;
    if (policy.kind === 'permission') {
      const wanted: readonly Permission[] = typeof policy.permission === 'string' ? [policy.permission] : policy.permission;
      if (wanted.some((permission) => caller.permissions.has(permission))) return;
      await repository.refuse(`the role(s) ${caller.roles.join(', ') || '(none)'} do not grant ${wanted.join(' or ')}`);
    }
    if (policy.kind === 'person') {
      const reason = request.headers[BREAK_GLASS_HEADER];
      // The repository bound above serves unless the request states a break-glass reason.
      const withReason = typeof reason === 'string' ? bind(request, options.repositories, caller, reason) : repository;
      const by: PersonParameter = policy.by ?? 'ehr_id';
      const named = (request.params as Partial<Record<PersonParameter, string>>)[by] ?? '';
      (request as WithAccess)[PERSON] = await withReason.openPerson(
        by === 'nhs_number' ? { nhsNumber: named } : { ehrId: named },
        policy.action,
      );
    }
  });

  // A read's audit record is durable before the response leaves; if it cannot be written the
  // response is refused (fail closed). Writes record theirs inside their own transaction.
  app.addHook('onSend', async (request, reply, payload) => {
    const access = (request as WithAccess)[PERSON];
    if (!access || reply.statusCode >= 400 || access.action !== 'read' || (request as WithAccess)[READ_RECORD_TAKEN]) return payload;
    await request.repository.auditRead(access, { status: reply.statusCode });
    return payload;
  });
}

/** What a request offers its handler: its repository, its person, and the ways to open or record them. */
function decorateRequests(app: FastifyInstance): void {
  app.decorateRequest('repository', {
    getter(this: WithAccess) {
      const repository = this[REPOSITORY];
      if (!repository) throw new Error('no repository: the route is public or its caller was not authenticated');
      return repository;
    },
  });
  app.decorateRequest('openPerson', function (this: FastifyRequest, ref: PersonRef, action: PersonAction) {
    return openPersonOf(this, ref, action);
  });
  app.decorateRequest('takeReadRecord', function (this: WithAccess) {
    const access = this[PERSON];
    if (!access || access.action !== 'read') throw new Error('no read to record: the route does not declare a person read policy');
    this[READ_RECORD_TAKEN] = true;
    return this.repository.readRecord(access, { status: 200 });
  });
  app.decorateRequest('person', {
    getter(this: WithAccess) {
      const person = this[PERSON];
      if (!person) throw new Error('no person: the route does not declare a person policy');
      return person;
    },
  });
}

/**
 * The policy point's decision for a person a handler finds only in its input (a FHIR id or search
 * parameter, a request body) rather than in a path parameter its route's policy names: decided
 * and audited exactly as if the policy had named them, break-glass reason included, and the read
 * audited for this person before the answer leaves.
 */
async function openPersonOf(request: FastifyRequest, ref: PersonRef, action: PersonAction): Promise<PersonAccess> {
  const reason = request.headers[BREAK_GLASS_HEADER];
  const repository = request.repository.withBreakGlassReason(typeof reason === 'string' ? reason : undefined);
  const access = await repository.openPerson(ref, action);
  (request as WithAccess)[REPOSITORY] = repository;
  (request as WithAccess)[PERSON] = access;
  request.caller = repository.caller;
  return access;
}

/** Binds the caller's repository to the request (with the break-glass reason the request states). */
function bind(request: FastifyRequest, repositories: Repositories, caller: Caller, breakGlassReason?: string): Repository {
  const repository = repositories
    .forCaller(caller, {
      origin: `${request.method} ${request.routeOptions.url ?? ''}`,
      breakGlassHint: `To read it anyway, send your reason in the ${BREAK_GLASS_HEADER} header.`,
    })
    .withBreakGlassReason(breakGlassReason);
  (request as WithAccess)[REPOSITORY] = repository;
  request.caller = repository.caller;
  return repository;
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
