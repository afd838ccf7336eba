import type { Caller } from './caller.js';

/**
 * Whose records an AQL query may range over, decided from the caller alone (the query itself
 * names no person the policy point could check). Pure: the same caller always gets the same scope.
 *
 * - A person reading their own record sees only their own EHR.
 * - Population queries need `population:query`, or a machine client administering records
 *   (integrations, data migration); both are audited with their purpose.
 * - A care role (plan:read) in an organisation meeting the data-security standards sees the
 *   people related to that organisation (care team, registered GP) and the person it was
 *   launched for. Standing emergency access (ambulance, 111, out of hours) is about the person in
 *   front of a crew, one at a time: it does not open a population to a query.
 * - Anyone else is refused.
 */
export type QueryScope =
  | { allowed: true; kind: 'all'; basis: 'population-query' | 'administration'; explanation: string }
  | { allowed: true; kind: 'self'; nhsNumber: string; explanation: string }
  | { allowed: true; kind: 'related'; odsCode: string; launchNhsNumber: string | undefined; explanation: string }
  | { allowed: false; explanation: string };

/** A query scope the caller was allowed: the typed value the query layer renders into SQL. */
export type AllowedQueryScope = Extract<QueryScope, { allowed: true }>;

export function decideQueryScope(caller: Caller): QueryScope {
  if (caller.ownNhsNumber !== undefined) {
    if (caller.permissions.has('plan:read-own')) {
      return { allowed: true, kind: 'self', nhsNumber: caller.ownNhsNumber, explanation: 'a person querying their own record' };
    }
    return { allowed: false, explanation: 'a person may query only their own record' };
  }
  if (caller.permissions.has('population:query')) {
    return { allowed: true, kind: 'all', basis: 'population-query', explanation: `population query (purpose: ${caller.purposeOfUse})` };
  }
  if (caller.kind === 'client' && caller.permissions.has('records:administer')) {
    return {
      allowed: true,
      kind: 'all',
      basis: 'administration',
      explanation: `record administration by an integration client (purpose: ${caller.purposeOfUse})`,
    };
  }
  if (!caller.permissions.has('plan:read')) {
    return {
      allowed: false,
      explanation: `the role(s) ${caller.roles.join(', ') || '(none)'} grant neither plan:read nor population:query`,
    };
  }
  const organisation = caller.organisation;
  if (!organisation) return { allowed: false, explanation: 'the caller acts for no organisation' };
  if (organisation.dataSecurityStatus !== 'standards-met') {
    return {
      allowed: false,
      explanation: `${organisation.name} (${organisation.odsCode}) does not meet the data security standards (${organisation.dataSecurityStatus})`,
    };
  }
  return {
    allowed: true,
    kind: 'related',
    odsCode: organisation.odsCode,
    launchNhsNumber: caller.launchContextNhsNumber,
    explanation:
      `people in a care-team or registered-GP relationship with ${organisation.odsCode}` +
      (caller.launchContextNhsNumber !== undefined ? ', and the person in launch context' : ''),
  };
}
