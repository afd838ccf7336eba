import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { ehrStatusFor, nextTestNhsNumber, NHS_NUMBER_NAMESPACE, readOpenEhrJson } from '../support/fixtures.js';

const API = '/openehr/v1';

describe(`openEHR EHR API on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  it('creates an EHR without a body and reads it back', async () => {
    const created = await test.inject({ method: 'POST', url: `${API}/ehr` });
    expect(created.statusCode).toBe(201);
    expect(created.body).toBe('');
    const location = String(created.headers['location']);
    const ehrId = location.split('/ehr/')[1];
    expect(ehrId).toMatch(/^[0-9a-f-]{36}$/);
    const read = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      ehr_id: { value: ehrId },
      system_id: { value: 'ucp.local' },
      ehr_status: { type: 'EHR_STATUS', id: { value: expect.stringMatching(/::ucp\.local::1$/) } },
    });
  });

  it('creates an EHR for a subject and finds it by subject id and namespace', async () => {
    const nhsNumber = nextTestNhsNumber();
    const created = await test.inject({
      method: 'POST',
      url: `${API}/ehr`,
      headers: { prefer: 'return=representation' },
      payload: ehrStatusFor(nhsNumber),
    });
    expect(created.statusCode).toBe(201);
    const ehrId = created.json<{ ehr_id: { value: string } }>().ehr_id.value;
    const found = await test.inject({
      method: 'GET',
      url: `${API}/ehr?subject_id=${nhsNumber}&subject_namespace=${encodeURIComponent(NHS_NUMBER_NAMESPACE)}`,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ ehr_id: { value: ehrId } });
    const other = await test.inject({
      method: 'GET',
      url: `${API}/ehr?subject_id=${nhsNumber}&subject_namespace=somewhere-else`,
    });
    expect(other.statusCode).toBe(404);
  });

  it('refuses a second EHR for the same subject with 409 and stores nothing', async () => {
    const nhsNumber = nextTestNhsNumber();
    const status = ehrStatusFor(nhsNumber);
    expect((await test.inject({ method: 'POST', url: `${API}/ehr`, payload: status })).statusCode).toBe(201);
    const before = await test.database.db.query('SELECT count(*)::int AS n FROM ehr');
    const second = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: status });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'conflict', message: expect.stringContaining('already exists') });
    const after = await test.database.db.query('SELECT count(*)::int AS n FROM ehr');
    expect(after.rows).toEqual(before.rows);
  });

  it('creates an EHR with a client-chosen id, once', async () => {
    const ehrId = '8f6b7c1e-0d1a-4c5b-9e2f-3a4b5c6d7e8f';
    const first = await test.inject({ method: 'PUT', url: `${API}/ehr/${ehrId}` });
    expect(first.statusCode).toBe(201);
    expect(first.headers['location']).toBe(`http://127.0.0.1:8080${API}/ehr/${ehrId}`);
    const again = await test.inject({ method: 'PUT', url: `${API}/ehr/${ehrId}` });
    expect(again.statusCode).toBe(409);
  });

  it.each([
    '000_ehr_status_type_missing.json',
    '001_ehr_status_subject_empty.json',
    '003_ehr_status_subject_id_empty.json',
    '006_ehr_status_subject_namespace_empty.json',
    '007_ehr_status_is_modifiable_missing.json',
    '008_ehr_status_is_queryable_missing.json',
  ])('refuses the invalid EHR_STATUS %s with 400 naming the problem', async (file) => {
    const status = await readOpenEhrJson(`ehrbase-integration-tests/test_data_sets/ehr/invalid/${file}`);
    const response = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: status });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ validationErrors: string[] }>().validationErrors.length).toBeGreaterThan(0);
  });

  it('answers an unknown EHR with 404 in the openEHR error format', async () => {
    const response = await test.inject({ method: 'GET', url: `${API}/ehr/00000000-0000-4000-8000-000000000000` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'Not found', code: 'not-found', message: expect.any(String) });
  });

  it('versions the EHR_STATUS: update with If-Match, refuse a stale one, read any version', async () => {
    const created = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: ehrStatusFor(nextTestNhsNumber()) });
    const ehrId = String(created.headers['location']).split('/ehr/')[1];
    const current = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/ehr_status` });
    const firstVersion = String(current.headers['etag']).replaceAll('"', '');
    expect(firstVersion).toMatch(/::1$/);

    const changed = { ...current.json<Record<string, unknown>>(), is_queryable: false };
    const missingIfMatch = await test.inject({ method: 'PUT', url: `${API}/ehr/${ehrId}/ehr_status`, payload: changed });
    expect(missingIfMatch.statusCode).toBe(428);

    const updated = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/ehr_status`,
      headers: { 'if-match': `"${firstVersion}"`, prefer: 'return=representation' },
      payload: changed,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ is_queryable: false, uid: { value: expect.stringMatching(/::2$/) } });

    const stale = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/ehr_status`,
      headers: { 'if-match': `"${firstVersion}"` },
      payload: changed,
    });
    expect(stale.statusCode).toBe(412);

    const old = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/ehr_status/${firstVersion}` });
    expect(old.json()).toMatchObject({ is_queryable: true });
    const history = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_ehr_status/revision_history` });
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(2);
    const versioned = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_ehr_status` });
    expect(versioned.json()).toMatchObject({ _type: 'VERSIONED_EHR_STATUS', owner_id: { id: { value: ehrId } } });
    const asVersion = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_ehr_status/version/${firstVersion}` });
    expect(asVersion.json()).toMatchObject({ _type: 'ORIGINAL_VERSION', uid: { value: firstVersion }, data: { is_queryable: true } });
  });

  it('refuses to change the EHR subject through EHR_STATUS, by PUT or contribution, and changes nothing', async () => {
    const before = nextTestNhsNumber();
    const after = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: ehrStatusFor(before) });
    const ehrId = String(created.headers['location']).split('/ehr/')[1];
    const current = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/ehr_status` });
    const put = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/ehr_status`,
      headers: { 'if-match': String(current.headers['etag']) },
      payload: ehrStatusFor(after),
    });
    expect(put.statusCode, put.body).toBe(422);
    expect(put.json<{ message: string }>().message).toContain("may not change the EHR's subject");

    const contribution = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/contribution`,
      payload: {
        _type: 'CONTRIBUTION',
        versions: [
          {
            _type: 'ORIGINAL_VERSION',
            preceding_version_uid: { value: String(current.headers['etag']).replace(/"/g, '') },
            commit_audit: { change_type: { value: 'modification', defining_code: { code_string: '251' } } },
            lifecycle_state: { value: 'complete', defining_code: { code_string: '532' } },
            data: ehrStatusFor(after),
          },
        ],
        audit: { _type: 'AUDIT_DETAILS', committer: { _type: 'PARTY_IDENTIFIED', name: 'test' } },
      },
    });
    expect(contribution.statusCode, contribution.body).toBe(422);

    const ns = encodeURIComponent(NHS_NUMBER_NAMESPACE);
    expect((await test.inject({ method: 'GET', url: `${API}/ehr?subject_id=${before}&subject_namespace=${ns}` })).statusCode).toBe(200);
    expect((await test.inject({ method: 'GET', url: `${API}/ehr?subject_id=${after}&subject_namespace=${ns}` })).statusCode).toBe(404);
    const history = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_ehr_status/revision_history` });
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('keeps the EHR_STATUS flags writable when the subject stays the same', async () => {
    const nhsNumber = nextTestNhsNumber();
    const created = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: ehrStatusFor(nhsNumber) });
    const ehrId = String(created.headers['location']).split('/ehr/')[1];
    const current = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/ehr_status` });
    const put = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/ehr_status`,
      headers: { 'if-match': String(current.headers['etag']), prefer: 'return=representation' },
      payload: { ...ehrStatusFor(nhsNumber), is_queryable: false },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ is_queryable: false });
  });

  it('finds an EHR by subject with one index look-up', async () => {
    const plan = await test.database.db.query<Record<string, string>>(
      "EXPLAIN SELECT * FROM ehr WHERE subject_namespace = 'x' AND subject_id = 'y'",
    );
    expect(JSON.stringify(plan.rows)).toMatch(/Index Scan using ehr_subject_key/);
  });
});
