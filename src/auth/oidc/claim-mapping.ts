import { isRole, ROLES, type Role } from '../../access/roles.js';
import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import { OidcLoginError } from './oidc-login-error.js';
import type { ClaimMapping, NhsRbacClaims, RoleTable } from './provider-config.js';

/** Who the identity provider says the person is, in the platform's terms. */
export interface MappedIdentity {
  subject: string;
  displayName: string;
  email: string;
  /** The provider's `email_verified`, when it sent one. */
  emailVerified: boolean | undefined;
  nhsNumber: string | undefined;
  professionalRegistrationId: string | undefined;
  odsCode: string;
  /** `platform`: the roles are the ones already held here (the mapping's role source is `platform`). */
  roles: readonly Role[] | 'platform';
  /** External role values that mapped to nothing, for the log. */
  ignoredRoleValues: readonly string[];
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const ODS_CODE = /^[A-Z0-9]{3,10}$/;

/**
 * Applies a provider's claim mapping to the claims of one sign-in (ID token, merged with
 * UserInfo when configured). Pure: whether the organisation exists is for the caller to check.
 */
export function mapClaims(mapping: ClaimMapping, claims: Readonly<Record<string, unknown>>): MappedIdentity {
  const subject = scalarClaim(claims, mapping.subject);
  if (subject === undefined) throw missing(`the subject claim '${mapping.subject}' is missing`);
  const displayName = firstPresent(claims, mapping.displayName);
  if (displayName === undefined) throw missing(`no display name in the claims ${mapping.displayName.join(', ')}`);
  const email = mapping.email.map((name) => scalarClaim(claims, name)).find((value) => value !== undefined && EMAIL.test(value));
  if (email === undefined) throw missing(`no email address in the claims ${mapping.email.join(', ')}`);
  const verified = claimValue(claims, 'email_verified');

  const selectedRbacRole =
    mapping.organisation.from === 'nhs-rbac' || mapping.roles.from === 'nhs-rbac'
      ? selectedNhsRbacRole(claims, mapping.nhsRbac)
      : undefined;
  const odsCode = organisationOf(mapping, claims, selectedRbacRole);
  const { roles, ignored } = rolesOf(mapping, claims, selectedRbacRole);

  const rawNhsNumber = mapping.nhsNumber === undefined ? undefined : scalarClaim(claims, mapping.nhsNumber)?.replace(/\s/g, '');
  const nhsNumber = rawNhsNumber !== undefined && isValidNhsNumber(rawNhsNumber) ? rawNhsNumber : undefined;
  if (roles !== 'platform' && roles.includes('patient')) {
    if (roles.length > 1)
      throw new OidcLoginError(
        'unmapped-role',
        `the role patient cannot be combined with ${roles.filter((r) => r !== 'patient').join(', ')}`,
      );
    if (nhsNumber === undefined) throw missing('the role patient needs a valid NHS number in the claims');
  }
  return {
    subject,
    displayName,
    email,
    emailVerified: typeof verified === 'boolean' ? verified : undefined,
    nhsNumber,
    professionalRegistrationId:
      mapping.professionalRegistrationId === undefined ? undefined : scalarClaim(claims, mapping.professionalRegistrationId),
    odsCode,
    roles,
    ignoredRoleValues: ignored,
  };
}

/**
 * A claim by its name, or, when no claim has that name and it contains dots, by walking the
 * path (`realm_access.roles`). Names are tried whole first because some providers put dots or
 * URLs in claim names.
 */
export function claimValue(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A claim as a trimmed non-empty string; numbers are accepted (some providers send ids as numbers). */
function scalarClaim(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = claimValue(claims, name);
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return text === '' ? undefined : text;
}

function firstPresent(claims: Readonly<Record<string, unknown>>, names: readonly string[]): string | undefined {
  return names.map((name) => scalarClaim(claims, name)).find((value) => value !== undefined);
}

/** A claim holding a list: an array of strings, or one string separated by spaces or commas. */
function listClaim(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = claimValue(claims, name);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((item) => item !== '');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

interface NhsRbacRole {
  orgCode: string;
  roleCode: string;
}

/**
 * The national RBAC role the person chose at sign-in. Without a selected role id the person
 * must hold exactly one role, or the choice would be ours to guess.
 */
function selectedNhsRbacRole(claims: Readonly<Record<string, unknown>>, names: NhsRbacClaims): NhsRbacRole {
  const list = claimValue(claims, names.rolesClaim);
  const roles = (Array.isArray(list) ? list : []).filter(
    (item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item),
  );
  if (roles.length === 0) throw missing(`no national RBAC roles in the claim '${names.rolesClaim}'`);
  const selectedId = scalarClaim(claims, names.selectedRoleClaim);
  const chosen =
    selectedId === undefined
      ? roles.length === 1
        ? roles[0]
        : undefined
      : roles.find((role) => String(role['person_roleid']) === selectedId);
  if (!chosen) {
    throw missing(
      selectedId === undefined
        ? `several national RBAC roles and no '${names.selectedRoleClaim}' saying which one was chosen`
        : `the selected role ${selectedId} is not among the roles in '${names.rolesClaim}'`,
    );
  }
  const orgCode = chosen['org_code'];
  const roleCode = chosen['role_code'];
  if (typeof orgCode !== 'string' || typeof roleCode !== 'string')
    throw missing('the selected national RBAC role has no org_code or role_code');
  return { orgCode, roleCode };
}

function organisationOf(mapping: ClaimMapping, claims: Readonly<Record<string, unknown>>, rbac: NhsRbacRole | undefined): string {
  const source = mapping.organisation;
  let raw: string | undefined;
  if (source.from === 'fixed') raw = source.odsCode;
  else if (source.from === 'nhs-rbac') raw = rbac?.orgCode;
  else {
    const value = claimValue(claims, source.claim);
    // A single-valued array is how some providers send every custom attribute.
    raw = Array.isArray(value) && value.length === 1 ? scalarClaim({ v: value[0] }, 'v') : scalarClaim(claims, source.claim);
    if (raw === undefined) throw new OidcLoginError('unknown-organisation', `no organisation (ODS code) in the claim '${source.claim}'`);
  }
  const odsCode = raw?.trim().toUpperCase();
  if (odsCode === undefined || !ODS_CODE.test(odsCode)) {
    throw new OidcLoginError('unknown-organisation', `'${raw ?? ''}' is not an ODS code`);
  }
  return odsCode;
}

function rolesOf(
  mapping: ClaimMapping,
  claims: Readonly<Record<string, unknown>>,
  rbac: NhsRbacRole | undefined,
): { roles: readonly Role[] | 'platform'; ignored: string[] } {
  const source = mapping.roles;
  if (source.from === 'platform') return { roles: 'platform', ignored: [] };
  let values: string[];
  let translate: (value: string) => readonly Role[];
  if (source.from === 'claim') {
    values = listClaim(claims, source.claim);
    translate = (value) => (isRole(value) ? [value] : []);
  } else if (source.from === 'claim-table') {
    values = listClaim(claims, source.claim);
    translate = fromTable(source.table);
  } else {
    // `S8000:G8000:R8000`: staff group, sub-group, job role. The job role decides.
    values = rbac === undefined ? [] : [rbac.roleCode.split(':').at(-1) ?? rbac.roleCode];
    translate = fromTable(source.table);
  }
  const granted = new Set<Role>();
  const ignored: string[] = [];
  for (const value of values) {
    const roles = translate(value);
    if (roles.length === 0) ignored.push(value);
    for (const role of roles) granted.add(role);
  }
  if (granted.size === 0) {
    const held = values.length === 0 ? 'no roles' : `only ${values.join(', ')}`;
    throw new OidcLoginError('unmapped-role', `the identity provider gives ${held}, none of which maps to a role here`);
  }
  return { roles: ROLES.filter((role) => granted.has(role)), ignored };
}

function fromTable(table: RoleTable): (value: string) => readonly Role[] {
  return (value) => (Object.hasOwn(table, value) ? (table[value] ?? []) : []);
}

function missing(detail: string): OidcLoginError {
  return new OidcLoginError('claims-missing', detail);
}
