import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { AMBULANCE, createPlanTestKit, HOSPICE, publishedPlan, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { recordRetrieval } from '../../src/demographics/demographics-store.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

interface Exported {
  nhsNumber: string;
  openehr: {
    ehrId: string;
    versions: { objectType: string; version: number; changeType: string; data: { archetype_node_id?: string } | null }[];
  };
  fhir: { resourceType: string; type: string; entry: { resource: { resourceType: string } }[] };
  access: { action: string; actorId: string; odsCode?: string; hash?: string }[];
}

describe(`the subject access export on ${backend}`, () => {
  let kit: PlanTestKit;
  const nhsNumber = nextTestNhsNumber();
  let ehrId: string;
  beforeAll(async () => {
    kit = await createPlanTestKit();
    ({ ehrId } = await publishedPlan(kit, nhsNumber));
    // The demographics held about the person, as a PDS retrieval leaves them.
    await recordRetrieval(
      kit.test.database.db,
      nhsNumber,
      {
        demographics: {
          nhsNumber,
          nhsNumberStatus: null,
          restricted: false,
          name: { prefix: [], given: ['Ada'], family: 'Export', suffix: [], text: 'Ada Export' },
          birthDate: '1941-03-02',
          gender: 'female',
          address: { lines: ['1 Long Lane'], city: 'London', postalCode: 'SE1 4PP' },
          telecom: [{ system: 'phone', use: 'home', value: '020 7946 0000' }],
          registeredGpOdsCode: null,
          deceased: null,
        },
        sourceVersion: '1',
      },
      'pds-stub',
    );
    const crew = await kit.as(['viewer'], AMBULANCE);
    // Another organisation's access, allowed or refused: either way it is in the person's trail.
    await crew({ method: 'GET', url: `/api/care-plans/${ehrId}` });
  });
  afterAll(() => kit.close());

  it('gives a trusted auditor everything held: the EHR extract, the FHIR resources and the whole audit trail, and audits the export', async () => {
    const auditor = await kit.as(['auditor'], HOSPICE);
    const response = await auditor({ method: 'GET', url: `/api/people/${nhsNumber}/subject-access-export` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="subject-access-${nhsNumber}.json"`);
    expect(response.headers['cache-control']).toBe('no-store');
    const exported = response.json<Exported>();
    expect(exported.nhsNumber).toBe(nhsNumber);
    expect(exported.openehr.ehrId).toBe(ehrId);
    const types = new Set(exported.openehr.versions.map((version) => version.objectType));
    expect(types).toContain('EHR_STATUS');
    expect(types).toContain('COMPOSITION');
    // Every version with its content, except deletions, which have none.
    expect(exported.openehr.versions.filter((version) => version.changeType !== 'deleted').every((version) => version.data !== null)).toBe(
      true,
    );
    expect(exported.fhir).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(exported.fhir.entry.map((entry) => entry.resource.resourceType)).toEqual(
      expect.arrayContaining(['Patient', 'CarePlan', 'Flag']),
    );
    expect(exported.fhir.entry.find((entry) => entry.resource.resourceType === 'Patient')).toMatchObject({
      resource: { name: [expect.objectContaining({ family: 'Export' })] },
    });
    // Every organisation's accesses, the ambulance crew's included; no chain hashes.
    expect(exported.access.some((entry) => entry.odsCode === HOSPICE.odsCode)).toBe(true);
    expect(exported.access.some((entry) => entry.odsCode === AMBULANCE.odsCode)).toBe(true);
    expect(exported.access.some((entry) => 'hash' in entry)).toBe(false);

    const { rows } = await kit.test.database.db.query<{ actor_id: string; nhs_number: string; detail: { auditEntries: number } }>(
      `SELECT actor_id, nhs_number, detail FROM audit_log WHERE resource_type = 'subject-access-export'`,
    );
    expect(rows).toEqual([
      expect.objectContaining({ nhs_number: nhsNumber, detail: expect.objectContaining({ auditEntries: exported.access.length }) }),
    ]);
  });

  it('refuses an auditor without the every-organisation scope, a clinician, and an unknown person, in problem+json', async () => {
    const local = await issueTestToken(kit.test.services, kit.test.database.db, {
      clientId: 'local-auditor',
      scopes: SCOPES.filter((scope) => scope !== 'audit:all-organisations'),
      roles: ['auditor'],
      organisationOdsCode: HOSPICE.odsCode,
    });
    const refused = await kit.test.app.inject({
      method: 'GET',
      url: `/api/people/${nhsNumber}/subject-access-export`,
      headers: { authorization: `Bearer ${local}` },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    const clinician = await kit.as(['senior-clinician'], HOSPICE);
    expect((await clinician({ method: 'GET', url: `/api/people/${nhsNumber}/subject-access-export` })).statusCode).toBe(403);
    const auditor = await kit.as(['auditor'], HOSPICE);
    expect((await auditor({ method: 'GET', url: `/api/people/${nextTestNhsNumber()}/subject-access-export` })).statusCode).toBe(404);
    expect((await auditor({ method: 'GET', url: '/api/people/1234567890/subject-access-export' })).statusCode).toBe(400);
  });
});
