/**
 * Roles are names people recognise; code checks permissions. Each role grants a fixed set of
 * permissions; a user's permissions in an organisation are the union of their roles there.
 */
export const ROLES = [
  'viewer',
  'contributor',
  'clinician',
  'senior-clinician',
  'org-admin',
  'platform-admin',
  'auditor',
  'patient',
  'clinical-designer',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read care plans of people the caller has a legitimate relationship with. */
  'plan:read',
  /** Draft and edit the non-clinical sections of a plan. */
  'plan:write-non-clinical',
  /** Create, edit and publish plans, including clinical sections. */
  'plan:write-clinical',
  /** Record CPR / ReSPECT recommendations and approve plans. */
  'plan:approve',
  /** Read one's own plan (a person reading their own record). */
  'plan:read-own',
  /** Propose changes to one's own plan, in a draft of one's own a professional merges. */
  'plan:propose-own',
  /** Manage the users of one's own organisation. */
  'org:manage-users',
  /** Manage organisations, templates and identity providers. */
  'platform:admin',
  /** Read audit reports. */
  'audit:read',
  /** Run queries across the whole population (AQL without a per-person relationship). */
  'population:query',
  /** For machine clients only: act on any person's record without a relationship (integrations, data migration); always audited. */
  'records:administer',
  /** Draft, review, publish, roll back and retire pathway versions (src/designer); a version is published only after a second designer's review. */
  'pathway:design',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['plan:read'],
  contributor: ['plan:read', 'plan:write-non-clinical'],
  clinician: ['plan:read', 'plan:write-non-clinical', 'plan:write-clinical'],
  'senior-clinician': ['plan:read', 'plan:write-non-clinical', 'plan:write-clinical', 'plan:approve'],
  'org-admin': ['org:manage-users'],
  'platform-admin': ['platform:admin', 'org:manage-users', 'population:query', 'records:administer'],
  auditor: ['audit:read'],
  patient: ['plan:read-own', 'plan:propose-own'],
  'clinical-designer': ['pathway:design'],
};

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles that give care; a caller holding one acts for direct care by default. */
export const CARE_ROLES: readonly Role[] = ['viewer', 'contributor', 'clinician', 'senior-clinician'];
