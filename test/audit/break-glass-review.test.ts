import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerOrganisation } from '../../src/access/caller.js';
import type { Role } from '../../src/access/roles.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { ehrStatusFor, nextTestNhsNumber } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';

const hospice: CallerOrganisation = {
  odsCode: 'HOSP1',
  name: 'Thames Hospice',
  kind: 'hospice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};
const ambulance: CallerOrganisation = {
  odsCode: 'AMB01',
  name: 'Ambulance',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};

interface Listed {
  accesses: {
    entry: { seq: number; actorId: string; nhsNumber: string; breakGlassReason: string };
    review?: { outcome: string; reviewedBy: string };
  }[];
}

describe(`break-glass follow-up on ${backend}`, () => {
  let test: TestApp;
  const nhsNumber = nextTestNhsNumber();
  let ehrId: string;
  const token = (clientId: string, roles: Role[], organisation: CallerOrganisation) =>
    issueTestToken(test.services, test.database.db, { clientId, scopes: SCOPES, roles, organisationOdsCode: organisation.odsCode });
  const as = (bearer: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    test.app.inject({ method, url, headers: { authorization: `Bearer ${bearer}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    test = await createTestApp();
    for (const organisation of [hospice, ambulance]) await upsertOrganisation(test.database.db, organisation);
    const created = await test.inject({ method: 'POST', url: '/openehr/v1/ehr', payload: ehrStatusFor(nhsNumber) });
    ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    const clinician = await token('hospice-clinician', ['clinician'], hospice);
    const read = await test.app.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}`,
      headers: {
        authorization: `Bearer ${clinician}`,
        'x-ucp-break-glass-reason': 'unable-to-consent: Admitted unconscious, no records to hand',
      },
    });
    expect(read.statusCode).toBe(200);
  });
  afterAll(() => test.close());

  it("lists the organisation's break-glass accesses for its auditors, who mark each reviewed once, audited", async () => {
    const auditor = await token('hospice-auditor', ['auditor'], hospice);
    const open = await as(auditor, 'GET', '/api/audit/break-glass');
    expect(open.statusCode, open.body).toBe(200);
    const [access] = open.json<Listed>().accesses;
    expect(open.json<Listed>().accesses).toHaveLength(1);
    expect(access?.entry).toMatchObject({
      actorId: 'hospice-clinician',
      nhsNumber,
      breakGlassReason: expect.stringMatching(/^unable-to-consent/),
    });
    expect(access?.review).toBeUndefined();
    const seq = access?.entry.seq ?? 0;

    const bad = await as(auditor, 'POST', `/api/audit/break-glass/${seq}/review`, { outcome: 'fine', note: 'ok' });
    expect(bad.statusCode).toBe(400);
    const reviewed = await as(auditor, 'POST', `/api/audit/break-glass/${seq}/review`, {
      outcome: 'justified',
      note: 'Confirmed with the ward: admitted unconscious overnight.',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(201);
    expect(reviewed.json()).toMatchObject({ outcome: 'justified', reviewedBy: 'hospice-auditor' });

    const again = await as(auditor, 'POST', `/api/audit/break-glass/${seq}/review`, { outcome: 'not-justified', note: 'Changed my mind.' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);

    expect((await as(auditor, 'GET', '/api/audit/break-glass')).json<Listed>().accesses).toEqual([]);
    const done = await as(auditor, 'GET', '/api/audit/break-glass?status=reviewed');
    expect(done.json<Listed>().accesses.map((listed) => listed.review?.outcome)).toEqual(['justified']);

    const { rows } = await test.database.db.query<{ action: string; resource_type: string; actor_id: string; nhs_number: string | null }>(
      `SELECT action, resource_type, actor_id, nhs_number FROM audit_log WHERE resource_type IN ('break-glass-review', 'break-glass-list') ORDER BY seq`,
    );
    expect(rows.map((row) => [row.action, row.resource_type, row.actor_id])).toEqual([
      ['read', 'break-glass-list', 'hospice-auditor'],
      ['update', 'break-glass-review', 'hospice-auditor'],
      ['read', 'break-glass-list', 'hospice-auditor'],
      ['read', 'break-glass-list', 'hospice-auditor'],
    ]);
    expect(rows[1]?.nhs_number).toBe(nhsNumber);
  });

  it("keeps another organisation's auditors, non-auditors and the one who broke the glass out", async () => {
    const clinician = await token('hospice-clinician', ['clinician'], hospice);
    const read = await test.app.inject({
      method: 'GET',
      url: `/openehr/v1/ehr/${ehrId}`,
      headers: {
        authorization: `Bearer ${clinician}`,
        'x-ucp-break-glass-reason': 'emergency-treatment: Seen in the emergency department tonight',
      },
    });
    expect(read.statusCode).toBe(200);
    const hospiceAuditor = await token('hospice-auditor', ['auditor'], hospice);
    const seq = (await as(hospiceAuditor, 'GET', '/api/audit/break-glass')).json<Listed>().accesses[0]?.entry.seq ?? 0;
    expect(seq).toBeGreaterThan(0);

    const otherAuditor = await token('ambulance-auditor', ['auditor'], ambulance);
    expect((await as(otherAuditor, 'GET', '/api/audit/break-glass?status=all')).json<Listed>().accesses).toEqual([]);
    const elsewhere = await as(otherAuditor, 'POST', `/api/audit/break-glass/${seq}/review`, {
      outcome: 'not-justified',
      note: 'Not ours to judge.',
    });
    expect(elsewhere.statusCode).toBe(404);

    expect((await as(clinician, 'GET', '/api/audit/break-glass')).statusCode).toBe(403);
    // The clinician who broke the glass, also made an auditor, may not review their own access.
    const both = await token('hospice-clinician', ['clinician', 'auditor'], hospice);
    const own = await as(both, 'POST', `/api/audit/break-glass/${seq}/review`, { outcome: 'justified', note: 'It was fine, honestly.' });
    expect(own.statusCode).toBe(403);
    expect((await as(hospiceAuditor, 'GET', '/api/audit/break-glass')).json<Listed>().accesses.map((listed) => listed.entry.seq)).toEqual([
      seq,
    ]);
  });
});
