import { clientCaller, type Caller } from '../access/caller.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findOrganisation } from '../organisations/organisation-store.js';
import { callerForUser } from '../users/user-store.js';
import { findClient } from './tokens/client-store.js';

/** Who set up standing work (a subscription) that runs after their request has ended. */
export interface StandingOwner {
  kind: Caller['kind'];
  id: string;
  /** The organisation they acted for. */
  odsCode: string | undefined;
}

/**
 * The caller an owner of standing work is today, or why they no longer are one: a user as their
 * membership of the organisation now stands (removed or disabled: none), a client as it is now
 * registered (disabled or deleted: none; its roles and organisation as registered, which is what
 * its tokens would carry). Work done for them later is decided on this caller, never on the
 * rights they had when they set it up.
 */
export async function standingCaller(db: Queryable, owner: StandingOwner): Promise<Caller | { lost: string }> {
  if (owner.kind === 'user') {
    if (owner.odsCode === undefined) return { lost: `the user ${owner.id} acted for no organisation` };
    try {
      return await callerForUser(db, { id: owner.id }, owner.odsCode);
    } catch (error) {
      if (error instanceof AppError && error.status === 403) return { lost: error.detail };
      throw error;
    }
  }
  if (owner.kind !== 'client') return { lost: `${owner.id} is not a user or client the platform can act for` };
  const client = await findClient(db, owner.id);
  if (!client) return { lost: `the client ${owner.id} is no longer registered` };
  if (client.disabledAt) return { lost: `the client ${owner.id} was disabled on ${client.disabledAt.toISOString()}` };
  const organisation = client.organisationOdsCode === undefined ? undefined : await findOrganisation(db, client.organisationOdsCode);
  return clientCaller({ clientId: client.clientId, organisation, roles: client.roles, scopes: client.allowedScopes });
}
