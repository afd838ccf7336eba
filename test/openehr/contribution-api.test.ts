import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';
import { objectIdOf } from '../support/version-uid.js';

const API = '/openehr/v1';
const CONTRIBUTIONS = 'ehrbase-integration-tests/test_data_sets/contributions/';
const DIRECTORY = 'ehrbase-integration-tests/test_data_sets/directory/';

interface Contribution {
  uid: { value: string };
  versions: { id: { value: string } }[];
}

const coded = (value: string, code: string) => ({ value, defining_code: { terminology_id: { value: 'openehr' }, code_string: code } });

describe(`openEHR contributions and directory on ${backend}`, () => {
  let test: TestApp;
  let composition: Record<string, unknown>;
  const newEhr = async () => String((await test.inject({ method: 'POST', url: `${API}/ehr` })).headers['location']).split('/ehr/')[1] ?? '';

  beforeAll(async () => {
    test = await createTestApp();
    for (const template of ['minimal_evaluation.opt']) {
      const upload = await test.inject({
        method: 'POST',
        url: `${API}/definition/template/adl1.4`,
        headers: { 'content-type': 'application/xml' },
        payload: await readOpenEhrFixture(`${SDK}operationaltemplate/${template}`),
      });
      expect(upload.statusCode).toBe(201);
    }
    composition = await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`);
  });
  afterAll(() => test.close());

  it('commits the fixture contribution creating a composition, and reads it back', async () => {
    const ehrId = await newEhr();
    const body = await readOpenEhrJson(`${CONTRIBUTIONS}valid/minimal/minimal_evaluation.contribution.json`);
    const response = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/contribution`,
      headers: { prefer: 'return=representation' },
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const contribution = response.json<Contribution>();
    expect(contribution.versions).toHaveLength(1);
    const versionUid = contribution.versions[0]?.id.value ?? '';
    // The fixture brings its own composition uid; its object id is kept, our system id is used.
    expect(versionUid).toBe('d11739a8-545d-4137-9bcd-9e5617252a0b::ucp.local::1');
    const read = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/contribution/${contribution.uid.value}` });
    expect(read.json()).toEqual(contribution);
    const stored = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${versionUid}` });
    expect(stored.statusCode).toBe(200);
  });

  it('commits several versions of different kinds together', async () => {
    const ehrId = await newEhr();
    const status = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/ehr_status` });
    const statusVersion = String(status.headers['etag']).replaceAll('"', '');
    const folder = await readOpenEhrJson(`${DIRECTORY}subfolders_in_directory.json`);
    const response = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/contribution`,
      payload: {
        versions: [
          {
            _type: 'ORIGINAL_VERSION',
            commit_audit: { change_type: coded('creation', '249') },
            lifecycle_state: coded('complete', '532'),
            data: composition,
          },
          {
            _type: 'ORIGINAL_VERSION',
            commit_audit: { change_type: coded('creation', '249') },
            lifecycle_state: coded('complete', '532'),
            data: folder,
          },
          {
            _type: 'ORIGINAL_VERSION',
            preceding_version_uid: { value: statusVersion },
            commit_audit: { change_type: coded('modification', '251') },
            lifecycle_state: coded('complete', '532'),
            data: { ...status.json<Record<string, unknown>>(), is_queryable: false },
          },
        ],
        audit: { committer: { _type: 'PARTY_IDENTIFIED', name: 'Nurse Seacole' }, description: { value: 'admission' } },
      },
    });
    expect(response.statusCode).toBe(201);
    const directory = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/directory?path=emergency/episode_x` });
    expect(directory.statusCode).toBe(200);
    expect(directory.json()).toMatchObject({ name: { value: 'episode_x' } });
    const newStatus = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/ehr_status` });
    expect(newStatus.json()).toMatchObject({ is_queryable: false });
    const contribution = await test.inject({
      method: 'GET',
      url: String(response.headers['location']).replace('http://127.0.0.1:8080', ''),
    });
    expect(contribution.json<Contribution>().versions).toHaveLength(3);
  });

  it('commits nothing when one version of a contribution is invalid', async () => {
    const ehrId = await newEhr();
    const body = await readOpenEhrJson(`${CONTRIBUTIONS}invalid/ref_to_non_existent_OPT.json`);
    const before = await test.database.db.query('SELECT count(*)::int AS n FROM object_version');
    const response = await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/contribution`, payload: body });
    expect(response.statusCode).toBe(422);
    expect(response.json<{ validationErrors: string[] }>().validationErrors.join('\n')).toMatch(/\/versions\/\d: Template .* is not known/);
    expect((await test.database.db.query('SELECT count(*)::int AS n FROM object_version')).rows).toEqual(before.rows);
  });

  it('refuses a contribution without versions', async () => {
    const ehrId = await newEhr();
    const body = await readOpenEhrJson(`${CONTRIBUTIONS}invalid/no_versions.json`);
    const response = await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/contribution`, payload: body });
    expect(response.statusCode).toBe(400);
  });

  it('rolls back the whole contribution when a later version is stale', async () => {
    const ehrId = await newEhr();
    const created = await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/composition`, payload: composition });
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/composition/${objectIdOf(v1)}`,
      headers: { 'if-match': v1 },
      payload: composition,
    });
    const before = await test.database.db.query('SELECT count(*)::int AS n FROM object_version');
    const response = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/contribution`,
      payload: {
        versions: [
          { commit_audit: { change_type: coded('creation', '249') }, lifecycle_state: coded('complete', '532'), data: composition },
          {
            preceding_version_uid: { value: v1 },
            commit_audit: { change_type: coded('modification', '251') },
            lifecycle_state: coded('complete', '532'),
            data: composition,
          },
        ],
        audit: { committer: { _type: 'PARTY_IDENTIFIED', name: 'x' } },
      },
    });
    expect(response.statusCode).toBe(412);
    expect((await test.database.db.query('SELECT count(*)::int AS n FROM object_version')).rows).toEqual(before.rows);
    const events = await test.database.db.query('SELECT count(*)::int AS n FROM contribution WHERE ehr_id = $1', [ehrId]);
    expect(events.rows).toEqual([{ n: 3 }]);
  });

  it('creates, versions, reads by time and path, and deletes the directory', async () => {
    const ehrId = await newEhr();
    const empty = await readOpenEhrJson(`${DIRECTORY}empty_directory.json`);
    const created = await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/directory`, payload: empty });
    expect(created.statusCode).toBe(201);
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    expect((await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/directory`, payload: empty })).statusCode).toBe(409);
    const subfolders = await readOpenEhrJson(`${DIRECTORY}subfolders_in_directory.json`);
    const updated = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/directory`,
      headers: { 'if-match': `"${v1}"` },
      payload: subfolders,
    });
    expect(updated.statusCode).toBe(204);
    const v2 = String(updated.headers['etag']).replaceAll('"', '');
    expect((await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/directory/${v1}?path=emergency` })).statusCode).toBe(404);
    expect((await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/directory/${v2}?path=emergency` })).statusCode).toBe(200);
    const stale = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/directory`,
      headers: { 'if-match': v1 },
      payload: subfolders,
    });
    expect(stale.statusCode).toBe(412);
    const invalid = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/directory`,
      headers: { 'if-match': v2 },
      payload: { _type: 'FOLDER', folders: 'no' },
    });
    expect(invalid.statusCode).toBe(400);
    const deleted = await test.inject({ method: 'DELETE', url: `${API}/ehr/${ehrId}/directory`, headers: { 'if-match': v2 } });
    expect(deleted.statusCode).toBe(204);
    expect((await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/directory` })).statusCode).toBe(204); // ITS-REST 1.0.3: a deleted directory reads as 204
    expect((await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/directory/${v2}` })).statusCode).toBe(200);
  });
});
