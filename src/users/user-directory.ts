import { isRole, type Role } from '../access/roles.js';
import type { Queryable } from '../db/database.js';
import { isUuid } from '../shared/uuid.js';

/**
 * Users as an administrator sees them: who they are, where they hold which roles, whether they
 * can sign in, and how (local account, second factor). Never a hash or a secret.
 */
export interface UserSummary {
  id: string;
  displayName: string;
  email: string;
  professionalRegistrationId: string | undefined;
  /** `locked`: the local account is locked out after failed sign-ins (until `lockedUntil`). Disabled wins over locked. */
  status: 'active' | 'disabled' | 'locked';
  disabledAt: Date | undefined;
  lockedUntil: Date | undefined;
  /** Undefined when the user signs in only through single sign-on. */
  localAccount:
    | {
        username: string;
        mustChangePassword: boolean;
        /** `pending`: an enrolment was started but not confirmed with a first code. */
        secondFactor: 'enrolled' | 'pending' | 'none';
      }
    | undefined;
  memberships: { odsCode: string; organisationName: string; roles: Role[] }[];
  /** Privileged roles waiting for a second administrator. */
  pendingRoles: { id: string; odsCode: string; role: Role }[];
}

export interface UserListQuery {
  /** Only members of this organisation; all users when undefined. */
  odsCode: string | undefined;
  /** Part of the name, email address or username, in any case. */
  search?: string | undefined;
  limit: number;
  offset: number;
}

type SummaryRow = {
  id: string;
  display_name: string;
  email: string;
  professional_registration_id: string | null;
  disabled_at: Date | string | null;
  username: string | null;
  must_change_password: boolean | null;
  locked_until: Date | string | null;
  totp_enrolled: boolean | null;
  totp_pending: boolean | null;
  total: number | string;
};

const SUMMARY_SELECT = `SELECT u.id::text AS id, u.display_name, u.email, u.professional_registration_id, u.disabled_at,
  c.username, c.must_change_password, c.locked_until, c.totp_secret IS NOT NULL AS totp_enrolled,
  c.totp_pending_secret IS NOT NULL AS totp_pending, count(*) OVER () AS total
FROM app_user u LEFT JOIN local_credential c ON c.user_id = u.id`;

/** One page of users, by name; `total` counts every match. */
export async function listUsers(
  db: Queryable,
  query: UserListQuery,
  now: Date = new Date(),
): Promise<{ users: UserSummary[]; total: number }> {
  const search = query.search?.trim().toLowerCase();
  const pattern = search ? `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
  const { rows } = await db.query<SummaryRow>(
    `${SUMMARY_SELECT}
     WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.ods_code = $1::text))
       AND ($2::text IS NULL OR lower(u.display_name) LIKE $2::text OR lower(u.email) LIKE $2::text OR lower(c.username) LIKE $2::text)
     ORDER BY lower(u.display_name), u.id
     LIMIT $3 OFFSET $4`,
    [query.odsCode ?? null, pattern, query.limit, query.offset],
  );
  return { users: await withMemberships(db, rows, now), total: Number(rows[0]?.total ?? 0) };
}

/** One user's summary; undefined when there is no such user. */
export async function findUserSummary(db: Queryable, userId: string, now: Date = new Date()): Promise<UserSummary | undefined> {
  if (!isUuid(userId)) return undefined;
  const { rows } = await db.query<SummaryRow>(`${SUMMARY_SELECT} WHERE u.id = $1`, [userId]);
  return (await withMemberships(db, rows, now))[0];
}

type MembershipRow = { user_id: string; ods_code: string; name: string; roles: string[] };
type PendingRow = { id: string; user_id: string; ods_code: string; role: string };

async function withMemberships(db: Queryable, rows: readonly SummaryRow[], now: Date): Promise<UserSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const memberships = await db.query<MembershipRow>(
    `SELECT m.user_id::text AS user_id, o.ods_code, o.name, m.roles
     FROM membership m JOIN organisation o ON o.ods_code = m.ods_code
     WHERE m.user_id = ANY($1::uuid[]) ORDER BY o.name, o.ods_code`,
    [ids],
  );
  const pending = await db.query<PendingRow>(
    `SELECT id::text AS id, user_id::text AS user_id, ods_code, role FROM role_grant
     WHERE outcome IS NULL AND user_id = ANY($1::uuid[]) ORDER BY requested_at, id`,
    [ids],
  );
  return rows.map((row) => ({
    ...toSummary(row, now),
    memberships: memberships.rows
      .filter((membership) => membership.user_id === row.id)
      .map((membership) => ({ odsCode: membership.ods_code, organisationName: membership.name, roles: membership.roles.filter(isRole) })),
    pendingRoles: pending.rows
      .filter((grant) => grant.user_id === row.id && isRole(grant.role))
      .map((grant) => ({ id: grant.id, odsCode: grant.ods_code, role: grant.role as Role })),
  }));
}

function toSummary(row: SummaryRow, now: Date): Omit<UserSummary, 'memberships' | 'pendingRoles'> {
  const lockedUntil = row.locked_until === null ? undefined : new Date(row.locked_until);
  const locked = lockedUntil !== undefined && lockedUntil > now;
  const disabledAt = row.disabled_at === null ? undefined : new Date(row.disabled_at);
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    professionalRegistrationId: row.professional_registration_id ?? undefined,
    status: disabledAt ? 'disabled' : locked ? 'locked' : 'active',
    disabledAt,
    lockedUntil: locked ? lockedUntil : undefined,
    localAccount:
      row.username === null
        ? undefined
        : {
            username: row.username,
            mustChangePassword: row.must_change_password ?? false,
            secondFactor: row.totp_enrolled ? 'enrolled' : row.totp_pending ? 'pending' : 'none',
          },
  };
}
