import type { PersonIdentity } from '../person-identity.js';
import type { ContactPoint, Gender, PostalAddress, Verification } from '../person-demographics.js';

/** The person as the people API shows them (docs/demographics.md; the contract with the web app). */
export interface PersonView {
  nhsNumber: string;
  verification: Verification;
  restricted: boolean;
  nhsNumberStatus: { code: string; display: string } | null;
  name: { prefix: string[]; given: string[]; family: string; suffix: string[]; text: string } | null;
  birthDate: string | null;
  gender: Gender;
  address: PostalAddress | null;
  telecom: ContactPoint[];
  registeredGp: { odsCode: string; name: string | null } | null;
  deceased: { date: string } | null;
  supersededBy: string | null;
  source: PersonIdentity['source'];
  retrievedAt: string;
  version: number | null;
  plan: { ehrId: string; status: string; reviewDate?: string | null } | null;
}

/**
 * Builds the view. A restricted (S-flagged) record shows no address, contacts or registered GP,
 * whatever is stored — PDS requires it and the mapping never stores them, so this is the second
 * of two locks. A search answer shows where the plan is and its status, nothing of its content.
 */
export function personView(person: PersonIdentity, purpose: 'read' | 'search'): PersonView {
  const { demographics } = person;
  const restricted = demographics.restricted;
  const gp = restricted ? null : demographics.registeredGpOdsCode;
  return {
    nhsNumber: person.nhsNumber,
    verification: person.verification,
    restricted,
    nhsNumberStatus: demographics.nhsNumberStatus,
    name: demographics.name,
    birthDate: demographics.birthDate,
    gender: demographics.gender,
    address: restricted ? null : demographics.address,
    telecom: restricted ? [] : demographics.telecom,
    registeredGp: gp ? { odsCode: gp, name: person.registeredGpName } : null,
    deceased: demographics.deceased,
    supersededBy: person.supersededBy,
    source: person.source,
    retrievedAt: person.retrievedAt,
    version: person.version,
    plan: person.plan
      ? purpose === 'read'
        ? { ehrId: person.plan.ehrId, status: person.plan.status, reviewDate: person.plan.reviewDate }
        : { ehrId: person.plan.ehrId, status: person.plan.status }
      : null,
  };
}
