import type { Caller } from '../../access/caller.js';
import { clearUsernameThrottle } from '../../auth/local/sign-in-throttle.js';
import { revokeAllSessions } from '../../auth/sessions/session-store.js';
import type { AuditDetail } from '../../audit/audit-record.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { removeTotp, resetPasswordByOrgAdmin, unlockLocalAccount } from '../../users/local-accounts.js';
import { decideUserAdministration, type UserAdministrationAction } from '../../users/user-administration-policy.js';
import { findUserSummary, type UserSummary } from '../../users/user-directory.js';
import { disableUser, enableUser, findUser, membershipsOf } from '../../users/user-store.js';
import { administer, refusal } from './administered-change.js';

/** The changes an administrator makes to a person's account, by the name the API gives each. */
export const ACCOUNT_CHANGES = ['disable', 'enable', 'unlock', 'second-factor-reset'] as const;
export type AccountChange = (typeof ACCOUNT_CHANGES)[number];

/** Each change: who may (the policy's action) and what it does, returning what the audit record says. */
const CHANGES: Record<AccountChange, { action: UserAdministrationAction; apply: (tx: Queryable, userId: string) => Promise<AuditDetail> }> =
  {
    disable: {
      action: 'disable',
      apply: async (tx, userId) => {
        await disableUser(tx, userId);
        const sessionsEnded = await revokeAllSessions(tx, userId, { reason: 'ended-by-administrator' });
        return { change: 'disabled', sessionsEnded };
      },
    },
    enable: {
      action: 'enable',
      apply: async (tx, userId) => {
        await enableUser(tx, userId);
        return { change: 'enabled' };
      },
    },
    unlock: {
      action: 'unlock',
      apply: async (tx, userId) => {
        const username = await unlockLocalAccount(tx, userId);
        if (username === undefined) throw new AppError('not-found', `The user ${userId} has no local account to unlock.`);
        await clearUsernameThrottle(tx, username);
        return { change: 'unlocked' };
      },
    },
    'second-factor-reset': {
      action: 'reset-second-factor',
      apply: async (tx, userId) => {
        if (!(await findUserSummary(tx, userId))?.localAccount)
          throw new AppError('not-found', `The user ${userId} has no local account, so no second factor here.`);
        return { change: 'second-factor-reset', hadSecondFactor: await removeTotp(tx, userId) };
      },
    },
  };

/** Refuses (403, audited by `administer`) unless the caller may do `action` to the user; 404 for no such user. */
async function requireAdministration(tx: Queryable, caller: Caller, userId: string, action: UserAdministrationAction): Promise<void> {
  const memberships = (await membershipsOf(tx, userId)).map((membership) => ({
    odsCode: membership.organisation.odsCode,
    roles: membership.roles,
  }));
  const decision = decideUserAdministration(caller, { id: userId, memberships }, action);
  if (!decision.allowed) throw refusal(decision.explanation);
  if (!(await findUser(tx, userId))) throw new AppError('not-found', `There is no user ${userId}.`);
}

/**
 * What an administrator does to a person's account: disable and re-enable it, end a lock-out,
 * remove a lost second factor, set a temporary password. Nobody does these to their own account;
 * every change and every refusal is audited.
 */
export class UserAccountAdministration {
  constructor(private readonly db: Database) {}

  /** Makes the change and answers the user as they are after it. */
  async change(caller: Caller, userId: string, change: AccountChange): Promise<UserSummary> {
    const { action, apply } = CHANGES[change];
    await administer(
      this.db,
      caller,
      async (tx) => {
        await requireAdministration(tx, caller, userId, action);
        return apply(tx, userId);
      },
      { resource: { type: 'user', id: userId }, attempted: change, detail: (detail) => detail },
    );
    const user = await findUserSummary(this.db, userId);
    if (!user) throw new AppError('not-found', `There is no user ${userId}.`);
    return user;
  }

  /** Sets a temporary password, changed at the user's next sign-in. */
  async resetPassword(caller: Caller, userId: string, temporaryPassword: string): Promise<void> {
    await administer(this.db, caller, (tx) => resetPasswordByOrgAdmin(tx, caller, userId, temporaryPassword), {
      resource: { type: 'user', id: userId },
      attempted: 'password-reset',
      detail: () => ({ change: 'password-reset' }),
    });
  }
}
