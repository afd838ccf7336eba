import { randomUUID } from 'node:crypto';
import { hasPermission, type Caller } from '../access/caller.js';
import { isRole, type Role } from '../access/roles.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isUuid } from '../shared/uuid.js';
import { addMembership, membershipsOf } from './user-store.js';

/**
 * Who may give whom which role. Separation of duties:
 *
 * - Nobody changes their own roles.
 * - Roles are given by an administrator (`org:manage-users`) acting for the organisation the
 *   roles are in. Ordinary roles take effect at once.
 * - Privileged roles — `senior-clinician` (records CPR and ReSPECT decisions), `auditor` (reads
 *   the audit trail), `org-admin` (gives roles) and `clinical-designer` (changes the pathways every
 *   plan is written with) — need a second person: the request waits
 *   until another administrator of that organisation, or a platform administrator acting for
 *   another organisation, approves it. Neither the one who asked nor the person concerned may.
 *   So no administrator can make themselves, a friend or an accomplice a decision-maker, an
 *   auditor or an administrator alone.
 * - `platform-admin` is never given through the API (only by the installation's operator).
 */
export const PRIVILEGED_ROLES: readonly Role[] = ['senior-clinician', 'auditor', 'org-admin', 'clinical-designer'];

export interface RoleGrantOutcome {
  /** Roles now held (in this organisation). */
  granted: Role[];
  /** Privileged roles waiting for a second person, with the request ids. */
  pending: { id: string; role: Role }[];
}

export interface PendingRoleGrant {
  id: string;
  userId: string;
  odsCode: string;
  role: Role;
  requestedBy: string;
  requestedAt: string;
}

/** Gives `roles` in `odsCode` to `userId`: ordinary ones now, privileged ones as requests. */
export async function requestRoles(
  db: Queryable,
  requester: Caller,
  userId: string,
  odsCode: string,
  roles: readonly string[],
): Promise<RoleGrantOutcome> {
  mayAdminister(requester, odsCode);
  if (requester.id === userId) throw new AppError('forbidden', 'Nobody changes their own roles; ask another administrator.');
  const wanted = [...new Set(roles)];
  const unknown = wanted.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new AppError('bad-request', `Unknown role(s): ${unknown.join(', ')}.`);
  if (wanted.includes('platform-admin'))
    throw new AppError('forbidden', 'platform-admin is given by the installation, not through the API.');
  const privileged = wanted.filter((role): role is Role => PRIVILEGED_ROLES.includes(role as Role));
  const ordinary = wanted.filter((role): role is Role => !PRIVILEGED_ROLES.includes(role as Role));
  const held = await rolesIn(db, userId, odsCode);
  const granted = ordinary.length > 0 ? (await addMembership(db, userId, odsCode, [...new Set([...held, ...ordinary])])).roles : held;
  const pending: { id: string; role: Role }[] = [];
  for (const role of privileged.filter((role) => !granted.includes(role))) {
    const id = randomUUID();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO role_grant (id, user_id, ods_code, role, requested_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, ods_code, role) WHERE outcome IS NULL DO UPDATE SET requested_at = role_grant.requested_at
       RETURNING id::text AS id`,
      [id, userId, odsCode, role, requester.id],
    );
    pending.push({ id: rows[0]?.id ?? id, role });
  }
  return { granted: [...granted], pending };
}

/** The second person's decision on a request. Approving adds the role to the person's membership. */
export async function decideRoleGrant(db: Queryable, decider: Caller, grantId: string, approve: boolean): Promise<PendingRoleGrant> {
  const grant = isUuid(grantId) ? await findOpenGrant(db, grantId) : undefined;
  if (!grant) throw new AppError('not-found', `There is no open role request ${grantId}.`);
  const sameOrganisation = decider.organisation?.odsCode === grant.odsCode;
  const crossPlatform = hasPermission(decider, 'platform:admin') && decider.organisation !== undefined && !sameOrganisation;
  if (!((sameOrganisation && hasPermission(decider, 'org:manage-users')) || crossPlatform)) {
    throw new AppError(
      'forbidden',
      `A role request of ${grant.odsCode} is decided by another administrator of ${grant.odsCode}, or a platform administrator acting for another organisation.`,
    );
  }
  if (decider.id === grant.requestedBy) throw new AppError('forbidden', 'The one who asked for a privileged role cannot also approve it.');
  if (decider.id === grant.userId) throw new AppError('forbidden', 'Nobody decides on their own roles.');
  const { rowCount } = await db.query(
    `UPDATE role_grant SET outcome = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND outcome IS NULL`,
    [grant.id, approve ? 'approved' : 'refused', decider.id],
  );
  if (rowCount === 0) throw new AppError('conflict', `The role request ${grantId} was decided meanwhile.`);
  if (approve)
    await addMembership(db, grant.userId, grant.odsCode, [...new Set([...(await rolesIn(db, grant.userId, grant.odsCode)), grant.role])]);
  return grant;
}

/** Open requests of the organisation the caller administers, oldest first. */
export async function openRoleGrants(db: Queryable, caller: Caller): Promise<PendingRoleGrant[]> {
  const odsCode = caller.organisation?.odsCode;
  if (!odsCode) throw new AppError('forbidden', 'Role requests are listed for the organisation you act for; you act for none.');
  const { rows } = await db.query<GrantRow>(`${SELECT_GRANT} WHERE outcome IS NULL AND ods_code = $1 ORDER BY requested_at, id`, [odsCode]);
  return rows.map(toGrant);
}

function mayAdminister(caller: Caller, odsCode: string): void {
  if (!hasPermission(caller, 'org:manage-users') || caller.organisation?.odsCode !== odsCode) {
    throw new AppError('forbidden', `Giving roles in ${odsCode} needs org:manage-users while acting for ${odsCode}.`);
  }
}

async function rolesIn(db: Queryable, userId: string, odsCode: string): Promise<Role[]> {
  return [...((await membershipsOf(db, userId)).find((membership) => membership.organisation.odsCode === odsCode)?.roles ?? [])];
}

type GrantRow = { id: string; user_id: string; ods_code: string; role: string; requested_by: string; requested_at: Date | string };
const SELECT_GRANT = 'SELECT id::text AS id, user_id::text AS user_id, ods_code, role, requested_by, requested_at FROM role_grant';

async function findOpenGrant(db: Queryable, id: string): Promise<PendingRoleGrant | undefined> {
  const { rows } = await db.query<GrantRow>(`${SELECT_GRANT} WHERE id = $1 AND outcome IS NULL`, [id]);
  return rows[0] && toGrant(rows[0]);
}

function toGrant(row: GrantRow): PendingRoleGrant {
  return {
    id: row.id,
    userId: row.user_id,
    odsCode: row.ods_code,
    role: row.role as Role,
    requestedBy: row.requested_by,
    requestedAt: new Date(row.requested_at).toISOString(),
  };
}
