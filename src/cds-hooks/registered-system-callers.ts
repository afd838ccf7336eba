import type { Caller } from '../access/caller.js';
import { permissionsOf } from '../access/roles.js';
import type { Queryable } from '../db/database.js';
import type { VerifiedSystemToken } from '../integration/registered-systems.js';
import { findOrganisation } from '../organisations/organisation-store.js';

/** Makes the caller a registered record system acts as, once its signed JWT is verified. */
export class RegisteredSystemCallers {
  constructor(private readonly db: Queryable) {}

  /** The registered system as a caller: it reads as a viewer for its organisation. */
  async callerFor(verified: VerifiedSystemToken, address: string): Promise<Caller> {
    const organisation = verified.system.odsCode ? await findOrganisation(this.db, verified.system.odsCode) : undefined;
    return {
      kind: 'client',
      id: verified.system.issuer,
      displayName: verified.system.name,
      organisation,
      roles: ['viewer'],
      permissions: permissionsOf(['viewer']),
      scopes: undefined,
      launchContextNhsNumber: undefined,
      ownNhsNumber: undefined,
      breakGlassReason: undefined,
      purposeOfUse: 'direct-care',
      clientAddress: address,
      sessionId: undefined,
    };
  }
}
