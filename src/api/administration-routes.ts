import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OidcProviderConfig } from '../auth/oidc/provider-config.js';
import type { Database } from '../db/database.js';
import { clientRoutes } from './administration/client-routes.js';
import { identityProviderRoutes } from './administration/identity-provider-routes.js';
import { organisationRoutes } from './administration/organisation-routes.js';
import { userAccountRoutes } from './administration/user-account-routes.js';
import { userRoleRoutes } from './administration/user-role-routes.js';
import { userRoutes } from './administration/user-routes.js';

export interface AdministrationRoutesOptions {
  db: Database;
  /** Single sign-on providers in force, listed read-only. */
  identityProviders?: readonly OidcProviderConfig[];
  /** UCP_BOOTSTRAP_CLIENT_ID, whose client the environment defines. */
  bootstrapClientId?: string | undefined;
}

/**
 * Administration, one module per resource: organisations (platform administrators), users and
 * their accounts and roles (an organisation's administrators), machine clients and identity
 * providers (platform administrators). Every change is audited in its own transaction, every
 * refusal too; nobody changes their own account or gives themselves rights.
 */
export const administrationRoutes: FastifyPluginAsyncTypebox<AdministrationRoutesOptions> = async (
  app,
  { db, identityProviders = [], bootstrapClientId },
) => {
  await app.register(organisationRoutes, { db });
  await app.register(userRoutes, { db });
  await app.register(userAccountRoutes, { db });
  await app.register(userRoleRoutes, { db });
  await app.register(clientRoutes, { db, bootstrapClientId });
  await app.register(identityProviderRoutes, { providers: identityProviders });
};
