import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePersonAccess, type AccessBasis, type PersonAccessFacts } from '../../src/access/access-policy.js';
import type { Caller, CallerOrganisation } from '../../src/access/caller.js';
import { readPersonAccessFacts } from '../../src/access/person-access-facts.js';
import { decideQueryScope } from '../../src/access/query-scope.js';
import { permissionsOf, ROLES, type Role } from '../../src/access/roles.js';
import { testNhsNumber } from '../../src/nhs/nhs-number.js';
import { ehrScopeFor } from '../../src/openehr/service/ehr-scope.js';
import type { OpenEhrServices } from '../../src/openehr/service/openehr-services.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { aqlServices, createAqlEhr } from '../openehr/aql-test-data.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const organisation = (odsCode: string, kind: CallerOrganisation['kind'], status: CallerOrganisation['dataSecurityStatus']) => ({
  odsCode,
  name: `Organisation ${odsCode}`,
  kind,
  ics: 'North Central London',
  dataSecurityStatus: status,
});
const GP1 = organisation('AGR01', 'gp-practice', 'standards-met');
const GP2 = organisation('AGR02', 'gp-practice', 'standards-met');
const AMBULANCE = organisation('AGR03', 'ambulance-service', 'standards-met');
const CARE_HOME = organisation('AGR04', 'care-home', 'approaching-standards');
const ORGANISATIONS = [GP1, GP2, AMBULANCE, CARE_HOME];

/** One person of the generated population and the relationships recorded for them. */
interface Person {
  nhsNumber: string;
  careTeam: readonly string[];
  registeredGp: string | undefined;
  consent: boolean | undefined;
}

/** Every combination of care team, registered GP and consent decision: the relationships the policy knows. */
function population(): Person[] {
  const careTeams = [[], [GP1.odsCode], [AMBULANCE.odsCode], [CARE_HOME.odsCode], [GP1.odsCode, AMBULANCE.odsCode]];
  const gps = [undefined, GP1.odsCode, GP2.odsCode];
  const consents = [undefined, true, false];
  const people: Person[] = [];
  for (const careTeam of careTeams)
    for (const registeredGp of gps)
      for (const consent of consents) people.push({ nhsNumber: testNhsNumber(7_000 + people.length), careTeam, registeredGp, consent });
  return people;
}

function caller(kind: Caller['kind'], roles: Role[], org: CallerOrganisation | undefined, extra: Partial<Caller> = {}): Caller {
  return {
    kind,
    id: `${kind}:${roles.join('+')}:${org?.odsCode ?? '-'}`,
    displayName: 'agreement test',
    organisation: org,
    roles,
    permissions: permissionsOf(roles),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: 'direct-care',
    clientAddress: undefined,
    sessionId: undefined,
    ...extra,
  };
}

/** Every role, as a user and as a client, in every organisation (and none), with and without a person in launch context, or as the person. */
function callers(people: readonly Person[]): Caller[] {
  const launches = [undefined, people[4]?.nhsNumber, people[5]?.nhsNumber, people[17]?.nhsNumber];
  const all: Caller[] = [];
  for (const role of ROLES)
    for (const kind of ['user', 'client'] as const)
      for (const org of [...ORGANISATIONS, undefined])
        for (const launch of launches) all.push(caller(kind, [role], org, { launchContextNhsNumber: launch }));
  for (const person of people.slice(0, 6)) all.push(caller('user', ['patient'], undefined, { ownNhsNumber: person.nhsNumber }));
  return all;
}

/** The bases on which a single read of a person is also a reason to find them by a query. */
const QUERYABLE: ReadonlySet<AccessBasis> = new Set(['self', 'care-team', 'registered-gp', 'launch-context', 'administration']);

/**
 * The access decision for one person (TypeScript, access-policy.ts) and the scope of a query
 * (typed in query-scope.ts, rendered as SQL by ehr-scope.ts and run inside the compiled AQL) must
 * agree: a query finds exactly the people the caller could read through a relationship (standing
 * emergency access and break-glass are one person at a time, never a population), and a
 * population scope finds everyone.
 */
describe(`the query scope agrees with the person-access decision on ${backend}`, () => {
  let test: TestDatabase;
  let services: OpenEhrServices;
  const people = population();
  const ehrOf = new Map<string, string>();
  const facts = new Map<string, PersonAccessFacts>();

  beforeAll(async () => {
    test = await createTestDatabase();
    services = aqlServices(test.db);
    for (const org of ORGANISATIONS) await upsertOrganisation(test.db, org);
    for (const person of people) {
      const ehrId = await createAqlEhr(services, person.nhsNumber);
      ehrOf.set(ehrId, person.nhsNumber);
      for (const odsCode of person.careTeam)
        await test.db.query("INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, $2, 'care-team')", [
          person.nhsNumber,
          odsCode,
        ]);
      if (person.registeredGp)
        await test.db.query("INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, $2, 'registered-gp')", [
          person.nhsNumber,
          person.registeredGp,
        ]);
      if (person.consent !== undefined)
        await test.db.query('INSERT INTO person_consent (nhs_number, consent_to_share) VALUES ($1, $2)', [
          person.nhsNumber,
          person.consent,
        ]);
      facts.set(person.nhsNumber, await readPersonAccessFacts(test.db, person.nhsNumber));
    }
  }, 120_000);
  afterAll(() => test.drop());

  it('finds, for every caller, exactly the people the decision lets them read through a relationship', async () => {
    const checked = { related: 0, self: 0, all: 0, refused: 0 };
    for (const who of callers(people)) {
      const readable = people
        .filter((person) => {
          const decision = decidePersonAccess(who, 'read', facts.get(person.nhsNumber) as PersonAccessFacts);
          return decision.allowed && QUERYABLE.has(decision.basis);
        })
        .map((person) => person.nhsNumber)
        .sort();
      const scope = decideQueryScope(who);
      if (!scope.allowed) {
        checked.refused++;
        expect(readable, `${who.id} launch=${who.launchContextNhsNumber ?? '-'}: refused a scope, yet reads people`).toEqual([]);
        continue;
      }
      const result = await services.queries.execute({
        query: 'SELECT e/ehr_id/value FROM EHR e',
        parameters: {},
        ehrScope: ehrScopeFor(scope),
        timeoutMs: 20_000,
        fetch: 1_000,
      });
      const found = result.rows.map((row) => ehrOf.get(String(row[0])) ?? `unknown EHR ${String(row[0])}`).sort();
      if (scope.kind === 'all') {
        checked.all++;
        expect(found).toEqual(people.map((person) => person.nhsNumber).sort());
        // Record administration is the one population scope that is also a per-person basis: both say everyone.
        if (scope.basis === 'administration') expect(readable).toEqual(found);
        continue;
      }
      checked[scope.kind]++;
      expect(found, `${who.id} launch=${who.launchContextNhsNumber ?? '-'} own=${who.ownNhsNumber ?? '-'}`).toEqual(readable);
    }
    // The population and callers reach every kind of scope, so the agreement is not vacuous.
    expect(checked.related).toBeGreaterThan(20);
    expect(checked.self).toBeGreaterThan(0);
    expect(checked.all).toBeGreaterThan(0);
    expect(checked.refused).toBeGreaterThan(0);
  }, 300_000);
});
