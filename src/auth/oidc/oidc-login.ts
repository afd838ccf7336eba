import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { Database } from '../../db/database.js';
import { claimValue, mapClaims, type MappedIdentity } from './claim-mapping.js';
import { linkExternalUser, type LinkedUser } from './link-external-user.js';
import type { OidcClients } from './oidc-clients.js';
import { describeError, OidcLoginError } from './oidc-login-error.js';
import { purgeExpiredPendingLogins, savePendingLogin, takePendingLogin } from './pending-login-store.js';
import type { OidcProviderConfig } from './provider-config.js';
import { confirmLaunchServer, launchAuthorizationParameters, launchedNhsNumber, SMART_LAUNCH_SCOPES } from './smart-launch.js';

export interface OidcLoginSettings {
  db: Database;
  clients: OidcClients;
  /** This server's public URL (config.publicUrl): redirect URIs are built from it, never from the Host header. */
  publicUrl: string;
  /** How long the person has at the identity provider before the login must start again. */
  loginTimeoutSeconds: number;
  now: () => Date;
}

/** Where the routes live; the callback URL registered at each identity provider derives from it. */
export const OIDC_ROUTE_PREFIX = '/auth/oidc';

/** The redirect URI to register at the identity provider for this provider id. */
export function callbackUrlFor(publicUrl: string, providerId: string): string {
  return `${publicUrl}${OIDC_ROUTE_PREFIX}/${encodeURIComponent(providerId)}/callback`;
}

/** A fresh random value for the browser-binding cookie. */
export function newBrowserBinding(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Starts an authorisation code flow: PKCE (S256), state and nonce are generated here, kept in
 * the database under the state with the hash of the browser's binding cookie, and the URL to
 * send the browser to is returned.
 */
export async function beginOidcLogin(
  settings: OidcLoginSettings,
  providerId: string,
  request: { browserBinding: string; returnTo: string; launch?: SmartLaunchRequest },
): Promise<URL> {
  const provider = knownProvider(settings, providerId);
  const configuration = await settings.clients.configuration(provider);
  const { launch } = request;
  if (launch) await confirmLaunchServer(configuration, launch.fhirBaseUrl, settings.clients.timeoutSeconds);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const now = settings.now();
  await purgeExpiredPendingLogins(settings.db, now);
  await savePendingLogin(
    settings.db,
    {
      state,
      provider: provider.id,
      codeVerifier,
      nonce,
      browserBindingHash: bindingHash(request.browserBinding),
      returnTo: request.returnTo,
      launchFhirBase: launch?.fhirBaseUrl,
      expiresAt: new Date(now.getTime() + settings.loginTimeoutSeconds * 1000),
    },
    now,
  );
  const scopes = launch ? [...new Set([...provider.scopes, ...SMART_LAUNCH_SCOPES])] : provider.scopes;
  return client.buildAuthorizationUrl(configuration, {
    ...provider.authorizationParameters,
    ...(launch ? launchAuthorizationParameters(launch.fhirBaseUrl, launch.launch) : {}),
    redirect_uri: callbackUrlFor(settings.publicUrl, provider.id),
    scope: scopes.join(' '),
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
}

/** An EHR launch from a record system: its FHIR server (`iss`) and its opaque `launch` value. */
export interface SmartLaunchRequest {
  fhirBaseUrl: string;
  launch: string;
}

/** The provider configured for a record system that launches from this FHIR server, if any. */
export function providerLaunchingFrom(settings: OidcLoginSettings, fhirBaseUrl: string): OidcProviderConfig {
  const provider = settings.clients.list().find((candidate) => candidate.smartLaunch?.fhirBaseUrl === fhirBaseUrl);
  if (!provider) throw new OidcLoginError('unknown-provider', `no record system is configured to launch from ${fhirBaseUrl.slice(0, 200)}`);
  return provider;
}

export interface CompletedOidcLogin {
  provider: OidcProviderConfig;
  identity: MappedIdentity;
  linked: LinkedUser;
  returnTo: string;
  /** After an EHR launch: the NHS number of the person the record system has in context. */
  launchContextNhsNumber: string | undefined;
}

/**
 * Finishes the flow at the callback: the state must name a pending login for this provider,
 * started by this browser and not expired (it is used up either way); the code is exchanged
 * with the PKCE verifier and the ID token checked (signature, issuer, audience, nonce) by
 * `openid-client`; the claims are mapped and the user found, created or refused.
 */
export async function completeOidcLogin(
  settings: OidcLoginSettings,
  providerId: string,
  parameters: URLSearchParams,
  browserBinding: string | undefined,
): Promise<CompletedOidcLogin> {
  const provider = knownProvider(settings, providerId);
  const state = parameters.get('state');
  if (state === null || state === '') throw new OidcLoginError('state-mismatch', 'the callback has no state');
  const pending = await takePendingLogin(settings.db, state, settings.now());
  if (!pending) throw new OidcLoginError('state-mismatch', 'the state is unknown, used already or expired');
  if (pending.provider !== provider.id) {
    throw new OidcLoginError('state-mismatch', `the state belongs to a sign-in with ${pending.provider}, not ${provider.id}`);
  }
  if (browserBinding === undefined || !sameHash(bindingHash(browserBinding), pending.browserBindingHash)) {
    throw new OidcLoginError('state-mismatch', 'the sign-in was started in another browser (or its cookie was lost)');
  }
  const idpError = parameters.get('error');
  if (idpError !== null) {
    const description = parameters.get('error_description');
    throw new OidcLoginError('identity-provider-error', `${provider.id} answered ${idpError}${description ? `: ${description}` : ''}`);
  }

  const configuration = await settings.clients.configuration(provider);
  const currentUrl = new URL(callbackUrlFor(settings.publicUrl, provider.id));
  currentUrl.search = parameters.toString();
  const { claims, tokens } = await exchangeCode(provider, configuration, currentUrl, pending);
  const subject = claimValue(claims, provider.claims.subject);
  try {
    const identity = mapClaims(provider.claims, claims);
    // The person in context is read before any account changes: a launch that cannot say who it
    // is for signs nobody in.
    const launchContextNhsNumber =
      pending.launchFhirBase === undefined ? undefined : await launchedNhsNumber(configuration, tokens, pending.launchFhirBase);
    const linked = await linkExternalUser(settings.db, provider, identity);
    return { provider, identity, linked, returnTo: pending.returnTo, launchContextNhsNumber };
  } catch (error) {
    if (!(error instanceof OidcLoginError) || typeof subject !== 'string') throw error;
    throw new OidcLoginError(error.code, error.detail, { cause: error.cause, claimedId: `${provider.id}/${subject}` });
  }
}

async function exchangeCode(
  provider: OidcProviderConfig,
  configuration: client.Configuration,
  currentUrl: URL,
  pending: { state: string; codeVerifier: string; nonce: string },
): Promise<{ claims: Record<string, unknown>; tokens: client.TokenEndpointResponse }> {
  try {
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('the token response has no ID token');
    if (!provider.userInfo) return { claims: { ...idClaims }, tokens };
    const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    // The ID token's own claims (iss, aud, nonce …) win; the profile claims come from UserInfo.
    return { claims: { ...userInfo, ...idClaims, ...profileClaims(userInfo) }, tokens };
  } catch (error) {
    if (error instanceof OidcLoginError) throw error;
    const code = isNetworkFailure(error) ? 'identity-provider-unavailable' : 'identity-provider-error';
    throw new OidcLoginError(code, `${provider.id}: ${describeError(error)}`, { cause: error });
  }
}

/** UserInfo's claims other than the token bookkeeping ones, which only the ID token may set. */
function profileClaims(userInfo: Record<string, unknown>): Record<string, unknown> {
  const reserved = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'azp', 'at_hash', 'c_hash', 'auth_time', 'sub']);
  return Object.fromEntries(Object.entries(userInfo).filter(([name]) => !reserved.has(name)));
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || error.name === 'TimeoutError' || (error instanceof TypeError && error.message === 'fetch failed');
}

function knownProvider(settings: OidcLoginSettings, providerId: string): OidcProviderConfig {
  const provider = settings.clients.provider(providerId);
  if (!provider) throw new OidcLoginError('unknown-provider', `no identity provider is configured as '${providerId}'`);
  return provider;
}

function bindingHash(binding: string): string {
  return createHash('sha256').update(binding).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
