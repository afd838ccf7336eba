import type { Caller } from '../../access/caller.js';
import {
  createClient,
  disableClient,
  findClient,
  listClients,
  rotateClientSecret,
  type CreatedOAuthClient,
  type OAuthClient,
} from '../../auth/tokens/client-store.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { findOrganisation } from '../../organisations/organisation-store.js';
import { administer, refusal } from './administered-change.js';

export type { CreatedOAuthClient, OAuthClient };

export interface NewClient {
  /** Generated when left out. */
  clientId?: string | undefined;
  name: string;
  /** ODS code of the organisation it acts for. */
  organisation: string;
  roles: string[];
  scopes: string[];
}

/**
 * Machine clients (OAuth 2.0 client credentials, src/auth/tokens) for platform administrators:
 * registered for one organisation with limited roles and scopes, their secrets rotated, disabled.
 * A secret is returned once, when made; every change and refusal is audited.
 */
export class ClientAdministration {
  /** @param bootstrapClientId UCP_BOOTSTRAP_CLIENT_ID: that client is changed in the environment, not here. */
  constructor(
    private readonly db: Database,
    private readonly bootstrapClientId: string | undefined,
  ) {}

  /** True for the client the installation's environment defines. */
  isBootstrap(clientId: string): boolean {
    return clientId === this.bootstrapClientId;
  }

  /** Enabled first; never a secret. */
  list(): Promise<OAuthClient[]> {
    return listClients(this.db);
  }

  create(caller: Caller, client: NewClient): Promise<CreatedOAuthClient> {
    const { clientId, name, organisation, roles, scopes } = client;
    return administer(
      this.db,
      caller,
      async (tx) => {
        if (!(await findOrganisation(tx, organisation)))
          throw new AppError('unprocessable', `There is no organisation ${organisation}; add it first.`, {
            issues: [{ path: '/organisation', message: 'unknown ODS code' }],
          });
        return createClient(tx, {
          ...(clientId ? { clientId } : {}),
          name,
          organisationOdsCode: organisation,
          roles,
          allowedScopes: scopes,
        });
      },
      {
        resource: { type: 'client', id: (result) => result.client.clientId },
        action: 'create',
        attempted: 'client-create',
        detail: ({ client: created }) => ({
          organisation: created.organisationOdsCode ?? null,
          roles: [...created.roles],
          scopes: [...created.allowedScopes],
        }),
      },
    );
  }

  /** A new secret; the old one stops working at once. */
  rotateSecret(caller: Caller, clientId: string): Promise<CreatedOAuthClient> {
    return administer(
      this.db,
      caller,
      async (tx) => {
        this.#mayChange(caller, clientId, 'rotate the secret of');
        const result = await rotateClientSecret(tx, clientId);
        if (!result) throw new AppError('not-found', `There is no client '${clientId}'.`);
        return result;
      },
      { resource: { type: 'client', id: clientId }, attempted: 'secret-rotation', detail: () => ({ change: 'secret-rotated' }) },
    );
  }

  /** No new tokens at once; tokens already issued stop within seconds. */
  async disable(caller: Caller, clientId: string): Promise<OAuthClient> {
    const client = await administer(
      this.db,
      caller,
      async (tx) => {
        this.#mayChange(caller, clientId, 'disable');
        if (!(await disableClient(tx, clientId))) throw new AppError('not-found', `There is no client '${clientId}'.`);
        return findClient(tx, clientId);
      },
      { resource: { type: 'client', id: clientId }, attempted: 'client-disable', detail: () => ({ change: 'disabled' }) },
    );
    if (!client) throw new AppError('not-found', `There is no client '${clientId}'.`);
    return client;
  }

  /** Refuses changing oneself, and the bootstrap client, whose truth is the environment. */
  #mayChange(caller: Caller, clientId: string, what: string): void {
    if (caller.kind === 'client' && caller.id === clientId) throw refusal(`a client does not ${what} itself: another administrator does`);
    if (this.isBootstrap(clientId)) {
      throw new AppError(
        'conflict',
        `The client '${clientId}' is defined by UCP_BOOTSTRAP_CLIENT_ID and UCP_BOOTSTRAP_CLIENT_SECRET and restored from them at every start: change those instead.`,
      );
    }
  }
}
