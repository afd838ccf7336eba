import { importJWK } from 'jose';
import * as client from 'openid-client';
import { describeError, OidcLoginError } from './oidc-login-error.js';
import type { ClientAuthentication, OidcProviderConfig } from './provider-config.js';

export interface OidcClientsOptions {
  /** How long discovered metadata is reused before asking again. */
  discoveryTtlMs?: number;
  /** Seconds before a request to an identity provider is abandoned. */
  timeoutSeconds?: number;
  now?: () => number;
}

interface CachedDiscovery {
  configuration: Promise<client.Configuration>;
  discoveredAt: number;
}

/** An hour, as NHS England suggests for CIS2, and long enough to spare every sign-in a round trip. */
const DEFAULT_DISCOVERY_TTL_MS = 60 * 60 * 1000;

/**
 * The configured identity providers and, for each, the `openid-client` configuration made from
 * its discovery document. Discovery happens at the first sign-in, not at start-up: a provider
 * that is down (or the embedded dev IdP, which is not listening yet while the server starts)
 * must not stop the server, and a failed discovery is forgotten so the next sign-in tries again.
 */
export class OidcClients {
  private readonly byId: ReadonlyMap<string, OidcProviderConfig>;
  private readonly cache = new Map<string, CachedDiscovery>();
  private readonly discoveryTtlMs: number;
  /** Seconds before a request to an identity provider (or a record system launching the app) is abandoned. */
  readonly timeoutSeconds: number;
  private readonly now: () => number;

  constructor(providers: readonly OidcProviderConfig[], options: OidcClientsOptions = {}) {
    this.byId = new Map(providers.map((provider) => [provider.id, provider]));
    this.discoveryTtlMs = options.discoveryTtlMs ?? DEFAULT_DISCOVERY_TTL_MS;
    this.timeoutSeconds = options.timeoutSeconds ?? 10;
    this.now = options.now ?? Date.now;
  }

  list(): OidcProviderConfig[] {
    return [...this.byId.values()];
  }

  provider(id: string): OidcProviderConfig | undefined {
    return this.byId.get(id);
  }

  /** The client configuration for a provider; `identity-provider-unavailable` when discovery fails. */
  async configuration(provider: OidcProviderConfig): Promise<client.Configuration> {
    const cached = this.cache.get(provider.id);
    if (cached && this.now() - cached.discoveredAt < this.discoveryTtlMs) return cached.configuration;
    const entry: CachedDiscovery = { configuration: this.discover(provider), discoveredAt: this.now() };
    this.cache.set(provider.id, entry);
    try {
      return await entry.configuration;
    } catch (error) {
      if (this.cache.get(provider.id) === entry) this.cache.delete(provider.id);
      throw new OidcLoginError('identity-provider-unavailable', `discovery of ${provider.issuer} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  private async discover(provider: OidcProviderConfig): Promise<client.Configuration> {
    const execute = provider.allowInsecureHttp && provider.issuer.startsWith('http:') ? [client.allowInsecureRequests] : [];
    const authentication = provider.clientAuthentication;
    const metadata: Partial<client.ClientMetadata> = {};
    if (authentication.method === 'client_secret_basic' || authentication.method === 'client_secret_post') {
      metadata.client_secret = authentication.clientSecret;
    }
    return client.discovery(new URL(provider.issuer), provider.clientId, metadata, await clientAuth(authentication), {
      execute,
      timeout: this.timeoutSeconds,
    });
  }
}

async function clientAuth(authentication: ClientAuthentication): Promise<client.ClientAuth> {
  switch (authentication.method) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(authentication.clientSecret);
    case 'client_secret_post':
      return client.ClientSecretPost(authentication.clientSecret);
    case 'none':
      return client.None();
    case 'private_key_jwt': {
      const { privateKeyJwk } = authentication;
      const key = await importJWK(privateKeyJwk, privateKeyJwk.alg, { extractable: false });
      if (key instanceof Uint8Array) throw new Error('private_key_jwt needs an asymmetric private key');
      return client.PrivateKeyJwt(privateKeyJwk.kid === undefined ? key : { key, kid: privateKeyJwk.kid });
    }
  }
}
