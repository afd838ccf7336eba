import { hasPermission, type Caller } from '../access/caller.js';
import type { Role } from '../access/roles.js';

/** What an administrator may do to a user's account (beyond roles, which role-grants.ts decides). */
export type UserAdministrationAction = 'view' | 'disable' | 'enable' | 'unlock' | 'reset-second-factor' | 'remove-role';

export type UserAdministrationDecision = { allowed: true } | { allowed: false; explanation: string };

/** The target as far as the decision needs it: their memberships (organisation and roles). */
export interface AdministeredUser {
  id: string;
  memberships: readonly { odsCode: string; roles: readonly Role[] }[];
}

const WHAT: Record<UserAdministrationAction, string> = {
  view: 'see',
  disable: 'disable',
  enable: 're-enable',
  unlock: 'unlock',
  'reset-second-factor': 'reset the second factor of',
  'remove-role': 'remove roles of',
};

/**
 * Who may do what to whose account. Separation of duties:
 *
 * - Nobody changes their own account (status, second factor, roles): another administrator does.
 * - An organisation administrator (`org:manage-users`) administers the members of the
 *   organisation they act for. A platform administrator may administer anyone (a compromised
 *   account elsewhere must be stoppable at once), but removes roles only in the organisation
 *   they act for, as roles are given.
 * - Someone who holds `platform-admin` anywhere is administered only by a platform
 *   administrator: otherwise an organisation administrator could lock out, or take over, the
 *   platform's own operators.
 */
export function decideUserAdministration(
  admin: Caller,
  target: AdministeredUser,
  action: UserAdministrationAction,
): UserAdministrationDecision {
  const what = WHAT[action];
  if (!hasPermission(admin, 'org:manage-users')) {
    return refuse(`to ${what} a user needs org:manage-users, which the role(s) ${admin.roles.join(', ') || '(none)'} do not grant`);
  }
  if (action !== 'view' && admin.kind === 'user' && admin.id === target.id) {
    return refuse('nobody changes their own account (status, second factor or roles): ask another administrator');
  }
  const platform = hasPermission(admin, 'platform:admin');
  if (!platform && target.memberships.some((membership) => membership.roles.includes('platform-admin'))) {
    return refuse(`the user ${target.id} is a platform administrator; only a platform administrator may ${what} them`);
  }
  const odsCode = admin.organisation?.odsCode;
  const member = odsCode !== undefined && target.memberships.some((membership) => membership.odsCode === odsCode);
  if (member) return { allowed: true };
  if (platform && action !== 'remove-role') return { allowed: true };
  return refuse(
    odsCode === undefined
      ? `to ${what} a user you act for an organisation, and you act for none`
      : `the user ${target.id} is not a member of ${odsCode}, the organisation you act for`,
  );
}

function refuse(explanation: string): UserAdministrationDecision {
  return { allowed: false, explanation };
}
