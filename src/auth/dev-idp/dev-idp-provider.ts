import { generateKeyPair, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Account, ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import type { DemoUser } from '../../demo/demo-people.js';
import { errorPage } from './dev-idp-pages.js';
import { memoryAdapterFactory } from './memory-adapter.js';

/** A relying party registered at the dev IdP (our own server, usually once). */
export interface DevIdpClient {
  clientId: string;
  redirectUris: readonly string[];
  clientName: string;
  /** Authenticates with this secret (client_secret_basic) … */
  clientSecret?: string;
  /** … or with a JWT signed by the private half of one of these keys (private_key_jwt, as CIS2 expects). */
  publicJwks?: { keys: Record<string, unknown>[] };
}

export interface DevIdpProviderOptions {
  /** `${publicUrl}/dev-idp`: its path is where the provider is mounted. */
  issuer: string;
  clients: readonly DevIdpClient[];
  accounts: readonly DemoUser[];
  /** Trust X-Forwarded-Proto/Host from a TLS-terminating proxy in front of the server. */
  trustProxy?: boolean;
}

export interface DevIdp {
  provider: Provider;
  /** The issuer's path, e.g. `/dev-idp`. */
  mountPath: string;
  accounts: ReadonlyMap<string, DemoUser>;
  clientNames: ReadonlyMap<string, string>;
}

/** The claims the dev IdP can assert, by scope. `ucp` carries what the platform maps. */
export const DEV_IDP_CLAIMS: Readonly<Record<string, string[]>> = {
  openid: ['sub'],
  profile: ['name'],
  email: ['email', 'email_verified'],
  ucp: ['ods_code', 'roles', 'nhs_number', 'professional_registration_id'],
};

/**
 * An OpenID Provider (`oidc-provider` v8) for development, demonstrations and tests: the demo
 * users sign in without a password, PKCE (S256) is required, and the signing key and cookie
 * keys are generated at start, so tokens and IdP sessions do not survive a restart — which a
 * dev IdP can live with, and which means no secret of it is ever stored anywhere.
 */
export async function createDevIdpProvider(options: DevIdpProviderOptions): Promise<DevIdp> {
  const mountPath = new URL(options.issuer).pathname.replace(/\/+$/, '');
  const accounts = new Map(options.accounts.map((user) => [user.username, user]));
  const signingKey = await rsaSigningJwk();
  const clients: ClientMetadata[] = options.clients.map((registered) => ({
    client_id: registered.clientId,
    client_name: registered.clientName,
    redirect_uris: [...registered.redirectUris],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    ...(registered.publicJwks === undefined
      ? { client_secret: registered.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
      : { jwks: registered.publicJwks, token_endpoint_auth_method: 'private_key_jwt' }),
  }));

  // Loaded when first needed: oidc-provider (with Koa) is a third of a second and tens of MB at start-up.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(options.issuer, {
    adapter: memoryAdapterFactory(),
    clients,
    jwks: { keys: [signingKey] },
    claims: { ...DEV_IDP_CLAIMS },
    findAccount: async (_ctx, sub) => {
      const user = accounts.get(sub);
      return user ? accountOf(user) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    pkce: { methods: ['S256'], required: () => true },
    cookies: {
      names: { session: 'dev_idp_session', interaction: 'dev_idp_interaction', resume: 'dev_idp_resume' },
      // Lax, not the default None: the relying party is on the same site, and browsers drop
      // SameSite=None cookies that are not Secure, which they cannot be over plain http.
      long: { signed: true, httpOnly: true, sameSite: 'lax', path: mountPath || '/' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
      keys: [randomBytes(32).toString('base64url')],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
    },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = errorPage('Sign-in error', out);
    },
  });
  provider.proxy = options.trustProxy ?? false;
  return {
    provider,
    mountPath,
    accounts,
    clientNames: new Map(options.clients.map((registered) => [registered.clientId, registered.clientName])),
  };
}

function accountOf(user: DemoUser): Account {
  return {
    accountId: user.username,
    claims: () => ({
      sub: user.username,
      name: user.displayName,
      email: user.email,
      email_verified: true,
      ods_code: user.odsCode,
      roles: [...user.roles],
      ...(user.nhsNumber === undefined ? {} : { nhs_number: user.nhsNumber }),
      ...(user.professionalRegistrationId === undefined ? {} : { professional_registration_id: user.professionalRegistrationId }),
    }),
  };
}

/** RS256, the algorithm every relying party accepts by default. */
async function rsaSigningJwk(): Promise<Record<string, unknown>> {
  const privateKey = await new Promise<KeyObject>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, key) => (error ? reject(error) : resolve(key)));
  });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
