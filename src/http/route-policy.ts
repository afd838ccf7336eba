import type { FastifyInstance } from 'fastify';
import type { PersonAction } from '../access/access-policy.js';
import type { Permission } from '../access/roles.js';
import type { Scope } from '../auth/tokens/scopes.js';

/**
 * What a route needs before its handler runs. Every route declares one: a route without a
 * declaration stops the server from starting, so nothing is reachable by accident.
 */
export type RoutePolicy =
  /** No caller needed; `reason` says why (health checks, sign-in, public keys). */
  | { kind: 'public'; reason: string }
  /** A signed-in person acting on their own session (access tokens are refused). */
  | { kind: 'session' }
  /** Any authenticated caller: a signed-in person or a machine client. */
  | ({ kind: 'authenticated' } & TokenScope)
  /** A caller whose roles grant the permission (or one of them). */
  | ({ kind: 'permission'; permission: Permission | readonly Permission[] } & TokenScope)
  /**
   * One person's record, named by a path parameter — `ehr_id` (the default) or `nhs_number` —
   * the access decision applies.
   */
  | ({ kind: 'person'; action: PersonAction; by?: PersonParameter } & TokenScope)
  /**
   * One person's record read through an embedded session (a form shown inside a record system's
   * page), the person named by the path parameter `nhs_number`: only that session's cookie is
   * accepted, and the access decision applies as to any read.
   */
  | { kind: 'embedded'; action: 'read' };

/** The path parameter that names the person of a `person` route. */
export type PersonParameter = 'ehr_id' | 'nhs_number';

/** The OAuth scope an access token must carry for the route (sessions have no scopes). */
interface TokenScope {
  scope?: Scope;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
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
