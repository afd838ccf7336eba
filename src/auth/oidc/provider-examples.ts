import type { OidcProviderInput, RoleTable } from './provider-config.js';

/**
 * EXAMPLE ONLY — to be checked and adapted by the deploying organisation's information governance
 * and clinical safety officer before any use.
 *
 * NHS national RBAC job role codes (the `R…` part of a CIS2 `role_code` such as
 * `S8000:G8000:R8000`) to the platform's roles, using the rationalised "access role" codes that
 * NHS England publishes. Codes not in the table give no role here; a person whose selected role
 * maps to nothing is refused.
 */
export const NHS_RBAC_EXAMPLE_ROLE_TABLE: RoleTable = {
  // Clinical Practitioner Access Role: doctors, and others with the same record access (e.g.
  // advanced nurse practitioners). They make and approve CPR/ReSPECT recommendations.
  R8000: ['senior-clinician'],
  // Nurse Access Role.
  R8001: ['clinician'],
  // Health Professional Access Role: allied health professionals, paramedics among them.
  R8003: ['clinician'],
  // Healthcare Student Access Role: read only.
  R8004: ['viewer'],
  // Medical Secretary Access Role, Admin/Clinical Support Access Role: the non-clinical sections.
  R8006: ['contributor'],
  R8008: ['contributor'],
  // Privacy Officer, Caldicott Guardian: audit reports.
  R0001: ['auditor'],
  R5105: ['auditor'],
};

/**
 * NHS Care Identity Service 2 (smartcard and its modern alternatives), integration environment.
 * CIS2 returns roles from the UserInfo endpoint (scope `nationalrbacaccess`) and asks the person
 * to pick one role at sign-in (scope `selectedrole`); that role's organisation and job role code
 * decide the session. CIS2 expects `private_key_jwt` client authentication for confidential
 * clients; the live issuer is `https://am.nhsidentity.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare`.
 * Check the issuer, scopes and any `acr_values` against NHS England's onboarding guidance.
 */
export const CIS2_EXAMPLE: OidcProviderInput = {
  id: 'cis2',
  displayName: 'NHS smartcard or CIS2',
  issuer: 'https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare',
  clientId: '999999999999.apps.national',
  clientAuthentication: 'private_key_jwt',
  privateKeyJwkEnv: 'UCP_OIDC_CIS2_PRIVATE_JWK',
  scopes: ['openid', 'profile', 'email', 'nationalrbacaccess', 'selectedrole'],
  userInfo: true,
  createUsers: true,
  claims: {
    subject: 'sub',
    displayName: ['name'],
    email: ['email'],
    organisation: { from: 'nhs-rbac' },
    roles: { from: 'nhs-rbac', table: NHS_RBAC_EXAMPLE_ROLE_TABLE },
    nhsRbac: { rolesClaim: 'nhsid_nrbac_roles', selectedRoleClaim: 'selected_roleid' },
  },
};

/**
 * Microsoft Entra ID for one organisation's own tenant: everyone it signs in works for that
 * organisation, and app roles defined on the app registration (sent in the `roles` claim) decide
 * what they may do. `oid` is the person's immutable id across the tenant; `preferred_username`
 * stands in for email where the `email` optional claim is not configured. Group object ids in
 * the `groups` claim work the same way (`claim: 'groups'`, the table keyed by group id).
 */
export const ENTRA_EXAMPLE: OidcProviderInput = {
  id: 'entra-hospice',
  displayName: 'St Example Hospice (Microsoft)',
  issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  clientId: '11111111-1111-1111-1111-111111111111',
  clientSecretEnv: 'UCP_OIDC_ENTRA_SECRET',
  scopes: ['openid', 'profile', 'email'],
  createUsers: true,
  claims: {
    subject: 'oid',
    displayName: ['name'],
    email: ['email', 'preferred_username'],
    organisation: { from: 'fixed', odsCode: 'H1234' },
    roles: {
      from: 'claim-table',
      claim: 'roles',
      table: {
        'UCP.Viewer': ['viewer'],
        'UCP.Contributor': ['contributor'],
        'UCP.Clinician': ['clinician'],
        'UCP.SeniorClinician': ['senior-clinician'],
        'UCP.OrgAdmin': ['org-admin'],
      },
    },
  },
};

/**
 * Keycloak serving several organisations from one realm: a user attribute `ods_code` exposed as
 * a claim by a protocol mapper, and realm roles from the default `realm_access.roles` claim
 * (a dotted path). Client roles live in `resource_access.<client id>.roles` instead.
 */
export const KEYCLOAK_EXAMPLE: OidcProviderInput = {
  id: 'keycloak',
  displayName: 'Care home network (Keycloak)',
  issuer: 'https://keycloak.example.org/realms/care-homes',
  clientId: 'urgent-care-plan',
  clientSecretEnv: 'UCP_OIDC_KEYCLOAK_SECRET',
  scopes: ['openid', 'profile', 'email'],
  createUsers: true,
  claims: {
    subject: 'sub',
    displayName: ['name', 'preferred_username'],
    email: ['email'],
    organisation: { from: 'claim', claim: 'ods_code' },
    roles: {
      from: 'claim-table',
      claim: 'realm_access.roles',
      table: {
        'ucp-viewer': ['viewer'],
        'ucp-contributor': ['contributor'],
        'ucp-clinician': ['clinician'],
        'ucp-org-admin': ['org-admin'],
      },
    },
  },
};
