import type { Caller } from '../../access/caller.js';
import type { Role } from '../../access/roles.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { decideRoleGrant, openRoleGrants, requestRoles, type PendingRoleGrant, type RoleGrantOutcome } from '../../users/role-grants.js';
import { decideUserAdministration } from '../../users/user-administration-policy.js';
import { addMembership, membershipsOf, removeMembership } from '../../users/user-store.js';
import { actingOrganisation, administer, refusal } from './administered-change.js';

/**
 * Takes one role away in the organisation the caller acts for (no second person needed: it
 * takes rights away). The last role ends the membership. `platform-admin` is the installation's.
 */
async function removeRole(tx: Queryable, caller: Caller, userId: string, role: Role): Promise<Role[]> {
  const odsCode = actingOrganisation(caller);
  const memberships = await membershipsOf(tx, userId);
  const decision = decideUserAdministration(
    caller,
    { id: userId, memberships: memberships.map((m) => ({ odsCode: m.organisation.odsCode, roles: m.roles })) },
    'remove-role',
  );
  if (!decision.allowed) throw refusal(decision.explanation);
  if (role === 'platform-admin') throw refusal('platform-admin is given and taken by the installation, not through the API');
  const held = memberships.find((membership) => membership.organisation.odsCode === odsCode)?.roles ?? [];
  if (!held.includes(role)) throw new AppError('not-found', `The user ${userId} does not hold the role ${role} in ${odsCode}.`);
  const remaining = held.filter((each) => each !== role);
  if (remaining.length === 0) await removeMembership(tx, userId, odsCode);
  else await addMembership(tx, userId, odsCode, remaining);
  return remaining;
}

/**
 * Roles in the organisation the caller administers: given by its administrators, privileged ones
 * approved by a second (src/users/role-grants.ts), taken away; every change and refusal audited.
 */
export class UserRoleAdministration {
  constructor(private readonly db: Database) {}

  /** Gives roles in the caller's organisation `odsCode`; privileged ones wait for a second administrator. */
  give(caller: Caller, userId: string, odsCode: string, roles: Role[]): Promise<RoleGrantOutcome> {
    return administer(this.db, caller, (tx) => requestRoles(tx, caller, userId, odsCode, roles), {
      resource: { type: 'user', id: userId },
      attempted: 'roles',
      detail: (result) => ({ change: 'roles', roles: result.granted, pendingRoles: result.pending.map((grant) => grant.role) }),
    });
  }

  /** Takes one role away; answers the roles left. */
  remove(caller: Caller, userId: string, role: Role): Promise<Role[]> {
    return administer(this.db, caller, (tx) => removeRole(tx, caller, userId, role), {
      resource: { type: 'user', id: userId },
      attempted: 'role-removal',
      detail: (remaining) => ({ change: 'role-removed', role, roles: remaining }),
    });
  }

  /** Privileged role requests of the caller's organisation waiting for a second administrator. */
  waiting(caller: Caller): Promise<PendingRoleGrant[]> {
    return openRoleGrants(this.db, caller);
  }

  /** Approves or refuses a privileged role request (not one's own, not for oneself). */
  decide(caller: Caller, grantId: string, approve: boolean): Promise<PendingRoleGrant> {
    return administer(this.db, caller, (tx) => decideRoleGrant(tx, caller, grantId, approve), {
      // Recorded against the person whose roles change; a refusal, before the request is read, names the request.
      resource: { type: 'user', id: (grant) => grant.userId },
      refusedId: `role-grant:${grantId}`,
      attempted: `role-${approve ? 'approve' : 'refuse'}`,
      detail: (grant) => ({
        change: approve ? 'role-approved' : 'role-refused',
        grantId: grant.id,
        role: grant.role,
        odsCode: grant.odsCode,
        requestedBy: grant.requestedBy,
      }),
    });
  }
}
