import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OidcProviderConfig, OrganisationMapping, RoleMapping } from '../../auth/oidc/provider-config.js';
import { problemResponses } from '../../http/schemas.js';
import { literals } from './administration-schemas.js';

export interface IdentityProviderRoutesOptions {
  /** The providers configured (UCP_OIDC_PROVIDERS), and the development one when it runs. */
  providers: readonly OidcProviderConfig[];
}

const IdentityProviderSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  clientAuthentication: literals(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const),
  scopes: Type.Array(Type.String()),
  loginPath: Type.String({ description: 'where the web app sends people to sign in with it' }),
  createUsers: Type.Boolean(),
  linkByVerifiedEmail: Type.Boolean(),
  userInfo: Type.Boolean(),
  allowInsecureHttp: Type.Boolean({ description: 'development only' }),
  organisationFrom: Type.String({ description: 'where the organisation comes from: a claim, fixed, or NHS RBAC' }),
  rolesFrom: Type.String({ description: 'where the roles come from: a claim, a table, NHS RBAC, or this platform' }),
  roleTable: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'external value to roles' })),
});

function organisationFrom(mapping: OrganisationMapping): string {
  if (mapping.from === 'claim') return `claim ${mapping.claim}`;
  if (mapping.from === 'fixed') return `fixed: ${mapping.odsCode}`;
  return 'NHS national RBAC (selected role)';
}

function rolesFrom(mapping: RoleMapping): string {
  if (mapping.from === 'claim') return `claim ${mapping.claim}`;
  if (mapping.from === 'claim-table') return `claim ${mapping.claim}, through the table`;
  if (mapping.from === 'nhs-rbac') return 'NHS national RBAC job role, through the table';
  return 'this platform: roles given by organisation administrators';
}

/** The configuration minus its secrets: a client secret or private key never leaves the server. */
function describeProvider(provider: OidcProviderConfig) {
  const roles = provider.claims.roles;
  return {
    id: provider.id,
    displayName: provider.displayName,
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientAuthentication: provider.clientAuthentication.method,
    scopes: [...provider.scopes],
    loginPath: `/auth/oidc/${provider.id}/login`,
    createUsers: provider.createUsers,
    linkByVerifiedEmail: provider.linkByVerifiedEmail,
    userInfo: provider.userInfo,
    allowInsecureHttp: provider.allowInsecureHttp,
    organisationFrom: organisationFrom(provider.claims.organisation),
    rolesFrom: rolesFrom(roles),
    ...(roles.from === 'claim-table' || roles.from === 'nhs-rbac'
      ? { roleTable: Object.fromEntries(Object.entries(roles.table).map(([value, mapped]) => [value, [...mapped]])) }
      : {}),
  };
}

/** Single sign-on providers, read-only: they are configured in the environment (docs/configuration.md). */
export const identityProviderRoutes: FastifyPluginAsyncTypebox<IdentityProviderRoutesOptions> = async (app, { providers }) => {
  app.get(
    '/identity-providers',
    {
      config: { policy: { kind: 'permission', permission: 'platform:admin', scope: 'admin' } },
      schema: {
        tags: ['administration'],
        summary: 'The single sign-on providers configured (UCP_OIDC_PROVIDERS), without their secrets',
        response: { 200: Type.Array(IdentityProviderSchema), ...problemResponses },
      },
    },
    async () => providers.map(describeProvider),
  );
};
