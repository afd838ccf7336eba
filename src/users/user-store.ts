import { defaultPurposeOfUse, type Caller, type PurposeOfUse } from '../access/caller.js';
import { isRole, permissionsOf, ROLES, type Role } from '../access/roles.js';
import { accessChanged } from '../access/access-generation.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { findOrganisation, type Organisation } from '../organisations/organisation-store.js';
import { databaseErrorCode, UNIQUE_VIOLATION } from '../db/database-error-code.js';
import { isUuid } from '../shared/uuid.js';

/** A person who uses the platform. How they sign in (local account, single sign-on) is stored apart. */
export interface User {
  id: string;
  displayName: string;
  email: string;
  /** GMC, NMC, HCPC … number, as given. */
  professionalRegistrationId: string | undefined;
  /** Only for a person who reads their own plan (role `patient`). */
  nhsNumber: string | undefined;
  createdAt: Date;
  disabledAt: Date | undefined;
}

export interface NewUser {
  displayName: string;
  email: string;
  professionalRegistrationId?: string | undefined;
  nhsNumber?: string | undefined;
}

/** A user's roles in one organisation. */
export interface Membership {
  organisation: Organisation;
  roles: readonly Role[];
}

/** What the session or request knows beyond the user and the organisation chosen. */
export interface UserCallerContext {
  sessionId?: string | undefined;
  clientAddress?: string | undefined;
  /** Defaults from the roles: care roles act for direct care, auditors for audit, others administer. */
  purposeOfUse?: PurposeOfUse | undefined;
  launchContextNhsNumber?: string | undefined;
  breakGlassReason?: string | undefined;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const MAX_EMAIL_LENGTH = 254;

type UserRow = {
  id: string;
  display_name: string;
  email: string;
  professional_registration_id: string | null;
  nhs_number: string | null;
  created_at: Date | string;
  disabled_at: Date | string | null;
};

const USER_COLUMNS = 'id, display_name, email, professional_registration_id, nhs_number, created_at, disabled_at';

type OrganisationColumns = {
  ods_code: string;
  name: string;
  kind: Organisation['kind'];
  ics: string;
  data_security_status: Organisation['dataSecurityStatus'];
};
type MembershipRow = OrganisationColumns & { roles: string[] };

const MEMBERSHIP_COLUMNS = 'm.roles, o.ods_code, o.name, o.kind, o.ics, o.data_security_status';

/** Creates a user. A taken email (in any case) or NHS number is a conflict. */
export async function createUser(db: Queryable, input: NewUser): Promise<User> {
  const checked = checkNewUser(input);
  try {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO app_user (display_name, email, professional_registration_id, nhs_number) VALUES ($1, $2, $3, $4)
       RETURNING ${USER_COLUMNS}`,
      [checked.displayName, checked.email, checked.professionalRegistrationId ?? null, checked.nhsNumber ?? null],
    );
    const row = rows[0];
    if (!row) throw new Error('user insert returned no row');
    return toUser(row);
  } catch (error) {
    if (databaseErrorCode(error) !== UNIQUE_VIOLATION) throw error;
    const emailTaken = (await findUserByEmail(db, checked.email)) !== undefined;
    throw new AppError(
      'conflict',
      emailTaken ? `A user with the email address ${checked.email} already exists.` : 'A user with this NHS number already exists.',
      { cause: error },
    );
  }
}

export async function findUser(db: Queryable, id: string): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

/** Email addresses are compared without regard to case. */
export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE lower(email) = lower($1)`, [email.trim()]);
  return rows[0] && toUser(rows[0]);
}

/**
 * Stops a user from signing in or acting. Users are never deleted: the audit trail names them.
 * Disabling again keeps the first date. False when there is no such user.
 */
export async function disableUser(db: Queryable, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rowCount } = await db.query('UPDATE app_user SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1', [id]);
  accessChanged();
  return rowCount > 0;
}

/**
 * Lets a disabled user sign in and act again. Sessions ended by the disabling stay ended: the
 * person signs in afresh. False when there is no such user.
 */
export async function enableUser(db: Queryable, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rowCount } = await db.query('UPDATE app_user SET disabled_at = NULL WHERE id = $1', [id]);
  accessChanged();
  return rowCount > 0;
}

/**
 * Gives a user `roles` in an organisation; if they are already a member there, the roles replace
 * the ones they had. Roles must be known and at least one. `patient` stands alone and needs the
 * user's NHS number: a caller with an own NHS number may read only their own plan, so combining
 * it with a care role in the same organisation would silently take the care role away.
 */
export async function addMembership(db: Queryable, userId: string, odsCode: string, roles: readonly string[]): Promise<Membership> {
  const checkedRoles = checkRoles(roles);
  const user = await findUser(db, userId);
  if (!user) throw new AppError('not-found', `There is no user ${userId}.`);
  if (checkedRoles.includes('patient') && user.nhsNumber === undefined) {
    throw new AppError('bad-request', `The user ${userId} has no NHS number, which the role patient needs.`);
  }
  const organisation = await findOrganisation(db, odsCode);
  if (!organisation) throw new AppError('not-found', `There is no organisation with ODS code ${odsCode}.`);
  try {
    await db.query(
      `INSERT INTO membership (user_id, ods_code, roles) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, ods_code) DO UPDATE SET roles = excluded.roles, updated_at = now()`,
      [user.id, organisation.odsCode, checkedRoles],
    );
  } catch (error) {
    if (databaseErrorCode(error) === '23503') {
      throw new AppError('not-found', `The user or the organisation ${odsCode} was removed meanwhile.`, { cause: error });
    }
    throw error;
  }
  accessChanged();
  return { organisation, roles: checkedRoles };
}

/** Ends a user's membership of an organisation. False when they were not a member. */
export async function removeMembership(db: Queryable, userId: string, odsCode: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const { rowCount } = await db.query('DELETE FROM membership WHERE user_id = $1 AND ods_code = $2', [userId, odsCode]);
  accessChanged();
  return rowCount > 0;
}

/** The organisations a user belongs to, with their roles in each, by organisation name. */
export async function membershipsOf(db: Queryable, userId: string): Promise<Membership[]> {
  if (!isUuid(userId)) return [];
  const { rows } = await db.query<MembershipRow>(
    `SELECT ${MEMBERSHIP_COLUMNS} FROM membership m JOIN organisation o ON o.ods_code = m.ods_code
     WHERE m.user_id = $1 ORDER BY o.name, o.ods_code`,
    [userId],
  );
  return rows.map(toMembership);
}

/**
 * The Caller for a user acting for one of their organisations: permissions from their roles
 * there only, and for the role `patient` their own NHS number, which limits them to their own
 * plan. The user and the membership are read afresh, so a user disabled or removed since
 * signing in gets `forbidden`.
 */
export async function callerForUser(
  db: Queryable,
  user: Pick<User, 'id'>,
  odsCode: string,
  context: UserCallerContext = {},
): Promise<Caller> {
  const { rows } = isUuid(user.id)
    ? await db.query<MemberRow>(
        `SELECT ${MEMBER_COLUMNS}
         FROM membership m JOIN organisation o ON o.ods_code = m.ods_code JOIN app_user u ON u.id = m.user_id
         WHERE m.user_id = $1 AND m.ods_code = $2`,
        [user.id, odsCode],
      )
    : { rows: [] };
  return callerForMember(rows[0], user.id, odsCode, context);
}

/**
 * What `callerForUser` reads about a user's membership of one organisation, for a statement that
 * reads it together with something else (the session): select MEMBER_COLUMNS from a left join of
 * `membership m`, `organisation o` and `app_user u`. Every column is prefixed, so that it does not
 * clash with the other table's.
 */
export const MEMBER_COLUMNS = `m.roles AS member_roles, o.ods_code AS member_ods_code, o.name AS member_org_name,
  o.kind AS member_org_kind, o.ics AS member_org_ics, o.data_security_status AS member_org_dsp,
  u.display_name AS member_display_name, u.nhs_number AS member_nhs_number, u.disabled_at IS NOT NULL AS member_disabled,
  u.professional_registration_id AS member_registration`;

export type MemberRow = {
  member_roles: string[] | null;
  member_ods_code: string | null;
  member_org_name: string | null;
  member_org_kind: Organisation['kind'] | null;
  member_org_ics: string | null;
  member_org_dsp: Organisation['dataSecurityStatus'] | null;
  member_display_name: string | null;
  member_nhs_number: string | null;
  member_disabled: boolean | null;
  member_registration?: string | null;
};

/** The Caller for a membership row read with MEMBER_COLUMNS (none, or a null one: not a member). */
export function callerForMember(row: MemberRow | undefined, userId: string, odsCode: string, context: UserCallerContext = {}): Caller {
  const organisationOf = (member: MemberRow): Organisation | undefined =>
    member.member_ods_code !== null &&
    member.member_org_name !== null &&
    member.member_org_kind !== null &&
    member.member_org_ics !== null &&
    member.member_org_dsp !== null
      ? {
          odsCode: member.member_ods_code,
          name: member.member_org_name,
          kind: member.member_org_kind,
          ics: member.member_org_ics,
          dataSecurityStatus: member.member_org_dsp,
        }
      : undefined;
  const organisation = row && organisationOf(row);
  if (!row?.member_roles || !organisation) {
    throw new AppError('forbidden', `The user ${userId} is not a member of the organisation ${odsCode}.`);
  }
  if (row.member_disabled) throw new AppError('forbidden', `The user ${userId} is disabled.`);
  // A role a release no longer knows is dropped, never trusted.
  const roles = row.member_roles.filter(isRole);
  const isPatient = roles.includes('patient');
  const nhsNumber = row.member_nhs_number;
  if (isPatient && nhsNumber === null) {
    throw new AppError('forbidden', `The user ${userId} has the role patient but no NHS number.`);
  }
  return {
    kind: 'user',
    id: userId,
    displayName: row.member_display_name ?? '',
    organisation,
    roles,
    permissions: permissionsOf(roles),
    scopes: undefined,
    launchContextNhsNumber: context.launchContextNhsNumber,
    ownNhsNumber: isPatient ? (nhsNumber ?? undefined) : undefined,
    professionalRegistrationId: row.member_registration ?? undefined,
    breakGlassReason: context.breakGlassReason,
    purposeOfUse: isPatient ? 'self' : (context.purposeOfUse ?? defaultPurposeOfUse(roles)),
    clientAddress: context.clientAddress,
    sessionId: context.sessionId,
  };
}

function checkNewUser(input: NewUser): NewUser {
  const displayName = input.displayName.trim();
  const email = input.email.trim();
  const professionalRegistrationId = input.professionalRegistrationId?.trim() || undefined;
  const nhsNumber = input.nhsNumber?.replace(/\s/g, '') || undefined;
  const problems: string[] = [];
  if (displayName === '') problems.push('the display name is empty');
  if (!EMAIL.test(email) || email.length > MAX_EMAIL_LENGTH) problems.push(`'${email}' is not an email address`);
  if (nhsNumber !== undefined && !isValidNhsNumber(nhsNumber)) problems.push(`'${input.nhsNumber ?? ''}' is not a valid NHS number`);
  if (problems.length > 0) throw new AppError('bad-request', `The user is not valid: ${problems.join('; ')}.`);
  return { displayName, email, professionalRegistrationId, nhsNumber };
}

/** Known roles, each once, in the order of ROLES. */
function checkRoles(roles: readonly string[]): Role[] {
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    throw new AppError('bad-request', `Unknown role(s): ${unknown.join(', ')}. Known roles: ${ROLES.join(', ')}.`);
  }
  const checked = ROLES.filter((role) => roles.includes(role));
  if (checked.length === 0) throw new AppError('bad-request', 'A membership needs at least one role.');
  if (checked.includes('patient') && checked.length > 1) {
    throw new AppError('bad-request', 'The role patient cannot be combined with other roles in the same organisation.');
  }
  return checked;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    professionalRegistrationId: row.professional_registration_id ?? undefined,
    nhsNumber: row.nhs_number ?? undefined,
    createdAt: new Date(row.created_at),
    disabledAt: row.disabled_at === null ? undefined : new Date(row.disabled_at),
  };
}

function toMembership(row: MembershipRow): Membership {
  return {
    organisation: { odsCode: row.ods_code, name: row.name, kind: row.kind, ics: row.ics, dataSecurityStatus: row.data_security_status },
    // A role a release no longer knows is dropped, never trusted.
    roles: row.roles.filter(isRole),
  };
}
