import type { Database } from '../../db/database.js';
import { ClientAdministration } from './client-administration.js';
import { OrganisationAdministration } from './organisation-administration.js';
import { UserAccountAdministration } from './user-account-administration.js';
import { UserAdministration } from './user-administration.js';
import { UserRoleAdministration } from './user-role-administration.js';

/** The administration of the platform, one service per resource; each change audited with it (administered-change.ts). */
export interface AdministrationServices {
  organisations: OrganisationAdministration;
  users: UserAdministration;
  userAccounts: UserAccountAdministration;
  userRoles: UserRoleAdministration;
  clients: ClientAdministration;
}

export function createAdministrationServices(db: Database, options: { bootstrapClientId: string | undefined }): AdministrationServices {
  return {
    organisations: new OrganisationAdministration(db),
    users: new UserAdministration(db),
    userAccounts: new UserAccountAdministration(db),
    userRoles: new UserRoleAdministration(db),
    clients: new ClientAdministration(db, options.bootstrapClientId),
  };
}
