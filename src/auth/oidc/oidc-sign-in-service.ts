import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor, auditRecordForAnonymous, type AnonymousEvent } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { callerForUser } from '../../users/user-store.js';
import { OidcClients } from './oidc-clients.js';
import {
  beginOidcLogin,
  completeOidcLogin,
  providerLaunchingFrom,
  type CompletedOidcLogin,
  type OidcLoginSettings,
  type SmartLaunchRequest,
} from './oidc-login.js';
import type { OidcProviderConfig } from './provider-config.js';

export interface OidcSignInOptions {
  db: Database;
  /** config.publicUrl. */
  publicUrl: string;
  providers: readonly OidcProviderConfig[];
  /** Default 10 minutes. */
  loginTimeoutSeconds?: number;
  now?: () => Date;
}

/**
 * Single sign-on with OpenID Connect for the web app, below its routes: the providers in force,
 * the login begun and completed (the pending login and the linked user in the database), and the
 * audit of each sign-in and each refusal.
 */
export class OidcSignInService {
  readonly #settings: OidcLoginSettings;

  constructor(options: OidcSignInOptions) {
    this.#settings = {
      db: options.db,
      clients: new OidcClients(options.providers),
      publicUrl: options.publicUrl,
      loginTimeoutSeconds: options.loginTimeoutSeconds ?? 600,
      now: options.now ?? (() => new Date()),
    };
  }

  get publicUrl(): string {
    return this.#settings.publicUrl;
  }

  /** How long the person has at the identity provider before the login must start again. */
  get loginTimeoutSeconds(): number {
    return this.#settings.loginTimeoutSeconds;
  }

  providers(): OidcProviderConfig[] {
    return this.#settings.clients.list();
  }

  /** Where to send the browser: the provider's authorisation request (code flow, PKCE, state, nonce). */
  begin(providerId: string, request: { browserBinding: string; returnTo: string; launch?: SmartLaunchRequest }): Promise<URL> {
    return beginOidcLogin(this.#settings, providerId, request);
  }

  /** The provider of the record system launching from this FHIR server (`unknown-provider` when none is configured). */
  providerLaunchingFrom(fhirBaseUrl: string): OidcProviderConfig {
    return providerLaunchingFrom(this.#settings, fhirBaseUrl);
  }

  /** The callback checked and the person linked to a user (throws `OidcLoginError` when refused). */
  complete(providerId: string, parameters: URLSearchParams, browserBinding: string | undefined): Promise<CompletedOidcLogin> {
    return completeOidcLogin(this.#settings, providerId, parameters, browserBinding);
  }

  /** Records the sign-in; done before the session starts, failing closed: no sign-in without its audit record. */
  async recordSignIn(done: CompletedOidcLogin, clientAddress: string): Promise<void> {
    const { user, odsCode, created } = done.linked;
    const nhsNumber = done.launchContextNhsNumber;
    const caller = await callerForUser(this.#settings.db, { id: user.id }, odsCode, { clientAddress, launchContextNhsNumber: nhsNumber });
    // A launch from a record system is a sign-in into that person's record: it goes in their access report.
    const method = nhsNumber === undefined ? 'oidc' : 'smart-launch';
    await appendAuditNow(
      this.#settings.db,
      auditRecordFor(caller, { action: 'sign-in', nhsNumber, detail: { method, provider: done.provider.id, createdUser: created } }),
    );
  }

  /** Records a refused sign-in, by nobody known yet. */
  async recordRefusal(event: AnonymousEvent): Promise<void> {
    await appendAuditNow(this.#settings.db, auditRecordForAnonymous(event));
  }
}
