import type { PlanPointer, StoredPerson } from './demographics-store.js';
import type { DemographicsSourceName, PersonDemographics, Verification } from './person-demographics.js';

/** What every view of a person's identity is made from: stored, or a search answer not stored. */
export interface PersonIdentity {
  nhsNumber: string;
  supersededBy: string | null;
  verification: Verification;
  source: DemographicsSourceName;
  /** When the source last gave or confirmed these demographics. */
  retrievedAt: string;
  /** The stored version shown; null for a search answer (search results are not stored). */
  version: number | null;
  demographics: PersonDemographics;
  registeredGpName: string | null;
  plan: PlanPointer | null;
}

export function identityOf(person: StoredPerson): PersonIdentity {
  return {
    nhsNumber: person.nhsNumber,
    supersededBy: person.supersededBy,
    verification: person.verification,
    source: person.source,
    retrievedAt: person.verifiedAt ?? person.versionRetrievedAt,
    version: person.version,
    demographics: person.demographics,
    registeredGpName: person.registeredGpName,
    plan: person.plan,
  };
}
