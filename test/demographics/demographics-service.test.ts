import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DemographicsService, type DemographicsSettings } from '../../src/demographics/demographics-service.js';
import { readStoredPerson } from '../../src/demographics/demographics-store.js';
import type { FhirPatient } from '../../src/demographics/fhir-patient.js';
import { PdsFhirClient } from '../../src/demographics/pds-fhir-client.js';
import { PDS_STUB_BASE_URL } from '../../src/demographics/pds-source.js';
import { PdsStub, type PdsStubData } from '../../src/demographics/stub/pds-stub.js';
import { SANDBOX_NHS_NUMBERS as SANDBOX, sandboxStubData } from '../../src/demographics/stub/sandbox-patients.js';
import { AppError } from '../../src/errors/app-error.js';
import { isValidNhsNumber, nhsCheckDigit } from '../../src/nhs/nhs-number.js';
import { clinician } from '../audit/audit-test-callers.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const TODAY = '2025-06-01';

/** A person PDS holds, with what can change between two retrievals. */
function person(nhsNumber: string, changes: { family?: string; line?: string; restricted?: boolean } = {}): FhirPatient {
  return {
    resourceType: 'Patient',
    id: nhsNumber,
    meta: {
      versionId: '1',
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: changes.restricted ? 'R' : 'U' }],
    },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
    name: [{ use: 'usual', prefix: ['Mrs'], given: ['Ada'], family: changes.family ?? 'Okafor' }],
    gender: 'female',
    birthDate: '1938-04-02',
    address: [{ use: 'home', line: [changes.line ?? '12 Albion Road', 'Hackney', 'London'], postalCode: 'E8 1AB' }],
    telecom: [{ system: 'phone', use: 'home', value: '020 7946 0123' }],
  };
}

/** Another valid NHS number one digit away from `nhsNumber` (the check digit recomputed): a typo PDS does not know. */
function typoOf(nhsNumber: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    const body = `${nhsNumber.slice(0, 5)}${digit}${nhsNumber.slice(6, 9)}`;
    const check = nhsCheckDigit(body);
    if (body !== nhsNumber.slice(0, 9) && check !== undefined) return `${body}${check}`;
  }
  throw new Error('no typo found');
}

const ADA = '9990054991';
const MERGED = '9990055009';
const SECOND_MERGE = '9990055017';

describe(`the demographics service on ${backend}`, () => {
  let test: TestDatabase;
  let world: PdsStub;
  let reachable = true;
  let calls = 0;
  const settings: DemographicsSettings = { maxAgeSeconds: 0, retryAfterSeconds: 0 };
  const setWorld = (data: PdsStubData) => {
    world = new PdsStub({
      ...data,
      patients: [...data.patients, ...sandboxStubData().patients],
      searchEntries: sandboxStubData().searchEntries,
    });
  };
  const source = new PdsFhirClient({
    baseUrl: PDS_STUB_BASE_URL,
    timeoutMs: 1000,
    sourceName: 'pds-stub',
    today: () => TODAY,
    fetch: (input, init) => {
      calls++;
      return reachable ? world.fetch(input, init) : Promise.reject(new TypeError('fetch failed'));
    },
  });
  let service: DemographicsService;
  const count = async (table: string, nhsNumber: string) =>
    (await test.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE nhs_number = $1`, [nhsNumber])).rows[0]?.n;

  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());
  beforeEach(() => {
    reachable = true;
    settings.maxAgeSeconds = 0;
    settings.retryAfterSeconds = 0;
    service = new DemographicsService(test.db, source, settings);
    setWorld({ patients: [person(ADA)] });
  });

  it('stores a new version only when something changed, with its source and time', async () => {
    const first = await service.lookup(ADA);
    expect(first).toMatchObject({ nhsNumber: ADA, version: 1, source: 'pds-stub', verification: 'verified', supersededBy: null });
    expect(first.demographics.name?.text).toBe('Mrs Ada OKAFOR');
    const again = await service.lookup(ADA);
    expect(again.version).toBe(1);
    expect(Date.parse(again.verifiedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first.verifiedAt ?? ''));

    setWorld({ patients: [person(ADA, { line: '7 Marlowe Road' })] });
    const moved = await service.lookup(ADA);
    expect(moved.version).toBe(2);
    expect(moved.demographics.address?.lines[0]).toBe('7 Marlowe Road');
    const { rows } = await test.db.query<{ version: number; source: string; line: string }>(
      "SELECT version, source, demographics->'address'->'lines'->>0 AS line FROM person_demographics_version WHERE nhs_number = $1 ORDER BY version",
      [ADA],
    );
    expect(rows).toEqual([
      { version: 1, source: 'pds-stub', line: '12 Albion Road' },
      { version: 2, source: 'pds-stub', line: '7 Marlowe Road' },
    ]);
  });

  it('stores one version when several people open the same person at once', async () => {
    const crowd = '9990055076';
    setWorld({ patients: [person(crowd)] });
    await Promise.all(Array.from({ length: 6 }, () => service.lookup(crowd)));
    expect(await count('person_demographics_version', crowd)).toBe(1);
    setWorld({ patients: [person(crowd, { line: '3 Cedar Grove' })] });
    await Promise.all(Array.from({ length: 6 }, () => service.lookup(crowd)));
    expect(await count('person_demographics_version', crowd)).toBe(2);
  });

  it('refuses a typo — a valid NHS number PDS does not know — and records nothing', async () => {
    const typo = typoOf(ADA);
    expect(isValidNhsNumber(typo)).toBe(true);
    await expect(service.lookup(typo)).rejects.toMatchObject({ code: 'not-found', status: 404 });
    await expect(service.requireKnownPerson(typo)).rejects.toMatchObject({ code: 'not-found' });
    expect(await count('person_demographics', typo)).toBe(0);
    expect(await count('person_demographics_version', typo)).toBe(0);
    await expect(service.lookup('9990054992')).rejects.toMatchObject({ code: 'bad-request', status: 400 });
  });

  it('answers the last stored version, marked unverified, while PDS cannot be reached — and verified again once it can', async () => {
    const stored = await service.lookup(ADA);
    setWorld({ patients: [person(ADA, { family: 'Changed-While-Down' })] });
    reachable = false;
    const down = await service.lookup(ADA);
    expect(down).toMatchObject({ verification: 'unverified', version: stored.version, verifiedAt: stored.verifiedAt });
    expect(down.demographics.name?.family).toBe('Okafor');
    expect(down.unverifiedSince).not.toBeNull();
    // Every view reads the mark from the store, not from this answer.
    expect((await readStoredPerson(test.db, ADA))?.verification).toBe('unverified');
    expect((await service.requireKnownPerson(ADA)).verification).toBe('unverified');
    reachable = true;
    const back = await service.lookup(ADA);
    expect(back).toMatchObject({ verification: 'verified', unverifiedSince: null, version: stored.version + 1 });
    expect(back.demographics.name?.family).toBe('Changed-While-Down');
  });

  it('answers 503 when PDS cannot be reached and nothing is stored, and records nothing', async () => {
    reachable = false;
    settings.retryAfterSeconds = 30;
    const refused = await service.lookup(SANDBOX.full).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'unavailable', status: 503, headers: { 'Retry-After': '30' } });
    expect(await count('person_demographics', SANDBOX.full)).toBe(0);
  });

  it('does not make everyone wait for a timeout again moments after PDS failed', async () => {
    await service.lookup(ADA);
    settings.retryAfterSeconds = 60;
    reachable = false;
    await service.lookup(ADA);
    const before = calls;
    reachable = true;
    expect((await service.lookup(ADA)).verification).toBe('unverified');
    expect(calls).toBe(before);
  });

  it('answers from a verified version while it is fresh, without asking PDS', async () => {
    settings.maxAgeSeconds = 3600;
    await service.lookup(ADA);
    const before = calls;
    await service.lookup(ADA);
    expect(calls).toBe(before);
    // Starting a plan always asks afresh.
    await service.requireKnownPerson(ADA);
    expect(calls).toBe(before + 1);
  });

  it('follows a merged number to the record that replaced it, and stores that record once', async () => {
    setWorld({ patients: [person(ADA)], superseded: new Map([[MERGED, ADA]]) });
    const merged = await service.lookup(MERGED);
    expect(merged).toMatchObject({ nhsNumber: MERGED, supersededBy: ADA, demographics: { nhsNumber: ADA } });
    const direct = await service.lookup(ADA);
    expect(direct).toMatchObject({ nhsNumber: ADA, supersededBy: null, version: merged.version });
    expect(await count('person_demographics_version', MERGED)).toBe(0);
    const { rows } = await test.db.query(
      'SELECT nhs_number, superseded_by, current_version FROM person_demographics WHERE nhs_number = ANY($1) ORDER BY nhs_number',
      [[ADA, MERGED]],
    );
    expect(rows).toEqual([
      { nhs_number: ADA, superseded_by: null, current_version: merged.version },
      { nhs_number: MERGED, superseded_by: ADA, current_version: null },
    ]);

    // PDS merges the surviving record again: every number that pointed at it follows.
    setWorld({
      patients: [person(SECOND_MERGE)],
      superseded: new Map([
        [MERGED, SECOND_MERGE],
        [ADA, SECOND_MERGE],
      ]),
    });
    expect(await service.lookup(ADA)).toMatchObject({ supersededBy: SECOND_MERGE, demographics: { nhsNumber: SECOND_MERGE } });
    expect((await readStoredPerson(test.db, MERGED))?.supersededBy).toBe(SECOND_MERGE);
  });

  it('the sandbox superseded number is followed too', async () => {
    setWorld({ patients: [], superseded: sandboxStubData().superseded });
    expect(await service.lookup(SANDBOX.superseded)).toMatchObject({
      supersededBy: SANDBOX.full,
      demographics: { nhsNumber: SANDBOX.full },
    });
  });

  it('keeps a record PDS no longer knows, marked not-found, and will not start a plan for it', async () => {
    await service.lookup(ADA);
    setWorld({ patients: [] });
    expect(await service.lookup(ADA)).toMatchObject({ verification: 'not-found', version: 1 });
    await expect(service.requireKnownPerson(ADA)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('searches PDS, audits the search and each person returned, and searches what is stored while PDS is down', async () => {
    const SEEN = '9990055068';
    setWorld({ patients: [person(SEEN, { family: 'Adeyemi' }), person('9990055025', { family: 'Adeyemi', restricted: true })] });
    await service.lookup(SEEN);
    const caller = clinician();
    const criteria = { family: 'adeyemi', given: 'Ada', birthDate: '1938-04-02', gender: undefined, postcode: undefined };
    const found = await service.search(caller, criteria);
    expect(found.answeredBy).toBe('pds-stub');
    expect(found.people.map((person) => [person.nhsNumber, person.version, person.verification])).toEqual([
      [SEEN, null, 'verified'],
      ['9990055025', null, 'verified'],
    ]);
    // A search answer is not stored: only a person opened is.
    expect(await count('person_demographics', '9990055025')).toBe(0);
    const audit = await test.db.query<{ nhs_number: string | null; action: string; resource_type: string }>(
      "SELECT nhs_number, action, resource_type FROM audit_log WHERE resource_type = 'people-search' ORDER BY seq",
    );
    expect(audit.rows).toEqual([
      { nhs_number: null, action: 'query', resource_type: 'people-search' },
      { nhs_number: SEEN, action: 'query', resource_type: 'people-search' },
      { nhs_number: '9990055025', action: 'query', resource_type: 'people-search' },
    ]);

    reachable = false;
    const stored = await service.search(caller, { ...criteria, family: 'Ade*' });
    expect(stored).toMatchObject({ answeredBy: 'stored', people: [{ nhsNumber: SEEN, verification: 'unverified', version: 1 }] });
    expect((await service.search(caller, { ...criteria, postcode: 'E9' })).people).toEqual([]);
    expect((await service.search(caller, { ...criteria, postcode: 'E8' })).people).toHaveLength(1);
  });

  it('asks for a narrower search when too many people match, and audits it', async () => {
    const twins = ['9990055033', '9990055041'].map((nhsNumber) => person(nhsNumber));
    setWorld({ patients: twins });
    const narrow = new DemographicsService(
      test.db,
      new PdsFhirClient({ baseUrl: PDS_STUB_BASE_URL, timeoutMs: 1000, maxResults: 1, fetch: (input, init) => world.fetch(input, init) }),
      settings,
    );
    await expect(
      narrow.search(clinician(), { family: 'Okafor', given: undefined, birthDate: '1938-04-02', gender: undefined, postcode: undefined }),
    ).rejects.toMatchObject({ code: 'unprocessable', status: 422 });
    const { rows } = await test.db.query<{ outcome: string }>(
      "SELECT detail->>'outcome' AS outcome FROM audit_log WHERE resource_type = 'people-search' ORDER BY seq DESC LIMIT 1",
    );
    expect(rows).toEqual([{ outcome: 'too-many' }]);
  });
});
