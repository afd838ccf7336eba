import type { OrganisationKind, DataSecurityStatus } from '../../access/caller.js';
import { isRole } from '../../access/roles.js';
import type { Queryable } from '../../db/database.js';
import type { Organisation } from '../../organisations/organisation-store.js';
import { isUuid } from '../../shared/uuid.js';
import type { StaffMember, StaffMembership } from '../resources/practitioner.js';

/**
 * The directory the FHIR facade serves beside people's data: the organisations taking part and
 * their staff (users with a role other than `patient`). Filters are the search's, in SQL; pages
 * by offset, ordered by a stable key.
 */

export interface DirectoryQuery {
  ids?: readonly string[];
  names?: readonly string[];
  updatedFrom?: Date;
  updatedBefore?: Date;
  limit: number;
  offset: number;
}

type OrganisationRow = {
  ods_code: string;
  name: string;
  kind: OrganisationKind;
  ics: string;
  data_security_status: DataSecurityStatus;
  updated_at: Date;
};

export interface DatedOrganisation {
  organisation: Organisation;
  lastUpdated: string;
}

export async function searchOrganisations(db: Queryable, query: DirectoryQuery): Promise<{ rows: DatedOrganisation[]; total: number }> {
  const where = `($1::text[] IS NULL OR ods_code = ANY($1)) AND ($2::text[] IS NULL OR name ILIKE ANY($2))
    AND ($3::timestamptz IS NULL OR updated_at >= $3) AND ($4::timestamptz IS NULL OR updated_at < $4)`;
  const parameters = [query.ids ?? null, query.names?.map(likePattern) ?? null, query.updatedFrom ?? null, query.updatedBefore ?? null];
  const { rows } = await db.query<OrganisationRow & { total: string }>(
    `SELECT ods_code, name, kind, ics, data_security_status, updated_at, count(*) OVER () AS total
     FROM organisation WHERE ${where} ORDER BY ods_code LIMIT $5 OFFSET $6`,
    [...parameters, query.limit, query.offset],
  );
  const total = rows[0] ? Number(rows[0].total) : query.offset > 0 ? await countOrganisations(db, where, parameters) : 0;
  return { rows: rows.map(toDatedOrganisation), total };
}

async function countOrganisations(db: Queryable, where: string, parameters: unknown[]): Promise<number> {
  const { rows } = await db.query<{ total: string }>(`SELECT count(*) AS total FROM organisation WHERE ${where}`, parameters);
  return Number(rows[0]?.total ?? 0);
}

function toDatedOrganisation(row: OrganisationRow): DatedOrganisation {
  return {
    organisation: { odsCode: row.ods_code, name: row.name, kind: row.kind, ics: row.ics, dataSecurityStatus: row.data_security_status },
    lastUpdated: row.updated_at.toISOString(),
  };
}

type StaffRow = { id: string; display_name: string; professional_registration_id: string | null; disabled: boolean; updated_at: Date };

const STAFF = `SELECT u.id, u.display_name, u.professional_registration_id, u.disabled_at IS NOT NULL AS disabled,
    greatest(u.created_at, coalesce(u.disabled_at, u.created_at), (SELECT max(updated_at) FROM membership WHERE user_id = u.id)) AS updated_at
  FROM app_user u
  WHERE EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND NOT ('patient' = ANY(m.roles)))`;

export async function searchStaff(
  db: Queryable,
  query: DirectoryQuery & { registrations?: readonly string[] },
): Promise<{ rows: StaffMember[]; total: number }> {
  const ids = query.ids?.filter(isUuid);
  if (query.ids !== undefined && ids?.length === 0) return { rows: [], total: 0 };
  const { rows } = await db.query<StaffRow & { total: string }>(
    `SELECT *, count(*) OVER () AS total FROM (${STAFF}) staff
     WHERE ($1::uuid[] IS NULL OR id = ANY($1)) AND ($2::text[] IS NULL OR display_name ILIKE ANY($2))
       AND ($3::text[] IS NULL OR professional_registration_id = ANY($3))
       AND ($4::timestamptz IS NULL OR updated_at >= $4) AND ($5::timestamptz IS NULL OR updated_at < $5)
     ORDER BY id LIMIT $6 OFFSET $7`,
    [
      ids ?? null,
      query.names?.map(likePattern) ?? null,
      query.registrations ?? null,
      query.updatedFrom ?? null,
      query.updatedBefore ?? null,
      query.limit,
      query.offset,
    ],
  );
  return { rows: rows.map(toStaffMember), total: rows[0] ? Number(rows[0].total) : 0 };
}

function toStaffMember(row: StaffRow): StaffMember {
  return {
    id: row.id,
    displayName: row.display_name,
    professionalRegistrationId: row.professional_registration_id ?? undefined,
    active: !row.disabled,
    lastUpdated: new Date(row.updated_at).toISOString(),
  };
}

type MembershipRow = StaffRow & OrganisationRow & { roles: string[]; membership_updated_at: Date };

export async function searchMemberships(
  db: Queryable,
  query: { userIds?: readonly string[]; odsCodes?: readonly string[]; pairs?: readonly [string, string][]; limit: number; offset: number },
): Promise<{ rows: StaffMembership[]; total: number }> {
  const userIds = query.userIds?.filter(isUuid);
  const pairs = query.pairs?.filter(([userId]) => isUuid(userId));
  const { rows } = await db.query<MembershipRow & { total: string }>(
    `SELECT u.id, u.display_name, u.professional_registration_id, u.disabled_at IS NOT NULL AS disabled, u.created_at AS updated_at,
       o.ods_code, o.name, o.kind, o.ics, o.data_security_status, m.roles, m.updated_at AS membership_updated_at,
       count(*) OVER () AS total
     FROM membership m JOIN app_user u ON u.id = m.user_id JOIN organisation o ON o.ods_code = m.ods_code
     WHERE NOT ('patient' = ANY(m.roles))
       AND ($1::uuid[] IS NULL OR m.user_id = ANY($1)) AND ($2::text[] IS NULL OR m.ods_code = ANY($2))
       AND ($3::text[] IS NULL OR (m.user_id::text || '.' || m.ods_code) = ANY($3))
     ORDER BY m.user_id, m.ods_code LIMIT $4 OFFSET $5`,
    [
      userIds ?? null,
      query.odsCodes ?? null,
      pairs?.map(([userId, ods]) => `${userId.toLowerCase()}.${ods}`) ?? null,
      query.limit,
      query.offset,
    ],
  );
  return {
    rows: rows.map((row) => ({
      user: toStaffMember(row),
      organisation: toDatedOrganisation(row).organisation,
      roles: row.roles.filter(isRole),
      lastUpdated: row.membership_updated_at.toISOString(),
    })),
    total: rows[0] ? Number(rows[0].total) : 0,
  };
}

/** `name` matches the start of any word, ignoring case (FHIR string search); `%` and `_` are literal. */
function likePattern(name: string): string {
  return `%${name.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
