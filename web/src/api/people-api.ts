import type { Static } from 'typebox';
import type { PeopleSearchQuery, PeopleSearchResult, PersonSchema } from '../../../src/demographics/http/people-schemas';
import { ApiProblem, getJson } from './http';

/**
 * The person's identity (GET /api/people/{nhs_number}), typed by the people API's schema
 * (src/demographics/http/people-schemas.ts): a record may hold no name or birth date (null).
 */
export type Person = Static<typeof PersonSchema>;

/** A search by name and date of birth (GET /api/people?…): the query the people API takes. */
export type PersonSearch = Static<typeof PeopleSearchQuery>;

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
  return (await getJson<Static<typeof PeopleSearchResult>>(`/api/people?${query.toString()}`)).people;
}
