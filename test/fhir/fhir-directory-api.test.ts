import type { Bundle, CapabilityStatement, OperationOutcome, Organization, PractitionerRole } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTestToken } from '../support/authorized-inject.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { expectValidFhir } from '../support/fhir-validation.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let test: TestApp;
let userId: string;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

beforeAll(async () => {
  test = await createTestApp();
  const db = test.database.db;
  for (let index = 1; index <= 5; index++) {
    await upsertOrganisation(db, {
      odsCode: `FDIR${index}`,
      name: `Directory Practice ${index}`,
      kind: index === 5 ? 'hospice' : 'gp-practice',
      ics: 'North East London',
      dataSecurityStatus: 'standards-met',
    });
  }
  const user = await createUser(db, {
    displayName: 'Dr Ada Okafor',
    email: 'ada@example.nhs.uk',
    professionalRegistrationId: 'GMC 7654321',
  });
  userId = user.id;
  await addMembership(db, user.id, 'FDIR1', ['clinician']);
  await addMembership(db, user.id, 'FDIR5', ['senior-clinician']);
  const patient = await createUser(db, { displayName: 'Pat Ient', email: 'pat@example.com', nhsNumber: '9990000018' });
  await addMembership(db, patient.id, 'FDIR1', ['patient']);
});
afterAll(() => test.close());

describe('the FHIR facade', () => {
  it('describes itself in a valid CapabilityStatement, without signing in', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/fhir/metadata' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    const statement = response.json<CapabilityStatement>();
    expectValidFhir(statement);
    const organization = statement.rest?.[0]?.resource?.find((resource) => resource.type === 'Organization');
    expect(organization?.searchParam?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['identifier', 'name', '_lastUpdated']),
    );
    expect(statement.rest?.[0]?.resource?.find((resource) => resource.type === 'PractitionerRole')?.searchInclude).toContain(
      'PractitionerRole:organization',
    );
  });

  it('reads an Organization by ODS code, valid against UK Core', async () => {
    const response = await test.inject({ method: 'GET', url: '/fhir/Organization/FDIR1' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    const organization = response.json<Organization>();
    expect(organization).toMatchObject({ id: 'FDIR1', name: 'Directory Practice 1', identifier: [{ value: 'FDIR1' }] });
    expectValidFhir(organization, { mustSupport: true });
  });

  it('searches by identifier and by name, and pages with links that lead through every match', async () => {
    const byIdentifier = await test.inject({
      method: 'GET',
      url: '/fhir/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|FDIR3',
    });
    expect(byIdentifier.json<Bundle>().entry?.map((entry) => entry.resource?.id)).toEqual(['FDIR3']);
    const seen: string[] = [];
    let url: string | undefined = '/fhir/Organization?name=directory%20practice&_count=2';
    let pages = 0;
    while (url !== undefined) {
      const page = await test.inject({ method: 'GET', url });
      const bundle = page.json<Bundle>();
      expectValidFhir(bundle, { mustSupport: true });
      expect(bundle.total).toBe(5);
      seen.push(...(bundle.entry ?? []).map((entry) => entry.resource?.id ?? ''));
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      url = next === undefined ? undefined : next.slice(next.indexOf('/fhir/'));
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['FDIR1', 'FDIR2', 'FDIR3', 'FDIR4', 'FDIR5']);
  });

  it('serves staff as Practitioner and PractitionerRole with their organisations included, never people reading their own plan', async () => {
    const response = await test.inject({
      method: 'GET',
      url: `/fhir/PractitionerRole?practitioner=Practitioner/${userId}&_include=PractitionerRole:organization&_include=PractitionerRole:practitioner`,
    });
    const bundle = response.json<Bundle>();
    expectValidFhir(bundle, { mustSupport: true });
    const roles = bundle.entry?.filter((entry) => entry.search?.mode === 'match').map((entry) => entry.resource as PractitionerRole);
    expect(roles?.map((role) => role.organization?.identifier?.value)).toEqual(['FDIR1', 'FDIR5']);
    expect(
      bundle.entry
        ?.filter((entry) => entry.search?.mode === 'include')
        .map((entry) => entry.resource?.resourceType)
        .sort(),
    ).toEqual(['Organization', 'Organization', 'Practitioner']);
    const byOds = await test.inject({
      method: 'GET',
      url: '/fhir/PractitionerRole?organization:identifier=https://fhir.nhs.uk/Id/ods-organization-code|FDIR1',
    });
    expect(byOds.json<Bundle>().total).toBe(1);
    const staff = await test.inject({ method: 'GET', url: '/fhir/Practitioner?name=ient' });
    expect(staff.json<Bundle>().total).toBe(0);
    const practitioner = await test.inject({ method: 'GET', url: `/fhir/Practitioner/${userId}` });
    expectValidFhir(practitioner.json(), { mustSupport: true });
  });

  it('answers every mistake with an OperationOutcome that says what was wrong', async () => {
    const cases: [string, number, string][] = [
      ['/fhir/Organization?colour=blue', 400, 'colour'],
      ['/fhir/Organization?_lastUpdated=ge2026-13-01', 400, '_lastUpdated'],
      ['/fhir/Organization?_lastUpdated=2026-01-01T10:00', 400, 'time zone'],
      ['/fhir/Organization?_count=100000', 400, '_count'],
      ['/fhir/Organization?_include=Organization:partof', 400, '_include'],
      ['/fhir/PractitionerRole?practitioner=Patient/1', 400, 'Patient'],
      ['/fhir/Organization/NOPE1', 404, 'NOPE1'],
      ['/fhir/Organization?_format=xml', 406, 'FHIR XML'],
      ['/fhir/Nonsense', 404, 'no FHIR endpoint'],
    ];
    for (const [url, status, mention] of cases) {
      const response = await test.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type']).toBe(FHIR_JSON);
      const outcome = response.json<OperationOutcome>();
      expectValidFhir(outcome);
      expect(JSON.stringify(outcome.issue), url).toContain(mention);
    }
    const lenient = await test.inject({
      method: 'GET',
      url: '/fhir/Organization?colour=blue&_count=1',
      headers: { prefer: 'handling=lenient' },
    });
    expect(lenient.statusCode).toBe(200);
    expect(lenient.json<Bundle>().link?.[0]?.url).not.toContain('colour');
  });

  it('refuses a caller without credentials, and a token whose scopes do not cover the type', async () => {
    const anonymous = await test.app.inject({ method: 'GET', url: '/fhir/Organization' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json<OperationOutcome>().issue[0]?.code).toBe('login');
    const narrow = await issueTestToken(test.services, test.database.db, {
      clientId: 'narrow',
      scopes: ['plan:read'],
      roles: ['viewer'],
      organisationOdsCode: 'FDIR1',
    });
    const refused = await test.app.inject({
      method: 'GET',
      url: '/fhir/Organization',
      headers: { authorization: `Bearer ${narrow}` },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<OperationOutcome>().issue[0]?.details?.text).toContain('fhir:read');
  });
});
