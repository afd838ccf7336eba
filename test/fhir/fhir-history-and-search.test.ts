import type { Bundle, CarePlan, CapabilityStatement, Flag, OperationOutcome, Provenance, Resource } from '@medplum/fhirtypes';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AMBULANCE,
  createPlanTestKit,
  etag,
  HOSPICE,
  publishedPlan,
  reviewDateIn,
  type PlanTestKit,
} from '../careplan/care-plan-test-kit.js';
import { expectValidFhir } from '../support/fhir-validation.js';
import { backend } from '../support/test-database.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
/** A person the demographics stub knows in full, so the Patient can be included. */
const PERSON = '9000000009';

describe(`CarePlan versions, date searches and paging through FHIR on ${backend}`, () => {
  let kit: PlanTestKit;
  let ehrId: string;
  /** The revisions that published version 1 and 2, and one a later draft made. */
  let first: string;
  let second: string;
  let draftRevision: string;

  const revisionOf = (response: LightMyRequestResponse) => etag(response).replace(/\D/g, '');

  beforeAll(async () => {
    kit = await createPlanTestKit();
    const published = await publishedPlan(kit, PERSON);
    ehrId = published.ehrId;
    first = published.revision.replace(/\D/g, '');
    const senior = await kit.as(['senior-clinician'], HOSPICE);
    const step = async (method: 'POST' | 'PUT', url: string, revision: string, payload?: object) => {
      const response = await senior({ method, url: `/api/care-plans/${ehrId}${url}`, headers: { 'if-match': `"${revision}"` }, payload });
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
      return revisionOf(response);
    };
    let revision = await step('POST', '/draft', first);
    revision = await step('PUT', '/draft/modules/contacts', revision, { flat: await kit.exampleFlat('contacts', {}) });
    revision = await step('POST', '/draft/submit', revision, { reviewDate: reviewDateIn(4), changeSummary: 'Contacts checked' });
    second = await step('POST', '/draft/approve', revision);
    // A draft nobody else sees: it makes no FHIR version.
    revision = await step('POST', '/draft', second);
    draftRevision = await step('PUT', '/draft/modules/contacts', revision, { flat: await kit.exampleFlat('contacts', {}) });
  });
  afterAll(() => kit.close());

  const crew = () => kit.as(['clinician'], AMBULANCE);
  const ok = <T extends Resource>(response: LightMyRequestResponse): T => {
    expect(response.statusCode, response.body).toBe(200);
    const resource = response.json<T>();
    expectValidFhir(resource);
    return resource;
  };
  const refused = (response: LightMyRequestResponse, status: number, mention: string) => {
    expect(response.statusCode, response.body).toBe(status);
    const outcome = response.json<OperationOutcome>();
    expectValidFhir(outcome);
    expect(JSON.stringify(outcome.issue)).toContain(mention);
  };

  it('serves each published version of the CarePlan as a FHIR version, the newest as read gives it', async () => {
    const request = await crew();
    const read = await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}` });
    const current = ok<CarePlan>(read);
    expect(current.meta).toMatchObject({ versionId: second });
    expect(read.headers.etag).toBe(`W/"${second}"`);

    const history = ok<Bundle>(await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}/_history` }));
    expect(history.type).toBe('history');
    expect(history.entry?.map((entry) => [entry.resource?.meta?.versionId, entry.request?.method])).toEqual([
      [second, 'PUT'],
      [first, 'POST'],
    ]);
    expect(history.entry?.[0]?.resource).toEqual(current);
    expect(history.entry?.[0]?.response?.lastModified).toBe(current.meta?.lastUpdated);

    const older = ok<CarePlan>(await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}/_history/${first}` }));
    expect(older.meta?.versionId).toBe(first);
    expect(older.text?.div).toContain('version 1');
    expect(older.meta?.lastUpdated && current.meta?.lastUpdated && older.meta.lastUpdated < current.meta.lastUpdated).toBe(true);
    expect(ok<CarePlan>(await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}/_history/${second}` }))).toEqual(current);

    refused(await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}/_history/${draftRevision}` }), 404, 'no version');
    refused(await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}/_history/999` }), 404, 'no version');
    refused(await request({ method: 'GET', url: `/fhir/CarePlan/${crypto.randomUUID()}/_history` }), 404, 'CarePlan');
  });

  it('gives one Provenance per version, each targeting it', async () => {
    const bundle = ok<Bundle>(await (await crew())({ method: 'GET', url: `/fhir/Provenance?patient=Patient/${PERSON}` }));
    const targets = (bundle.entry ?? []).map((entry) => (entry.resource as Provenance).target[0]?.reference);
    expect(targets.sort()).toEqual([`CarePlan/${ehrId}/_history/${first}`, `CarePlan/${ehrId}/_history/${second}`].sort());
  });

  it('searches by date (the period in force) and _lastUpdated with prefixes, and refuses a date that is not one', async () => {
    const request = await crew();
    const total = async (url: string) => ok<Bundle>(await request({ method: 'GET', url })).total;
    const lastUpdated = ok<CarePlan>(await request({ method: 'GET', url: `/fhir/CarePlan/${ehrId}` })).meta?.lastUpdated ?? '';
    const plans = `/fhir/CarePlan?patient=Patient/${PERSON}`;
    expect(await total(`${plans}&_lastUpdated=ge${lastUpdated}`)).toBe(1);
    expect(await total(`${plans}&_lastUpdated=gt${lastUpdated}`)).toBe(0);
    expect(await total(`${plans}&_lastUpdated=le${lastUpdated}`)).toBe(1);
    expect(await total(`${plans}&_lastUpdated=lt${lastUpdated}`)).toBe(0);
    expect(await total(`${plans}&_lastUpdated=lt2000-01-01,ge2000-01-01`)).toBe(1);
    expect(await total(`${plans}&date=ge2000-01-01`)).toBe(1);
    expect(await total(`${plans}&date=lt2000-01-01`)).toBe(0);
    expect(await total(`${plans}&date=gt2999-01-01`)).toBe(1);
    const flags = `/fhir/Flag?patient:identifier=${NHS}|${PERSON}`;
    expect(await total(`${flags}&date=le${lastUpdated.slice(0, 10)}`)).toBe(2);
    expect(await total(`${flags}&date=lt2000`)).toBe(0);
    refused(await request({ method: 'GET', url: `${plans}&date=2026-13-01` }), 400, 'not a real date');
    refused(await request({ method: 'GET', url: `${flags}&date=tomorrow` }), 400, 'not a date');
    refused(await request({ method: 'GET', url: `${plans}&_lastUpdated=ge2026-01-01T10:00` }), 400, 'no time zone');
    refused(await request({ method: 'GET', url: `/fhir/Consent?patient=Patient/${PERSON}&date=ge2000` }), 400, 'date');
  });

  it('pages with _count through next and previous links, and includes the Patient or what points at it', async () => {
    const request = await crew();
    const page = async (url: string) => ok<Bundle>(await request({ method: 'GET', url: url.slice(url.indexOf('/fhir/')) }));
    const link = (bundle: Bundle, relation: string) => bundle.link?.find((candidate) => candidate.relation === relation)?.url;
    const one = await page(`/fhir/Flag?patient=Patient/${PERSON}&_count=1`);
    expect(one.total).toBe(2);
    expect(one.entry).toHaveLength(1);
    const two = await page(link(one, 'next') ?? '');
    expect(two.entry).toHaveLength(1);
    expect(two.entry?.[0]?.resource?.id).not.toBe(one.entry?.[0]?.resource?.id);
    expect(link(two, 'next')).toBeUndefined();
    expect((await page(link(two, 'previous') ?? '')).entry?.[0]?.resource?.id).toBe(one.entry?.[0]?.resource?.id);

    const withPatient = await page(`/fhir/CarePlan?patient=Patient/${PERSON}&_include=CarePlan:patient`);
    expect(withPatient.entry?.map((entry) => [entry.resource?.resourceType, entry.search?.mode])).toEqual([
      ['CarePlan', 'match'],
      ['Patient', 'include'],
    ]);
    const withFlags = await page(`/fhir/Patient?identifier=${NHS}|${PERSON}&_revinclude=Flag:subject&_revinclude=CarePlan:subject`);
    const included = (withFlags.entry ?? []).filter((entry) => entry.search?.mode === 'include').map((entry) => entry.resource);
    expect(included.map((resource) => resource?.resourceType).sort()).toEqual(['CarePlan', 'Flag', 'Flag']);
    expect(
      (included.filter((resource) => resource?.resourceType === 'Flag') as Flag[]).every(
        (flag) => flag.subject.identifier?.value === PERSON,
      ),
    ).toBe(true);
    // Nothing is included with an empty page.
    const beyond = await page(`/fhir/Flag?patient=Patient/${PERSON}&_count=1&_offset=5&_include=Flag:patient`);
    expect(beyond.entry).toBeUndefined();
  });

  it('lists exactly the interactions and types the routes serve in the CapabilityStatement', async () => {
    const statement = ok<CapabilityStatement>(await kit.test.app.inject({ method: 'GET', url: '/fhir/metadata' }));
    const routes = new Set(kit.test.app.accessRoutes.flatMap((route) => [route.method].flat().map((method) => `${method} ${route.url}`)));
    const described = new Set<string>();
    for (const resource of statement.rest?.[0]?.resource ?? []) {
      for (const { code } of resource.interaction ?? []) {
        const path = `/fhir/${resource.type}`;
        const route = {
          read: `GET ${path}/:id`,
          vread: `GET ${path}/:id/_history/:vid`,
          'history-instance': `GET ${path}/:id/_history`,
          'search-type': `GET ${path}`,
          create: `POST ${path}`,
          delete: `DELETE ${path}/:id`,
        }[code as string];
        expect(route, `${resource.type} ${code}`).toBeDefined();
        expect(routes.has(route ?? ''), `${resource.type} ${code}: ${route}`).toBe(true);
        described.add(route ?? '');
      }
      for (const operation of resource.operation ?? []) {
        const route = `GET /fhir/${resource.type}/:id/$${operation.name}`;
        expect(routes.has(route), route).toBe(true);
        described.add(route);
      }
      expect(resource.versioning).toBe(resource.type === 'CarePlan' ? 'versioned' : 'no-version');
    }
    // Every FHIR route is in the statement, but for the statement itself, the POST form of each
    // search, and the channels it names in its documentation (the websocket, the flag feed).
    const undescribed = [...routes].filter(
      (route) =>
        / \/fhir\//.test(route) &&
        !described.has(route) &&
        !route.startsWith('HEAD ') &&
        !/\/_search$|\/metadata$|\/websocket$|\/Flag\/_feed$|\/\.well-known\//.test(route),
    );
    expect(undescribed).toEqual([]);
    const audit = statement.rest?.[0]?.resource?.find((resource) => resource.type === 'AuditEvent');
    expect(audit?.searchParam?.map((parameter) => parameter.name).sort()).toEqual(['_id', '_lastUpdated', 'agent', 'date', 'patient']);
    const carePlan = statement.rest?.[0]?.resource?.find((resource) => resource.type === 'CarePlan');
    expect(carePlan?.searchParam?.map((parameter) => parameter.name)).toContain('date');
  });
});
