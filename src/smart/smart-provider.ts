import { randomBytes } from 'node:crypto';
import { decodeJwt, exportJWK } from 'jose';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { SIGNING_ALGORITHM, type CurrentSigningKey } from '../auth/tokens/signing-keys.js';
import type { Database } from '../db/database.js';
import { smartAdapterFactory } from './smart-adapter.js';
import { readLaunchContext } from './smart-launch-store.js';
import { SMART_CONTEXT_SCOPES, SMART_RESOURCE_SCOPES } from './smart-scopes.js';

export interface SmartServerSettings {
  /** `${publicUrl}/smart`: the authorization server's issuer; its path is where it is mounted. */
  issuer: string;
  /** `${publicUrl}/fhir`: the one resource server, the audience of every access token. */
  fhirBaseUrl: string;
  accessTokenLifetimeSeconds: number;
}

/** The claim that carries the organisation the user acts for in a SMART access token. */
export const ODS_CLAIM = 'ucp_ods';

/**
 * The platform's own SMART App Launch 2 authorization server on oidc-provider: authorization code
 * with PKCE S256 required, public clients and private_key_jwt, SMART v2 scopes, access tokens as
 * JWTs signed with the platform's current signing key for the FHIR base, carrying the launch
 * context (`patient`) that the token response also names. State lives in the database, so any
 * server continues what another began.
 */
export async function createSmartProvider(db: Database, settings: SmartServerSettings, signer: CurrentSigningKey): Promise<Provider> {
  const privateJwk = { ...(await exportJWK(signer.privateKey)), kid: signer.kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  const mountPath = new URL(settings.issuer).pathname;
  // Loaded when first needed: oidc-provider (with Koa) is a third of a second and tens of MB at start-up.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(settings.issuer, {
    adapter: smartAdapterFactory(db),
    jwks: { keys: [privateJwk] },
    scopes: [...SMART_CONTEXT_SCOPES],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    extraParams: ['launch', 'aud'],
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, fhirUser: `${settings.fhirBaseUrl}/Practitioner/${userIdOf(sub)}` }),
    }),
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    pkce: { methods: ['S256'], required: () => true },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'private_key_jwt'],
    clientBasedCORS: () => true,
    cookies: {
      names: { session: 'smart_session', interaction: 'smart_interaction', resume: 'smart_resume' },
      long: { signed: true, httpOnly: true, sameSite: 'lax', path: mountPath },
      short: { signed: true, httpOnly: true, sameSite: 'lax', path: mountPath },
      keys: [await cookieKey(db)],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => settings.fhirBaseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SMART_RESOURCE_SCOPES.join(' '),
          audience: settings.fhirBaseUrl,
          accessTokenTTL: settings.accessTokenLifetimeSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: SIGNING_ALGORITHM } },
        }),
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.grantId || !token.accountId) return undefined;
      const context = await readLaunchContext(db, token.grantId);
      return {
        [ODS_CLAIM]: odsOf(token.accountId),
        fhirUser: `${settings.fhirBaseUrl}/Practitioner/${userIdOf(token.accountId)}`,
        ...(context ? { patient: context.nhsNumber, launch_kind: context.kind } : {}),
      };
    },
    ttl: {
      AccessToken: settings.accessTokenLifetimeSeconds,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 8 * 3600,
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  });
  // SMART's token response names the launch context beside the token (App Launch 2 §"launch context").
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { access_token?: unknown } | undefined;
    if (ctx.method !== 'POST' || !ctx.path.endsWith('/token') || typeof body?.access_token !== 'string') return;
    const claims = decodeJwt(body.access_token);
    if (typeof claims['patient'] === 'string') Object.assign(body, { patient: claims['patient'], need_patient_banner: true });
  });
  return provider;
}

/** A SMART account is a user acting for one organisation: `<user id>.<ODS code>`. */
export function accountIdOf(userId: string, odsCode: string): string {
  return `${userId}.${odsCode}`;
}
export function userIdOf(accountId: string): string {
  return accountId.slice(0, accountId.lastIndexOf('.'));
}
export function odsOf(accountId: string): string {
  return accountId.slice(accountId.lastIndexOf('.') + 1);
}

/** The key that signs the authorization server's cookies, the same on every server. */
async function cookieKey(db: Database): Promise<string> {
  await db.query(
    `INSERT INTO smart_oidc_state (model, id, payload) VALUES ('CookieKey', 'current', $1) ON CONFLICT (model, id) DO NOTHING`,
    [JSON.stringify({ key: randomBytes(32).toString('base64url') })],
  );
  const { rows } = await db.query<{ payload: { key: string } }>(
    `SELECT payload FROM smart_oidc_state WHERE model = 'CookieKey' AND id = 'current'`,
  );
  return rows[0]?.payload.key ?? '';
}
