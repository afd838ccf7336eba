import type { Caller } from '../../access/caller.js';
import type { Database } from '../../db/database.js';
import { listOrganisations, upsertOrganisation, type Organisation } from '../../organisations/organisation-store.js';
import { administer } from './administered-change.js';

/** The organisations taking part: listed for everyone, added and changed by platform administrators (audited). */
export class OrganisationAdministration {
  constructor(private readonly db: Database) {}

  list(): Promise<Organisation[]> {
    return listOrganisations(this.db);
  }

  /** Adds or updates one organisation; its data-security status decides whether it may see plans. */
  put(caller: Caller, organisation: Organisation): Promise<Organisation> {
    return administer(this.db, caller, (tx) => upsertOrganisation(tx, organisation), {
      resource: { type: 'organisation', id: organisation.odsCode },
      attempted: 'organisation-upsert',
      detail: (stored) => ({ dataSecurityStatus: stored.dataSecurityStatus }),
    });
  }
}
