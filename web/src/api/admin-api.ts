import type { Static } from 'typebox';
import type {
  ClientSchema,
  CreatedUserSchema,
  IdentityProviderSchema,
  NewClientSchema,
  NewUserSchema,
  OrganisationSchema,
  RoleGrantSchema,
  RolesOutcomeSchema,
  UserListSchema,
  UserSummarySchema,
  WithSecretSchema,
} from '../../../src/api/administration/administration-schemas';
import type { PathwayListSchema } from '../../../src/careplan/http/care-plan-schemas';
import { getJson, request } from './http';

/** The administration API (/api/users, /api/clients, …) as the admin pages use it. */

// The administration API's answers and bodies, typed by its schemas (src/api/administration/administration-schemas.ts).
export type Organisation = Static<typeof OrganisationSchema>;
export type AdminUser = Static<typeof UserSummarySchema>;
export type MachineClient = Static<typeof ClientSchema>;
export type ClientWithSecret = Static<typeof WithSecretSchema>;
export type IdentityProviderSettings = Static<typeof IdentityProviderSchema>;
export type RoleGrant = Static<typeof RoleGrantSchema>;
/** A pathway as listed without its forms (GET /api/care-plans/pathways). */
export type Pathway = Static<typeof PathwayListSchema>['pathways'][number];

/** A role as the platform names it (every role a membership may hold). */
export type Role = AdminUser['memberships'][number]['roles'][number];

export const listOrganisations = () => getJson<Organisation[]>('/api/organisations');

export function listUsers(query: { organisation?: string; q?: string; offset?: number }): Promise<Static<typeof UserListSchema>> {
  const parameters = new URLSearchParams();
  if (query.organisation) parameters.set('organisation', query.organisation);
  if (query.q) parameters.set('q', query.q);
  if (query.offset) parameters.set('offset', String(query.offset));
  const search = parameters.toString();
  return getJson(`/api/users${search ? `?${search}` : ''}`);
}

export const getUser = (userId: string) => getJson<AdminUser>(`/api/users/${userId}`);

export type AccountChange = 'disable' | 'enable' | 'unlock' | 'second-factor-reset';

export async function changeAccount(userId: string, change: AccountChange): Promise<AdminUser> {
  return (await request<AdminUser>(`/api/users/${userId}/${change}`, { method: 'POST' })).body;
}

export async function resetPassword(userId: string, temporaryPassword: string): Promise<void> {
  await request(`/api/users/${userId}/password-reset`, { method: 'POST', body: { temporaryPassword } });
}

export async function giveRoles(userId: string, roles: Role[]): Promise<Static<typeof RolesOutcomeSchema>> {
  return (await request<Static<typeof RolesOutcomeSchema>>(`/api/users/${userId}/roles`, { method: 'POST', body: { roles } })).body;
}

export async function removeRole(userId: string, role: string): Promise<void> {
  await request(`/api/users/${userId}/roles/${role}`, { method: 'DELETE' });
}

export const openRoleGrants = () => getJson<RoleGrant[]>('/api/role-grants');

export async function decideRoleGrant(grantId: string, decision: 'approve' | 'refuse'): Promise<void> {
  await request(`/api/role-grants/${grantId}/${decision}`, { method: 'POST' });
}

export type NewUser = Static<typeof NewUserSchema>;

export async function addUser(user: NewUser): Promise<Static<typeof CreatedUserSchema>> {
  return (await request<Static<typeof CreatedUserSchema>>('/api/users', { method: 'POST', body: user })).body;
}

export const listClients = () => getJson<MachineClient[]>('/api/clients');

export type NewClient = Static<typeof NewClientSchema>;

export async function registerClient(client: NewClient): Promise<ClientWithSecret> {
  return (await request<ClientWithSecret>('/api/clients', { method: 'POST', body: client })).body;
}

export async function rotateClientSecret(clientId: string): Promise<ClientWithSecret> {
  return (await request<ClientWithSecret>(`/api/clients/${encodeURIComponent(clientId)}/secret-rotation`, { method: 'POST' })).body;
}

export async function disableClient(clientId: string): Promise<MachineClient> {
  return (await request<MachineClient>(`/api/clients/${encodeURIComponent(clientId)}/disable`, { method: 'POST' })).body;
}

export const listIdentityProviders = () => getJson<IdentityProviderSettings[]>('/api/identity-providers');

export const listPathways = async () => (await getJson<{ pathways: Pathway[] }>('/api/care-plans/pathways')).pathways;

/** Roles people recognise, as an administrator gives them: never the platform's own. */
export const ROLE_CHOICES: readonly { value: NewUser['roles'][number]; text: string }[] = [
  { value: 'viewer', text: 'Viewer: reads plans (ambulance crews, NHS 111)' },
  { value: 'contributor', text: 'Contributor: non-clinical sections (care home staff)' },
  { value: 'clinician', text: 'Clinician: writes and publishes plans' },
  { value: 'senior-clinician', text: 'Senior clinician: ReSPECT and CPR decisions, approval' },
  { value: 'org-admin', text: 'Organisation administrator' },
  { value: 'auditor', text: 'Auditor' },
  { value: 'clinical-designer', text: 'Clinical designer: designs care pathways and templates, and reviews them' },
];

/** Every role's name (a role the server adds fails the typecheck here until it has one). */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  viewer: 'Viewer',
  contributor: 'Contributor',
  clinician: 'Clinician',
  'senior-clinician': 'Senior clinician',
  'org-admin': 'Organisation administrator',
  'platform-admin': 'Platform administrator',
  auditor: 'Auditor',
  patient: 'Patient (own plan)',
  'clinical-designer': 'Clinical designer',
} satisfies Record<Role, string>;

export const SCOPE_CHOICES: readonly { value: NewClient['scopes'][number]; text: string }[] = [
  { value: 'plan:read', text: 'plan:read — read care plans through the platform API' },
  { value: 'plan:write', text: 'plan:write — create and change care plans' },
  { value: 'fhir:read', text: 'fhir:read — read through the FHIR API' },
  { value: 'fhir:write', text: 'fhir:write — FHIR subscriptions' },
  { value: 'openehr:read', text: 'openehr:read — read through the openEHR API' },
  { value: 'openehr:write', text: 'openehr:write — write through the openEHR API' },
  { value: 'aql:query', text: 'aql:query — run AQL queries' },
  { value: 'admin', text: 'admin — administration (users of its organisation)' },
  { value: 'audit:all-organisations', text: 'audit:all-organisations — every organisation’s entries in access reports' },
];
