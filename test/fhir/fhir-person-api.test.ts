import type { Bundle, CarePlan, Flag, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import {
  AMBULANCE,
  createPlanTestKit,
  declareCare,
  HOSPICE,
  NOT_FOR_CPR,
  publishedPlan,
  STRANGER,
  type PlanTestKit,
} from '../careplan/care-plan-test-kit.js';
import { expectValidFhir } from '../support/fhir-validation.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { unknownToPds } from '../support/test-pds.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
/** A person the PDS sandbox (and so the demographics stub) knows in full. */
const PDS_SANDBOX_PERSON = '9000000009';

describe(`a person's data through FHIR on ${backend}`, () => {
  let kit: PlanTestKit;
  let nhsNumber: string;
  let ehrId: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    nhsNumber = nextTestNhsNumber();
    ({ ehrId } = await publishedPlan(kit, nhsNumber, { respect: NOT_FOR_CPR, contacts: 'example' }));
  });
  afterAll(() => kit.close());

  const crew = () => kit.as(['clinician'], AMBULANCE);

  it('reads the CarePlan by EHR id, valid against UK Core, with the whole plan as narrative, and audits the read for the person', async () => {
    const before = (await queryAudit(kit.test.database.db, { nhsNumber, action: 'read', limit: 500 })).entries.length;
    const response = await (await crew())({ method: 'GET', url: `/fhir/CarePlan/${ehrId}` });
    expect(response.statusCode, response.body).toBe(200);
    const plan = response.json<CarePlan>();
    expect(plan).toMatchObject({ resourceType: 'CarePlan', id: ehrId, status: 'active', subject: { identifier: { value: nhsNumber } } });
    expect(plan.text?.div).toContain('<div');
    expectValidFhir(plan, { mustSupport: true });
    const after = await queryAudit(kit.test.database.db, { nhsNumber, action: 'read', limit: 500 });
    expect(after.entries.length).toBe(before + 1);
    expect(after.entries.some((entry) => entry.resourceId === 'GET /fhir/CarePlan/:id')).toBe(true);
  });

  it('searches the person’s Flags by patient identifier: the plan flag and the CPR flag, each valid', async () => {
    const response = await (await crew())({ method: 'GET', url: `/fhir/Flag?patient:identifier=${NHS}|${nhsNumber}` });
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<Bundle<Flag>>();
    expectValidFhir(bundle, { mustSupport: true });
    const flags = (bundle.entry ?? []).map((entry) => entry.resource as Flag);
    expect(flags.map((flag) => flag.id).sort()).toEqual([`${ehrId}-cpr`, `${ehrId}-plan`].sort());
    expect(flags.every((flag) => flag.status === 'active')).toBe(true);
    expect(JSON.stringify(flags.find((flag) => flag.id === `${ehrId}-cpr`))).toMatch(/CPR/i);
  });

  it('serves every person resource type the capability statement lists, each valid, for one person, each read in their access report', async () => {
    const request = await crew();
    const readsBefore = (await queryAudit(kit.test.database.db, { nhsNumber, action: 'read', limit: 1000 })).entries.length;
    let requests = 0;
    for (const type of ['Patient', 'CarePlan', 'Flag', 'Consent', 'RelatedPerson', 'CareTeam', 'Provenance', 'DocumentReference']) {
      const query = type === 'Patient' ? `identifier=${NHS}|${nhsNumber}` : `patient=Patient/${nhsNumber}`;
      const response = await request({ method: 'GET', url: `/fhir/${type}?${query}` });
      requests += 1;
      expect(response.statusCode, `${type}: ${response.body}`).toBe(200);
      const bundle = response.json<Bundle>();
      expectValidFhir(bundle);
      if (type !== 'Patient') expect(bundle.total, type).toBeGreaterThan(0);
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource as Resource;
        const read = await request({ method: 'GET', url: `/fhir/${type}/${resource.id ?? ''}` });
        requests += 1;
        expect(read.statusCode, `${type}/${resource.id ?? ''}`).toBe(200);
        expect(read.json<Resource>()).toEqual(resource);
      }
    }
    // Every search and every read of the person's data is a read in the person's access report.
    const readsAfter = (await queryAudit(kit.test.database.db, { nhsNumber, action: 'read', limit: 1000 })).entries.length;
    expect(readsAfter - readsBefore).toBe(requests);
    const statement = await kit.test.app.inject({ method: 'GET', url: '/fhir/metadata' });
    const served = statement.json<{ rest: { resource: { type: string }[] }[] }>().rest[0]?.resource.map((resource) => resource.type);
    expect(served).toEqual(expect.arrayContaining(['Patient', 'CarePlan', 'Flag', 'Consent', 'RelatedPerson', 'CareTeam', 'Provenance']));
  });

  it('includes the Patient and reverse-includes Provenance with the CarePlan', async () => {
    const response = await (
      await crew()
    )({ method: 'GET', url: `/fhir/CarePlan?subject=Patient/${nhsNumber}&_include=CarePlan:subject&_revinclude=Provenance:target` });
    expect(response.statusCode, response.body).toBe(200);
    const entries = response.json<Bundle>().entry ?? [];
    expect(entries.filter((entry) => entry.search?.mode === 'match').map((entry) => entry.resource?.resourceType)).toEqual(['CarePlan']);
    const included = entries.filter((entry) => entry.search?.mode === 'include').map((entry) => entry.resource?.resourceType);
    expect(included).toContain('Provenance');
  });

  it('filters by status: a published plan is not a draft', async () => {
    const request = await crew();
    const active = await request({ method: 'GET', url: `/fhir/CarePlan?patient=Patient/${nhsNumber}&status=active` });
    expect(active.json<Bundle>().total).toBe(1);
    const drafts = await request({ method: 'GET', url: `/fhir/CarePlan?patient=Patient/${nhsNumber}&status=draft` });
    expect(drafts.json<Bundle>().total).toBe(0);
  });

  it('refuses an organisation with no relationship, with an OperationOutcome, and audits the refusal', async () => {
    const stranger = await kit.as(['clinician'], STRANGER);
    const response = await stranger({ method: 'GET', url: `/fhir/CarePlan/${ehrId}` });
    expect(response.statusCode).toBe(403);
    expect(response.json<OperationOutcome>()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
    const denied = await queryAudit(kit.test.database.db, { nhsNumber, action: 'access-denied', limit: 100 });
    expect(denied.entries.some((entry) => entry.odsCode === STRANGER.odsCode)).toBe(true);
  });

  it('lets a stranger break the glass with a coded reason, and records it', async () => {
    const stranger = await kit.as(['clinician'], STRANGER);
    const response = await stranger({
      method: 'GET',
      url: `/fhir/Flag?patient=Patient/${nhsNumber}`,
      headers: { 'x-ucp-break-glass-reason': 'unable-to-consent: found collapsed at a bus stop, no records to hand' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const glass = await queryAudit(kit.test.database.db, { nhsNumber, action: 'break-glass', limit: 100 });
    expect(glass.entries.some((entry) => entry.odsCode === STRANGER.odsCode)).toBe(true);
  });

  it('refuses a search that does not name one person, and one that names two', async () => {
    const request = await crew();
    const none = await request({ method: 'GET', url: '/fhir/CarePlan' });
    expect(none.statusCode).toBe(400);
    expect(JSON.stringify(none.json<OperationOutcome>().issue)).toMatch(/one person/);
    const two = await request({ method: 'GET', url: `/fhir/CarePlan?patient=Patient/${nhsNumber},Patient/${nextTestNhsNumber()}` });
    expect(two.statusCode).toBe(400);
  });

  it('answers 404 for a plan id that does not exist, and for a person with no plan', async () => {
    const request = await crew();
    expect((await request({ method: 'GET', url: `/fhir/CarePlan/${crypto.randomUUID()}` })).statusCode).toBe(404);
    expect((await request({ method: 'GET', url: '/fhir/CarePlan/not-a-plan' })).statusCode).toBe(404);
  });

  it('serves the Patient from the demographics service, and answers 404 for a number it does not know', async () => {
    const known = PDS_SANDBOX_PERSON;
    await publishedPlan(kit, known);
    const hospice = await kit.as(['clinician'], HOSPICE);
    const response = await hospice({ method: 'GET', url: `/fhir/Patient/${known}` });
    expect(response.statusCode, response.body).toBe(200);
    const patient = response.json<Patient>();
    expect(patient.identifier?.[0]?.value).toBe(known);
    expect(patient.name?.[0]?.family).toBeTruthy();
    expectValidFhir(patient, { mustSupport: true });
    // A number PDS does not know (a plan is never started for one): the hospice cares for them, PDS has no record.
    const typo = unknownToPds();
    await declareCare(hospice, typo);
    const unknown = await hospice({ method: 'GET', url: `/fhir/Patient/${typo}` });
    expect(unknown.statusCode).toBe(404);
  });
});
