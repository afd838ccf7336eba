import { ApiProblem, getJson } from './http';

/**
 * The person's identity (GET /api/people/{nhs_number}), as the people API contract between the
 * pds and web branches gives it (docs: the contract in the brief; the API is served by src/people).
 */
export interface Person {
  nhsNumber: string;
  /** unverified: the national demographics service (PDS) could not be reached. */
  verification: 'verified' | 'unverified' | 'not-found';
  /** S-flagged: address and contacts are withheld. */
  restricted: boolean;
  name: { prefix?: string[]; given: string[]; family: string; text: string };
  birthDate: string;
  gender: 'female' | 'male' | 'other' | 'unknown';
  address: { lines: string[]; city?: string; postalCode?: string } | null;
  telecom: { system: string; use?: string; value: string }[];
  registeredGp: { odsCode: string; name: string } | null;
  deceased: { date: string } | null;
  supersededBy: string | null;
  source: 'pds' | 'pds-stub' | 'manual';
  retrievedAt: string;
  version: number;
  plan: PersonPlan | null;
}

export type PlanStatus = 'published' | 'draft' | 'awaiting-approval' | 'closed' | 'deleted';

export interface PersonPlan {
  ehrId: string;
  status: PlanStatus;
  reviewDate?: string | null;
}

export interface PersonSearch {
  family: string;
  given?: string;
  birthdate: string;
  gender?: string;
  postcode?: string;
}

/** What the app knows of a person's identity: the record, or why there is none. */
export type IdentityLookup =
  { kind: 'found'; person: Person } | { kind: 'not-known'; problem: ApiProblem } | { kind: 'unavailable'; problem: ApiProblem | undefined };

/**
 * Looks a person up by NHS number. A 404 with the people API's own answer means the national
 * service does not know the number (a typo); any other failure leaves the identity unavailable,
 * and the page goes on with what the plan says.
 */
export async function lookUpPerson(nhsNumber: string, headers: Record<string, string> = {}): Promise<IdentityLookup> {
  try {
    return { kind: 'found', person: await getJson<Person>(`/api/people/${encodeURIComponent(nhsNumber)}`, { headers }) };
  } catch (error) {
    if (!(error instanceof ApiProblem)) return { kind: 'unavailable', problem: undefined };
    if (error.status === 404 && error.code !== 'route-not-found') return { kind: 'not-known', problem: error };
    if (error.status === 403) throw error;
    return { kind: 'unavailable', problem: error };
  }
}

export async function searchPeople(search: PersonSearch): Promise<Person[]> {
  const query = new URLSearchParams(Object.entries(search).filter((entry): entry is [string, string] => Boolean(entry[1])));
  return (await getJson<{ people: Person[] }>(`/api/people?${query.toString()}`)).people;
}
