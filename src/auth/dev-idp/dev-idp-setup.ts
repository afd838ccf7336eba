import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { callbackUrlFor } from '../oidc/oidc-login.js';
import { parseOidcProviders, type OidcProviderConfig, type OidcProviderInput, type PrivateJwk } from '../oidc/provider-config.js';
import { DEMO_USERS, type DemoUser } from '../../demo/demo-people.js';
import type { DevIdpPluginOptions } from './dev-idp-plugin.js';

/** Where the dev IdP is mounted on this server; its issuer is `${publicUrl}${DEV_IDP_PATH}`. */
export const DEV_IDP_PATH = '/dev-idp';
/** The id of the dev IdP among the relying party's providers (`/auth/oidc/dev/login`). */
export const DEV_IDP_PROVIDER_ID = 'dev';

export interface DevIdpSetup {
  /** Options for `devIdpPlugin`. */
  plugin: DevIdpPluginOptions;
  /** The relying party's configuration for it, to add to the providers of `oidcRoutes`. */
  relyingParty: OidcProviderConfig;
}

export interface DevIdpSetupOptions {
  accounts?: readonly DemoUser[];
  providerId?: string;
  /** Client registration details; generated when not given. */
  clientId?: string;
  clientSecret?: string;
  /** `private_key_jwt` registers a fresh ES256 key pair instead of a secret (the CIS2 way). */
  clientAuthentication?: 'client_secret_basic' | 'private_key_jwt';
  /** Overrides of the relying party's configuration (tests use `createUsers: false`). */
  relyingParty?: Partial<Pick<OidcProviderInput, 'createUsers' | 'userInfo' | 'displayName' | 'linkByVerifiedEmail'>>;
  trustProxy?: boolean;
}

/**
 * Both ends of sign-on through the embedded dev IdP, made to fit each other: the client the
 * IdP registers (a random secret, the callback URL of this server) and the relying party's
 * provider entry with the claim mapping for the dev IdP's claims. Call once per process; the
 * secret lives only in memory.
 */
export function devIdpSetup(publicUrl: string, options: DevIdpSetupOptions = {}): DevIdpSetup {
  const providerId = options.providerId ?? DEV_IDP_PROVIDER_ID;
  const issuer = `${publicUrl}${DEV_IDP_PATH}`;
  const clientId = options.clientId ?? `ucp-${providerId}`;
  const clientSecret = options.clientSecret ?? randomBytes(32).toString('base64url');
  const keyPair = options.clientAuthentication === 'private_key_jwt' ? clientKeyPair() : undefined;
  const input: OidcProviderInput = {
    id: providerId,
    displayName: 'Demo sign-in (development identity provider)',
    issuer,
    clientId,
    ...(keyPair === undefined
      ? { clientAuthentication: 'client_secret_basic', clientSecret }
      : { clientAuthentication: 'private_key_jwt', privateKeyJwk: keyPair.privateJwk }),
    scopes: ['openid', 'profile', 'email', 'ucp'],
    // Always show the sign-in page, so a demo can switch between users without signing out of the IdP.
    authorizationParameters: { prompt: 'login' },
    // Like CIS2, the dev IdP returns profile and role claims from UserInfo, not in the ID token.
    userInfo: true,
    createUsers: true,
    allowInsecureHttp: issuer.startsWith('http:'),
    claims: {
      subject: 'sub',
      displayName: ['name'],
      email: ['email'],
      nhsNumber: 'nhs_number',
      professionalRegistrationId: 'professional_registration_id',
      organisation: { from: 'claim', claim: 'ods_code' },
      roles: { from: 'claim', claim: 'roles' },
    },
    ...options.relyingParty,
  };
  const [relyingParty] = parseOidcProviders([input]);
  if (!relyingParty) throw new Error('the dev IdP relying party configuration did not parse');
  return {
    plugin: {
      issuer,
      clients: [
        {
          clientId,
          redirectUris: [callbackUrlFor(publicUrl, providerId)],
          clientName: 'Urgent Care Plan',
          ...(keyPair === undefined ? { clientSecret } : { publicJwks: { keys: [keyPair.publicJwk] } }),
        },
      ],
      accounts: options.accounts ?? DEMO_USERS,
      trustProxy: options.trustProxy,
    },
    relyingParty,
  };
}

function clientKeyPair(): { privateJwk: PrivateJwk; publicJwk: Record<string, unknown> } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  return {
    privateJwk: { kty: 'EC', ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
  };
}
