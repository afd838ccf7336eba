import { getJson, request } from './http';

/** The administration API (/api/users, /api/clients, …) as the admin pages use it. */

export interface Organisation {
  odsCode: string;
  name: string;
  kind: string;
  ics: string;
  dataSecurityStatus: string;
}

export interface AdminUser {
  id: string;
  displayName: string;
  email: string;
  professionalRegistrationId?: string;
  status: 'active' | 'disabled' | 'locked';
  disabledAt?: string;
  lockedUntil?: string;
  localAccount?: { username: string; mustChangePassword: boolean; secondFactor: 'enrolled' | 'pending' | 'none' };
  memberships: { odsCode: string; organisationName: string; roles: string[] }[];
  pendingRoles: { id: string; odsCode: string; role: string }[];
}

export interface MachineClient {
  clientId: string;
  name: string;
  organisation?: string;
  roles: string[];
  scopes: string[];
  status: 'active' | 'disabled';
  createdAt: string;
  disabledAt?: string;
  bootstrap: boolean;
}

export interface ClientWithSecret {
  client: MachineClient;
  secret: string;
}

export interface IdentityProviderSettings {
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientAuthentication: string;
  scopes: string[];
  loginPath: string;
  createUsers: boolean;
  linkByVerifiedEmail: boolean;
  userInfo: boolean;
  allowInsecureHttp: boolean;
  organisationFrom: string;
  rolesFrom: string;
  roleTable?: Record<string, string[]>;
}

export interface Pathway {
  id: string;
  title: string;
  reviewMaxMonths: number;
  approval: 'senior' | 'clinician';
  modules: { id: string; title: string; templateId: string; kind: string; seniorDecision: boolean }[];
}

export interface RoleGrant {
  id: string;
  userId: string;
  odsCode: string;
  role: string;
  requestedBy?: string;
  requestedAt?: string;
}

export const listOrganisations = () => getJson<Organisation[]>('/api/organisations');

export function listUsers(query: { organisation?: string; q?: string; offset?: number }): Promise<{ users: AdminUser[]; total: number }> {
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

export async function giveRoles(userId: string, roles: string[]): Promise<{ roles: string[]; pendingRoles: RoleGrant[] }> {
  return (await request<{ roles: string[]; pendingRoles: RoleGrant[] }>(`/api/users/${userId}/roles`, { method: 'POST', body: { roles } }))
    .body;
}

export async function removeRole(userId: string, role: string): Promise<void> {
  await request(`/api/users/${userId}/roles/${role}`, { method: 'DELETE' });
}

export const openRoleGrants = () => getJson<RoleGrant[]>('/api/role-grants');

export async function decideRoleGrant(grantId: string, decision: 'approve' | 'refuse'): Promise<void> {
  await request(`/api/role-grants/${grantId}/${decision}`, { method: 'POST' });
}

export interface NewUser {
  displayName: string;
  email: string;
  username: string;
  temporaryPassword: string;
  roles: string[];
  professionalRegistrationId?: string;
}

export async function addUser(user: NewUser): Promise<{ id: string; roles: string[]; pendingRoles: RoleGrant[] }> {
  return (await request<{ id: string; roles: string[]; pendingRoles: RoleGrant[] }>('/api/users', { method: 'POST', body: user })).body;
}

export const listClients = () => getJson<MachineClient[]>('/api/clients');

export interface NewClient {
  clientId?: string;
  name: string;
  organisation: string;
  roles: string[];
  scopes: string[];
}

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
export const ROLE_CHOICES = [
  { value: 'viewer', text: 'Viewer: reads plans (ambulance crews, NHS 111)' },
  { value: 'contributor', text: 'Contributor: non-clinical sections (care home staff)' },
  { value: 'clinician', text: 'Clinician: writes and publishes plans' },
  { value: 'senior-clinician', text: 'Senior clinician: ReSPECT and CPR decisions, approval' },
  { value: 'org-admin', text: 'Organisation administrator' },
  { value: 'auditor', text: 'Auditor' },
];

export const ROLE_NAMES: Record<string, string> = {
  viewer: 'Viewer',
  contributor: 'Contributor',
  clinician: 'Clinician',
  'senior-clinician': 'Senior clinician',
  'org-admin': 'Organisation administrator',
  'platform-admin': 'Platform administrator',
  auditor: 'Auditor',
  patient: 'Patient (own plan)',
};

export const SCOPE_CHOICES = [
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
