import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerOrganisation } from '../../src/access/caller.js';
import type { Role } from '../../src/access/roles.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { ehrStatusFor, nextTestNhsNumber, readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { objectIdOf } from '../support/version-uid.js';

const gp: CallerOrganisation = {
  odsCode: 'GP001',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'North Central London',
  dataSecurityStatus: 'standards-met',
};

const API = '/openehr/v1';

/**
 * The senior-decision rule is the repository's, whatever openEHR route a write takes: recording,
 * changing and removing a CPR recommendation need plan:approve; each refusal is audited and
 * changes nothing.
 */
describe(`the senior-decision rule through the openEHR API on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  let flat: Record<string, unknown>;
  beforeAll(async () => {
    test = await createTestApp({ env: { UCP_MAX_BODY_BYTES: String(10 * 1024 * 1024) } });
    await upsertOrganisation(test.database.db, gp);
    const nhsNumber = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: ehrStatusFor(nhsNumber) });
    ehrId = String(created.headers['location']).split('/ehr/')[1] ?? '';
    await test.database.db.query("INSERT INTO person_relationship (nhs_number, ods_code, kind) VALUES ($1, 'GP001', 'registered-gp')", [
      nhsNumber,
    ]);
    const opt = await readOpenEhrFixture(`${SDK}operationaltemplate/ReSPECT-3.v0.opt`);
    const uploaded = await test.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: opt,
    });
    expect(uploaded.statusCode).toBe(201);
    flat = await readOpenEhrJson<Record<string, unknown>>(`${SDK}composition/flat/simSDT/ReSPECT.json`);
  });
  afterAll(() => test.close());

  const as = async (role: Role) =>
    `Bearer ${await issueTestToken(test.services, test.database.db, { clientId: role, scopes: SCOPES, roles: [role], organisationOdsCode: 'GP001' })}`;
  const withoutDecision = () => Object.fromEntries(Object.entries(flat).filter(([key]) => !key.includes('/cpr_decision')));
  const recordedBySenior = async (): Promise<string> => {
    const posted = await test.app.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition?templateId=ReSPECT-3.v0&format=FLAT`,
      headers: { authorization: await as('senior-clinician') },
      payload: flat,
    });
    expect(posted.statusCode, posted.body).toBe(201);
    return String(posted.headers['etag']).replace(/"/g, '');
  };
  const latestVersionOf = async (versionUid: string) =>
    (
      await test.app.inject({
        method: 'GET',
        url: `${API}/ehr/${ehrId}/versioned_composition/${objectIdOf(versionUid)}/version`,
        headers: { authorization: await as('clinician') },
      })
    ).json<{ uid: { value: string }; lifecycle_state: { defining_code: { code_string: string } } }>();
  const deniedCount = async () =>
    (
      await test.database.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'access-denied' AND ehr_id = $1 AND detail->>'explanation' LIKE '%CPR%'",
        [ehrId],
      )
    ).rows[0]?.n ?? 0;

  it('refuses a clinician removing a CPR recommendation with a PUT that leaves it out, and keeps the version', async () => {
    const versionUid = await recordedBySenior();
    const denied = await deniedCount();
    const put = await test.app.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/composition/${objectIdOf(versionUid)}?templateId=ReSPECT-3.v0&format=FLAT`,
      headers: { authorization: await as('clinician'), 'if-match': `"${versionUid}"` },
      payload: withoutDecision(),
    });
    expect(put.statusCode, put.body).toBe(403);
    expect(put.json<{ message: string }>().message).toMatch(/removing openEHR-EHR-EVALUATION\.cpr_decision_uk.*plan:approve/);
    expect((await latestVersionOf(versionUid)).uid.value).toBe(versionUid);
    expect(await deniedCount()).toBe(denied + 1);
  });

  it('lets a clinician save a new version of a composition whose CPR recommendation stays as it was', async () => {
    const versionUid = await recordedBySenior();
    const put = await test.app.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/composition/${objectIdOf(versionUid)}?templateId=ReSPECT-3.v0&format=FLAT`,
      headers: { authorization: await as('clinician'), 'if-match': `"${versionUid}"` },
      payload: flat,
    });
    expect(put.statusCode, put.body).toBe(204);
    expect((await latestVersionOf(versionUid)).uid.value).toBe(versionUid.replace(/::1$/, '::2'));
  });

  it('refuses a clinician deleting a composition that holds a CPR recommendation; a senior clinician may', async () => {
    const versionUid = await recordedBySenior();
    const byClinician = await test.app.inject({
      method: 'DELETE',
      url: `${API}/ehr/${ehrId}/composition/${versionUid}`,
      headers: { authorization: await as('clinician') },
    });
    expect(byClinician.statusCode, byClinician.body).toBe(403);
    expect((await latestVersionOf(versionUid)).lifecycle_state.defining_code.code_string).toBe('532');
    const bySenior = await test.app.inject({
      method: 'DELETE',
      url: `${API}/ehr/${ehrId}/composition/${versionUid}`,
      headers: { authorization: await as('senior-clinician') },
    });
    expect(bySenior.statusCode, bySenior.body).toBe(204);
  });

  it('refuses a clinician deleting it within a contribution, and commits none of the contribution', async () => {
    const versionUid = await recordedBySenior();
    const contribution = await test.app.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/contribution`,
      headers: { authorization: await as('clinician') },
      payload: {
        _type: 'CONTRIBUTION',
        versions: [
          {
            _type: 'ORIGINAL_VERSION',
            preceding_version_uid: { value: versionUid },
            commit_audit: { change_type: { value: 'deleted', defining_code: { code_string: '523' } } },
            lifecycle_state: { value: 'deleted', defining_code: { code_string: '523' } },
          },
        ],
        audit: { _type: 'AUDIT_DETAILS', committer: { _type: 'PARTY_IDENTIFIED', name: 'a clinician' } },
      },
    });
    expect(contribution.statusCode, contribution.body).toBe(403);
    expect((await latestVersionOf(versionUid)).uid.value).toBe(versionUid);
  });
});
