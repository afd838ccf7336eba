import { CARE_ROLES, permissionsOf, type Permission, type Role } from './roles.js';

export const ORGANISATION_KINDS = [
  'gp-practice',
  'ambulance-service',
  'nhs-111',
  'out-of-hours-gp',
  'acute-trust',
  'community-trust',
  'hospice',
  'care-home',
  'local-authority',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * Organisations whose services meet people in a crisis have standing emergency access. An acute
 * trust is not among them as a whole: only its emergency department is, which a user's role in
 * that organisation has to say.
 */
export const URGENT_CARE_KINDS: ReadonlySet<OrganisationKind> = new Set(['ambulance-service', 'nhs-111', 'out-of-hours-gp']);

export type DataSecurityStatus = 'standards-met' | 'approaching-standards' | 'standards-not-met';

export interface CallerOrganisation {
  odsCode: string;
  name: string;
  kind: OrganisationKind;
  /** One of London's five integrated care systems. */
  ics: string;
  /** Data Security and Protection Toolkit status; only "standards-met" organisations may see plans. */
  dataSecurityStatus: DataSecurityStatus;
}

export type PurposeOfUse = 'direct-care' | 'emergency-care' | 'audit' | 'administration' | 'self';

/**
 * Who is asking, on whose behalf and why. Routes turn a session or a token into a Caller; every
 * service and the repository take it explicitly, so REST, FHIR, AQL, events and the web app share
 * one gate. System jobs act as a `system` caller.
 */
export interface Caller {
  kind: 'user' | 'client' | 'system';
  /** Stable id: user id, OAuth client id, or the job name. */
  id: string;
  displayName: string;
  /** The organisation the caller acts for now (a user in several picks one per session). */
  organisation: CallerOrganisation | undefined;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  /** OAuth scopes of a token; undefined for a session. */
  scopes: readonly string[] | undefined;
  /** The person in context when launched from a trusted record system (NHS number). */
  launchContextNhsNumber: string | undefined;
  /**
   * Set for an embedded session (a form shown inside a record system's page): the one person it
   * may reach. Every other person is refused, whatever the relationship.
   */
  embeddedNhsNumber?: string | undefined;
  /** For a person reading their own record (role `patient`): their NHS number. */
  ownNhsNumber: string | undefined;
  /** A professional's GMC, NMC, HCPC … number, as their account holds it (users only; recorded with the decisions they make). */
  professionalRegistrationId?: string | undefined;
  /** Set when the caller broke the glass for this request, with their stated reason. */
  breakGlassReason: string | undefined;
  purposeOfUse: PurposeOfUse;
  clientAddress: string | undefined;
  sessionId: string | undefined;
}

/** The purpose a caller acts for unless the request says otherwise: care, audit, or administration. */
export function defaultPurposeOfUse(roles: readonly Role[]): PurposeOfUse {
  if (roles.some((role) => CARE_ROLES.includes(role))) return 'direct-care';
  if (roles.length > 0 && roles.every((role) => role === 'auditor')) return 'audit';
  return 'administration';
}

export function hasPermission(caller: Caller, permission: Permission): boolean {
  return caller.permissions.has(permission);
}

/** The caller for work the system does on its own account (start-up seeding, projections). */
export function systemCaller(job: string): Caller {
  return {
    kind: 'system',
    id: `system:${job}`,
    displayName: `UCP system (${job})`,
    organisation: undefined,
    roles: [],
    permissions: new Set(),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: 'administration',
    clientAddress: undefined,
    sessionId: undefined,
  };
}

/**
 * A machine client as it acts: its roles' permissions, its scopes, the organisation it acts for.
 * The one shape of a client caller, whether read from its token or from its registration.
 */
export function clientCaller(client: {
  clientId: string;
  organisation: CallerOrganisation | undefined;
  roles: readonly Role[];
  scopes: Caller['scopes'];
  clientAddress?: string | undefined;
}): Caller {
  return {
    kind: 'client',
    id: client.clientId,
    displayName: `OAuth client ${client.clientId}`,
    organisation: client.organisation,
    roles: client.roles,
    permissions: permissionsOf(client.roles),
    scopes: client.scopes,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: defaultPurposeOfUse(client.roles),
    clientAddress: client.clientAddress,
    sessionId: undefined,
  };
}
