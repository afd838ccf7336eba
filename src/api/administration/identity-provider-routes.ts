import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OidcProviderConfig, OrganisationMapping, RoleMapping } from '../../auth/oidc/provider-config.js';
import { problemResponses } from '../../http/schemas.js';
import { IdentityProviderSchema } from './administration-schemas.js';

export interface IdentityProviderRoutesOptions {
  /** The providers configured (UCP_OIDC_PROVIDERS), and the development one when it runs. */
  providers: readonly OidcProviderConfig[];
}

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
