/**
 * OAuth scopes a machine client may hold. A scope narrows what a token may be used for (which
 * API family, read or write); the client's roles still decide what it is permitted to do there,
 * so a route needs both the scope and the permission.
 */
export const SCOPES = [
  /** Read through the openEHR REST API (EHRs, compositions, templates). */
  'openehr:read',
  /** Write through the openEHR REST API. */
  'openehr:write',
  /** Run AQL queries. */
  'aql:query',
  /** Read care plans through the platform API. */
  'plan:read',
  /** Create and change care plans through the platform API. */
  'plan:write',
  /** Read through the FHIR R4 facade (/fhir). */
  'fhir:read',
  /** Write through the FHIR R4 facade: create and end subscriptions. */
  'fhir:write',
  /** Administer the installation: organisations, users, clients, templates. */
  'admin',
  /**
   * For an auditing client the operator trusts beyond one organisation (a national Caldicott or
   * information-governance service): a person's access report with every organisation's entries.
   * Without it an auditor sees what their own organisation did.
   */
  'audit:all-organisations',
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** RFC 6749 §3.3: space-delimited, each token printable ASCII other than space, '"' and '\'. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The distinct scope tokens of a `scope` parameter, or undefined when it is not well formed. */
export function parseScopeParameter(value: string): string[] | undefined {
  const tokens = value.split(' ').filter((token) => token !== '');
  if (!tokens.every((token) => SCOPE_TOKEN.test(token))) return undefined;
  return [...new Set(tokens)];
}
