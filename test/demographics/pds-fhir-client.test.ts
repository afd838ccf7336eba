import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemographicsUnavailable, type DemographicsSource } from '../../src/demographics/demographics-source.js';
import { PdsFhirClient, searchParameters } from '../../src/demographics/pds-fhir-client.js';
import { PDS_STUB_BASE_URL } from '../../src/demographics/pds-source.js';
import { PdsStub } from '../../src/demographics/stub/pds-stub.js';
import { SANDBOX_NHS_NUMBERS as SANDBOX, sandboxStubData } from '../../src/demographics/stub/sandbox-patients.js';
import { startPdsStubServer, type PdsStubServer } from '../support/pds-stub-server.js';

const DURING = () => '2025-06-01';
const stub = new PdsStub(sandboxStubData());

let server: PdsStubServer;
beforeAll(async () => {
  server = await startPdsStubServer(stub);
});
afterAll(() => server.close());

// The same sandbox cases through the stub in process (demo mode, tests) and over HTTP (as PDS is met).
const backends: [string, () => DemographicsSource][] = [
  ['the stub in process', () => new PdsFhirClient({ baseUrl: PDS_STUB_BASE_URL, timeoutMs: 2000, fetch: stub.fetch, today: DURING })],
  ['the stub over HTTP', () => new PdsFhirClient({ baseUrl: server.url, timeoutMs: 2000, today: DURING })],
];

describe.each(backends)('the PDS FHIR client against %s', (_name, client) => {
  it('reads the full record', async () => {
    const outcome = await client().read(SANDBOX.full);
    expect(outcome).toMatchObject({
      kind: 'found',
      sourceVersion: '2',
      demographics: {
        nhsNumber: SANDBOX.full,
        name: { text: 'Mrs Jane SMITH MBE' },
        registeredGpOdsCode: 'Y12345',
        deceased: { date: '2010-10-22' },
      },
    });
  });

  it('reads the restricted record without location data', async () => {
    expect(await client().read(SANDBOX.restricted)).toMatchObject({
      kind: 'found',
      demographics: { nhsNumber: SANDBOX.restricted, restricted: true, address: null, telecom: [], registeredGpOdsCode: null },
    });
  });

  it('reads the minimal record', async () => {
    expect(await client().read(SANDBOX.minimal)).toMatchObject({ kind: 'found', demographics: { nhsNumber: SANDBOX.minimal, name: null } });
  });

  it('answers a superseded number with the record that replaced it', async () => {
    expect(await client().read(SANDBOX.superseded)).toMatchObject({ kind: 'found', demographics: { nhsNumber: SANDBOX.full } });
  });

  it('tells a number PDS does not know from one it refuses as invalid', async () => {
    expect(await client().read(SANDBOX.notFound)).toEqual({ kind: 'not-found' });
    expect(await client().read(SANDBOX.invalid)).toEqual({ kind: 'invalid' });
  });

  it("searches as PDS's sandbox does, and never returns a restricted record to a search that names a postcode", async () => {
    const found = await client().search({ family: 'Smith', given: 'Jane', birthDate: '2010-10-22', gender: 'female', postcode: undefined });
    expect(found).toMatchObject({ kind: 'matches', people: [{ score: 0.75, demographics: { nhsNumber: SANDBOX.full } }] });
    const restricted = { family: 'Smythe', given: 'Janet', birthDate: '2005-06-16', gender: undefined, postcode: undefined };
    expect(await client().search(restricted)).toMatchObject({
      kind: 'matches',
      people: [{ demographics: { restricted: true, address: null } }],
    });
    expect(await client().search({ ...restricted, postcode: 'LS1' })).toEqual({ kind: 'matches', people: [] });
    expect(
      await client().search({ family: 'Nobody', given: undefined, birthDate: '1950-01-01', gender: undefined, postcode: undefined }),
    ).toEqual({
      kind: 'matches',
      people: [],
    });
  });
});

describe('the PDS FHIR client on the wire', () => {
  it('sends the headers PDS requires: a fresh X-Request-ID per call, the correlation id, the bearer token', async () => {
    const client = new PdsFhirClient({ baseUrl: server.url, timeoutMs: 2000, accessToken: async () => 'a-token' });
    const before = server.requests.length;
    await client.read(SANDBOX.full, { correlationId: 'ucp-request-1' });
    await client.read(SANDBOX.full);
    const [first, second] = server.requests.slice(before);
    expect(first?.url).toBe(`/personal-demographics/FHIR/R4/Patient/${SANDBOX.full}`);
    expect(first?.headers).toMatchObject({
      accept: 'application/fhir+json',
      'x-correlation-id': 'ucp-request-1',
      authorization: 'Bearer a-token',
    });
    expect(first?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers['x-request-id']).not.toBe(first?.headers['x-request-id']);
    expect(second?.headers['x-correlation-id']).toBeUndefined();
  });

  it('writes the search as PDS takes it: exact birth date, a postcode start as a wildcard', () => {
    const query = new URLSearchParams(
      searchParameters({ family: 'Smith', given: 'Jane', birthDate: '1941-03-02', gender: 'female', postcode: 'ls1' }, 10),
    );
    expect(Object.fromEntries(query)).toEqual({
      family: 'Smith',
      given: 'Jane',
      birthdate: 'eq1941-03-02',
      gender: 'female',
      'address-postcode': 'LS1*',
      '_max-results': '10',
    });
    expect(
      new URLSearchParams(
        searchParameters({ family: 'Smith', given: undefined, birthDate: '1941-03-02', gender: undefined, postcode: 'LS1 6AE' }, 10),
      ).get('address-postcode'),
    ).toBe('LS1 6AE');
  });

  it('counts too many matches as a search to narrow', async () => {
    const twins = new PdsStub({
      patients: ['9000000017', '9000000068'].map((id) => ({
        resourceType: 'Patient',
        id,
        name: [{ use: 'usual', family: 'Twin', given: ['Alex'] }],
        birthDate: '1990-01-01',
      })),
    });
    const twinServer = await startPdsStubServer(twins);
    try {
      const outcome = await new PdsFhirClient({ baseUrl: twinServer.url, timeoutMs: 2000, maxResults: 1 }).search({
        family: 'Twin',
        given: undefined,
        birthDate: '1990-01-01',
        gender: undefined,
        postcode: undefined,
      });
      expect(outcome).toEqual({ kind: 'too-many' });
    } finally {
      await twinServer.close();
    }
  });

  it('counts a timeout, a refused connection, a server error, a rate limit and a non-FHIR 404 as PDS unavailable — never as an answer about the person', async () => {
    const client = new PdsFhirClient({ baseUrl: server.url, timeoutMs: 200 });
    try {
      server.behave({ kind: 'slow', delayMs: 1000 });
      await expect(client.read(SANDBOX.full)).rejects.toThrow(/did not answer within 200 ms/);
      for (const status of [500, 503, 429, 401]) {
        server.behave({ kind: 'fixed', status, body: '{"resourceType":"OperationOutcome","issue":[]}' });
        await expect(client.read(SANDBOX.full), String(status)).rejects.toBeInstanceOf(DemographicsUnavailable);
      }
      // A gateway's own 404 (a wrong base URL) must not make a real person look unknown.
      server.behave({ kind: 'fixed', status: 404, body: '<html>Not Found</html>' });
      await expect(client.read(SANDBOX.full)).rejects.toThrow(/not JSON/);
      server.behave({ kind: 'fixed', status: 404, body: '{"resourceType":"OperationOutcome","issue":[]}' });
      await expect(client.read(SANDBOX.full)).rejects.toBeInstanceOf(DemographicsUnavailable);
      server.behave({ kind: 'fixed', status: 200, body: '{"resourceType":"Patient","id":"12"}' });
      await expect(client.read(SANDBOX.full)).rejects.toThrow(/no valid NHS number/);
    } finally {
      server.behave({ kind: 'normal' });
    }
    const nowhere = new PdsFhirClient({ baseUrl: 'http://127.0.0.1:9/FHIR/R4', timeoutMs: 2000 });
    await expect(nowhere.read(SANDBOX.full)).rejects.toThrow(/could not be reached/);
  });
});
