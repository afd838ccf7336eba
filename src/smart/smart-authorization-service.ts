import type Provider from 'oidc-provider';
import type { CurrentSigningKey } from '../auth/tokens/signing-keys.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { Repository } from '../repository/repository.js';
import { findSmartClient } from './smart-client-store.js';
import { createLaunch, findLaunch, saveLaunchContext, type LaunchContext } from './smart-launch-store.js';
import { createSmartProvider, odsOf, userIdOf, type SmartServerSettings } from './smart-provider.js';

export type { LaunchContext };

/**
 * SMART App Launch's authorization server below its routes: the provider (its state in the
 * database), the registered apps' scopes, the launches the web app makes for the person it shows
 * (decided by the access policy and audited) and the person each grant was launched for.
 */
export class SmartAuthorizationService {
  constructor(
    private readonly db: Database,
    readonly settings: SmartServerSettings,
  ) {}

  /** An authorization server that signs with `key`. */
  provider(key: CurrentSigningKey): Promise<Provider> {
    return createSmartProvider(this.db, this.settings, key);
  }

  /** The scopes a registered app may be granted; none for an app nobody registered. */
  async clientScopes(clientId: string): Promise<readonly string[]> {
    return (await findSmartClient(this.db, clientId))?.scopes ?? [];
  }

  /** The person an EHR launch was made for, when it was made for this account and has not expired. */
  launchedPerson(launch: string, accountId: string): Promise<string | undefined> {
    return findLaunch(this.db, launch, userIdOf(accountId), odsOf(accountId));
  }

  /** Keeps the person a grant is for, for the token's launch context. */
  saveLaunchContext(grantId: string, context: LaunchContext): Promise<void> {
    return saveLaunchContext(this.db, grantId, context);
  }

  /**
   * Launches a registered app for a person the caller may read (audited either way); answers the
   * launch id and the URL to open the app at.
   */
  async launch(repository: Repository, clientId: string, nhsNumber: string): Promise<{ launch: string; url: string }> {
    const { caller } = repository;
    if (!caller.organisation) throw new AppError('forbidden', 'Only a person acting for an organisation can launch an app.');
    const client = await findSmartClient(this.db, clientId);
    if (!client?.launchUrl) throw new AppError('not-found', `There is no SMART app ${clientId} that can be launched.`);
    // Decided and audited by the caller's repository, as any access to the person is.
    const person = await repository.decide({ nhsNumber }, 'read');
    await repository.auditDecision(person, { type: 'smart-launch', id: clientId }, {}, 'create');
    if (!person.decision.allowed) throw new AppError('forbidden', `Access refused: ${person.decision.explanation}.`);
    const launch = await createLaunch(this.db, { userId: caller.id, odsCode: caller.organisation.odsCode, nhsNumber });
    const { fhirBaseUrl } = this.settings;
    const url = `${client.launchUrl}${client.launchUrl.includes('?') ? '&' : '?'}iss=${encodeURIComponent(fhirBaseUrl)}&launch=${launch}`;
    return { launch, url };
  }
}
