import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OidcProviderConfig } from '../auth/oidc/provider-config.js';
import type { AdministrationServices } from './administration/administration-services.js';
import { clientRoutes } from './administration/client-routes.js';
import { identityProviderRoutes } from './administration/identity-provider-routes.js';
import { organisationRoutes } from './administration/organisation-routes.js';
import { userAccountRoutes } from './administration/user-account-routes.js';
import { userRoleRoutes } from './administration/user-role-routes.js';
import { userRoutes } from './administration/user-routes.js';

export interface AdministrationRoutesOptions {
  administration: AdministrationServices;
  /** Single sign-on providers in force, listed read-only. */
  identityProviders?: readonly OidcProviderConfig[];
}

/**
 * Administration, one module per resource: organisations (platform administrators), users and
 * their accounts and roles (an organisation's administrators), machine clients and identity
 * providers (platform administrators). Every change is audited in its own transaction, every
 * refusal too; nobody changes their own account or gives themselves rights.
 */
export const administrationRoutes: FastifyPluginAsyncTypebox<AdministrationRoutesOptions> = async (
  app,
  { administration, identityProviders = [] },
) => {
  await app.register(organisationRoutes, { organisations: administration.organisations });
  await app.register(userRoutes, { users: administration.users });
  await app.register(userAccountRoutes, { accounts: administration.userAccounts });
  await app.register(userRoleRoutes, { roles: administration.userRoles });
  await app.register(clientRoutes, { clients: administration.clients });
  await app.register(identityProviderRoutes, { providers: identityProviders });
};
