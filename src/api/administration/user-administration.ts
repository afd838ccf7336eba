import type { Caller } from '../../access/caller.js';
import type { Role } from '../../access/roles.js';
import type { Database } from '../../db/database.js';
import { createLocalAccount } from '../../users/local-accounts.js';
import { requestRoles, type RoleGrantOutcome } from '../../users/role-grants.js';
import { findUserSummary, listUsers, type UserListQuery, type UserSummary } from '../../users/user-directory.js';
import { createUser } from '../../users/user-store.js';
import { administer } from './administered-change.js';

export interface NewUser {
  displayName: string;
  email: string;
  professionalRegistrationId?: string | undefined;
  roles: Role[];
  username: string;
  /** To be changed at first sign-in. */
  temporaryPassword: string;
}

/** The users of the platform as administrators see them, and adding one with a local account (audited). */
export class UserAdministration {
  constructor(private readonly db: Database) {}

  list(query: UserListQuery): Promise<{ users: UserSummary[]; total: number }> {
    return listUsers(this.db, query);
  }

  find(userId: string): Promise<UserSummary | undefined> {
    return findUserSummary(this.db, userId);
  }

  /**
   * Adds a user to the organisation `odsCode` with a local account whose temporary password must
   * be changed at first sign-in; privileged roles wait for a second administrator.
   */
  async create(caller: Caller, odsCode: string, user: NewUser): Promise<{ id: string; roles: RoleGrantOutcome }> {
    const { displayName, email, professionalRegistrationId, roles, username, temporaryPassword } = user;
    const created = await administer(
      this.db,
      caller,
      async (tx) => {
        const stored = await createUser(tx, { displayName, email, ...(professionalRegistrationId ? { professionalRegistrationId } : {}) });
        const granted = await requestRoles(tx, caller, stored.id, odsCode, roles);
        await createLocalAccount(tx, { userId: stored.id, username, password: temporaryPassword, mustChangePassword: true });
        return { outcome: { id: stored.id, roles: granted } };
      },
      {
        resource: { type: 'user', id: ({ outcome }) => outcome.id },
        action: 'create',
        attempted: 'user-create',
        detail: ({ outcome }) => ({ roles: outcome.roles.granted, pendingRoles: outcome.roles.pending.map((grant) => grant.role) }),
      },
    );
    return created.outcome;
  }
}
