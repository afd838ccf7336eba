import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsAfter } from '../../src/events/outbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';
import { objectIdOf } from '../support/version-uid.js';

const API = '/openehr/v1';

interface ContributionBody {
  uid: { value: string };
  versions: { id: { value: string } }[];
  audit: { change_type: { value: string }; committer: { name: string }; description?: { value: string } };
}

describe(`openEHR composition API on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  let composition: Record<string, unknown>;

  beforeAll(async () => {
    test = await createTestApp();
    const opt = await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`);
    const upload = await test.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: opt,
    });
    expect(upload.statusCode).toBe(201);
    composition = await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`);
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    ehrId = String(ehr.headers['location']).split('/ehr/')[1] ?? '';
  });
  afterAll(() => test.close());

  const commit = (payload: unknown, headers: Record<string, string> = {}) =>
    test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/composition`, payload: payload as object, headers });

  it('commits, updates twice and deletes: four versions, each retrievable, with contribution and audit details', async () => {
    const created = await commit(composition, {
      'openehr-audit_details.committer': 'name="Dr Ada Lovelace", external_ref.id="ada", external_ref.namespace="ucp-users"',
      'openehr-audit_details.description': 'first draft',
    });
    expect(created.statusCode).toBe(201);
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    const objectId = objectIdOf(v1);
    expect(v1).toBe(`${objectId}::ucp.local::1`);

    const update = (precedingVersion: string, description: string) =>
      test.inject({
        method: 'PUT',
        url: `${API}/ehr/${ehrId}/composition/${objectId}`,
        headers: { 'if-match': `"${precedingVersion}"`, 'openehr-audit_details.description': description },
        payload: composition,
      });
    const second = await update(v1, 'second thoughts');
    expect(second.statusCode).toBe(204);
    const v2 = String(second.headers['etag']).replaceAll('"', '');
    const third = await update(v2, 'third time');
    const v3 = String(third.headers['etag']).replaceAll('"', '');
    expect([v2, v3]).toEqual([`${objectId}::ucp.local::2`, `${objectId}::ucp.local::3`]);

    const deleted = await test.inject({ method: 'DELETE', url: `${API}/ehr/${ehrId}/composition/${v3}` });
    expect(deleted.statusCode).toBe(204);
    const v4 = String(deleted.headers['etag']).replaceAll('"', '');
    expect(v4).toBe(`${objectId}::ucp.local::4`);

    const latest = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${objectId}` });
    expect(latest.statusCode).toBe(204);

    const history = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/revision_history`,
    });
    const items = history.json<{ items: { version_id: { value: string }; audits: { change_type: { value: string } }[] }[] }>().items;
    expect(items.map((item) => [item.version_id.value, item.audits[0]?.change_type.value])).toEqual([
      [v1, 'creation'],
      [v2, 'modification'],
      [v3, 'modification'],
      [v4, 'deleted'],
    ]);

    for (const [index, versionUid] of [v1, v2, v3].entries()) {
      const byId = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${versionUid}` });
      expect(byId.statusCode, versionUid).toBe(200);
      expect(byId.json()).toMatchObject({
        uid: { value: versionUid },
        archetype_details: { template_id: { value: 'minimal_evaluation.en.v1' } },
      });
      const asVersion = await test.inject({
        method: 'GET',
        url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/version/${versionUid}`,
      });
      const version = asVersion.json<{
        lifecycle_state: { value: string };
        contribution: { id: { value: string } };
        commit_audit: { description?: { value: string } };
        preceding_version_uid?: { value: string };
      }>();
      expect(version).toMatchObject({ _type: 'ORIGINAL_VERSION', lifecycle_state: { value: 'complete' } });
      expect(version.commit_audit.description?.value).toBe(['first draft', 'second thoughts', 'third time'][index]);
      expect(version.preceding_version_uid?.value).toBe(index === 0 ? undefined : [v1, v2][index - 1]);

      const contribution = await test.inject({
        method: 'GET',
        url: `${API}/ehr/${ehrId}/contribution/${version.contribution.id.value}`,
      });
      expect(contribution.statusCode).toBe(200);
      const body = contribution.json<ContributionBody>();
      expect(body.versions.map((ref) => ref.id.value)).toEqual([versionUid]);
      expect(body.audit.change_type.value).toBe(index === 0 ? 'creation' : 'modification');
    }
    const first = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/version/${v1}` });
    const firstContribution = first.json<{ contribution: { id: { value: string } } }>().contribution.id.value;
    const audit = (
      await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/contribution/${firstContribution}` })
    ).json<ContributionBody>().audit;
    expect(audit.committer).toMatchObject({ name: 'Dr Ada Lovelace', external_ref: { id: { value: 'ada' }, namespace: 'ucp-users' } });

    const deletedVersion = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/version/${v4}`,
    });
    expect(deletedVersion.json()).toMatchObject({ lifecycle_state: { value: 'deleted' } });
    expect(deletedVersion.json()).not.toHaveProperty('data');
  });

  it('reads the version that was current at a given time', async () => {
    const created = await commit(composition);
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    const objectId = objectIdOf(v1);
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/composition/${objectId}`,
      headers: { 'if-match': v1 },
      payload: composition,
    });
    const atTime = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${objectId}?version_at_time=${encodeURIComponent(between)}`,
    });
    expect(atTime.json()).toMatchObject({ uid: { value: v1 } });
    const before = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${objectId}?version_at_time=2000-01-01T00:00:00Z`,
    });
    expect(before.statusCode).toBe(404);
    const badTime = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${objectId}?version_at_time=yesterday`,
    });
    expect(badTime.statusCode).toBe(400);
  });

  it('refuses a stale update with 412, naming the latest version, and changes nothing', async () => {
    const created = await commit(composition);
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    const objectId = objectIdOf(v1);
    const put = () =>
      test.inject({
        method: 'PUT',
        url: `${API}/ehr/${ehrId}/composition/${objectId}`,
        headers: { 'if-match': `"${v1}"` },
        payload: composition,
      });
    expect((await put()).statusCode).toBe(204);
    const stale = await put();
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['etag']).toBe(`"${objectId}::ucp.local::2"`);
    expect(stale.json<{ message: string }>().message).toContain(`${objectId}::ucp.local::2`);
    const history = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/revision_history` });
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('lets exactly one of several simultaneous updates based on the same version win', async () => {
    const created = await commit(composition);
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    const objectId = objectIdOf(v1);
    const attempts = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        test.inject({
          method: 'PUT',
          url: `${API}/ehr/${ehrId}/composition/${objectId}`,
          headers: { 'if-match': v1 },
          payload: composition,
        }),
      ),
    );
    expect(attempts.map((response) => response.statusCode).sort()).toEqual([204, 412, 412, 412, 412]);
    const history = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/revision_history` });
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('answers writes on old, deleted and mis-addressed compositions as ITS-REST 1.0.3 specifies', async () => {
    const created = await commit(composition);
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    const objectId = objectIdOf(v1);
    const put = (url: string, ifMatch: string, headers: Record<string, string> = {}) =>
      test.inject({ method: 'PUT', url, headers: { 'if-match': `"${ifMatch}"`, ...headers }, payload: composition });
    const v2 = String((await put(`${API}/ehr/${ehrId}/composition/${objectId}`, v1)).headers['etag']).replaceAll('"', '');
    const latestLocation = `/ehr/${ehrId}/composition/${v2}`;

    // A stale update: 412, with where the latest version lives.
    const stale = await put(`${API}/ehr/${ehrId}/composition/${objectId}`, v1);
    expect(stale.statusCode).toBe(412);
    expect(String(stale.headers['location'])).toContain(latestLocation);
    // A PUT addressed to a version uid is refused: the version read goes in If-Match.
    expect((await put(`${API}/ehr/${ehrId}/composition/${v2}`, v2)).statusCode).toBe(400);
    // A composition in text/plain is an unsupported media type.
    const text = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition`,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify(composition),
    });
    expect(text.statusCode).toBe(415);

    // Deleting a version that is not the latest: 409, naming the latest in ETag and Location.
    const old = await test.inject({ method: 'DELETE', url: `${API}/ehr/${ehrId}/composition/${v1}` });
    expect(old.statusCode).toBe(409);
    expect(old.headers['etag']).toBe(`"${v2}"`);
    expect(String(old.headers['location'])).toContain(latestLocation);
    const deleted = await test.inject({ method: 'DELETE', url: `${API}/ehr/${ehrId}/composition/${v2}` });
    expect(deleted.statusCode).toBe(204);
    const v3 = String(deleted.headers['etag']).replaceAll('"', '');
    // Deleting it again is a bad request; an update does not bring it back.
    expect((await test.inject({ method: 'DELETE', url: `${API}/ehr/${ehrId}/composition/${v3}` })).statusCode).toBe(400);
    expect((await put(`${API}/ehr/${ehrId}/composition/${objectId}`, v3)).statusCode).toBe(400);
    const history = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/revision_history` });
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(3);
  });

  it('answers a deleted directory with 204', async () => {
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    const ownEhr = String(ehr.headers['location']).split('/ehr/')[1] ?? '';
    const folder = { _type: 'FOLDER', archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1', name: { _type: 'DV_TEXT', value: 'root' } };
    const created = await test.inject({ method: 'POST', url: `${API}/ehr/${ownEhr}/directory`, payload: folder });
    expect(created.statusCode).toBe(201);
    const removed = await test.inject({
      method: 'DELETE',
      url: `${API}/ehr/${ownEhr}/directory`,
      headers: { 'if-match': String(created.headers['etag']) },
    });
    expect(removed.statusCode).toBe(204);
    const read = await test.inject({ method: 'GET', url: `${API}/ehr/${ownEhr}/directory` });
    expect(read.statusCode).toBe(204);
    expect(read.headers['etag']).toBe(removed.headers['etag']);
  });

  it('needs If-Match to update', async () => {
    const created = await commit(composition);
    const objectId = objectIdOf(created.headers['etag']);
    const response = await test.inject({ method: 'PUT', url: `${API}/ehr/${ehrId}/composition/${objectId}`, payload: composition });
    expect(response.statusCode).toBe(428);
  });

  it('returns the representation when asked, in canonical JSON, XML or FLAT', async () => {
    const created = await commit(composition, { prefer: 'return=representation' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ _type: 'COMPOSITION', uid: { value: String(created.headers['etag']).replaceAll('"', '') } });
    const versionUid = String(created.headers['etag']).replaceAll('"', '');
    const xml = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${versionUid}`,
      headers: { accept: 'application/xml' },
    });
    expect(xml.headers['content-type']).toMatch(/application\/xml/);
    expect(xml.body).toContain('<composition');
    const flat = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${versionUid}?format=FLAT` });
    expect(flat.json()).toHaveProperty(['minimal/category|code'], '433');
    const unacceptable = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${versionUid}`,
      headers: { accept: 'image/png' },
    });
    expect(unacceptable.statusCode).toBe(406);
  });

  it('refuses a composition of an unknown template with 422 and stores nothing', async () => {
    const unknown = {
      ...composition,
      archetype_details: { ...(composition['archetype_details'] as object), template_id: { value: 'no.such.template' } },
    };
    const before = await test.database.db.query('SELECT count(*)::int AS n FROM object_version');
    const response = await commit(unknown);
    expect(response.statusCode).toBe(422);
    expect(response.json<{ message: string }>().message).toContain('no.such.template');
    expect((await test.database.db.query('SELECT count(*)::int AS n FROM object_version')).rows).toEqual(before.rows);
  });

  it('refuses a structurally invalid composition with 422 listing each problem', async () => {
    const broken = { ...composition, language: 'en', unexpected: true };
    const response = await commit(broken);
    expect(response.statusCode).toBe(422);
    const errors = response.json<{ validationErrors: string[] }>().validationErrors;
    expect(errors.some((error) => error.startsWith('/language'))).toBe(true);
    expect(errors.some((error) => error.startsWith('/unexpected'))).toBe(true);
  });

  it('emits one event per committed contribution, in the same transaction', async () => {
    const { rows } = await test.database.db.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM event_outbox');
    const last = Number(rows[0]?.seq);
    const created = await commit(composition);
    const versionUid = String(created.headers['etag']).replaceAll('"', '');
    await commit({ ...composition, _type: 'OBSERVATION' });
    const events = await readEventsAfter(test.database.db, last);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      topic: 'openehr.contribution',
      payload: {
        ehrId,
        versions: [{ objectType: 'COMPOSITION', versionUid, changeType: 'creation', templateId: 'minimal_evaluation.en.v1' }],
      },
    });
  });

  it('records a draft as an incomplete version and an amendment as such, from the openEHR headers', async () => {
    const created = await commit(composition, { 'openehr-version.lifecycle_state': 'code_string="553"' });
    const v1 = String(created.headers['etag']).replaceAll('"', '');
    const objectId = objectIdOf(v1);
    const draft = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/version/${v1}` });
    expect(draft.json()).toMatchObject({ lifecycle_state: { value: 'incomplete', defining_code: { code_string: '553' } } });
    const amended = await test.inject({
      method: 'PUT',
      url: `${API}/ehr/${ehrId}/composition/${objectId}`,
      headers: { 'if-match': v1, 'openehr-audit_details.change_type': 'code_string="250"' },
      payload: composition,
    });
    const v2 = String(amended.headers['etag']).replaceAll('"', '');
    const version = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/versioned_composition/${objectId}/version/${v2}` });
    expect(version.json()).toMatchObject({
      lifecycle_state: { value: 'complete' },
      commit_audit: { change_type: { value: 'amendment', defining_code: { code_string: '250' } } },
    });
    const bad = await commit(composition, { 'openehr-version.lifecycle_state': 'code_string="999"' });
    expect(bad.statusCode).toBe(400);
  });

  it('lets a draft (incomplete) lack required content but never hold anything wrong; a complete version needs it all', async () => {
    const bpTemplate = 'ehrbase-integration-tests/test_data_sets/aql/data_load/opts/ehrbase_blood_pressure_simple.de.v0.opt';
    const uploaded = await test.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: await readOpenEhrFixture(bpTemplate),
    });
    expect([201, 409]).toContain(uploaded.statusCode);
    const bp = await readOpenEhrJson(
      'ehrbase-integration-tests/test_data_sets/aql/data_load/compositions/ehrbase_blood_pressure_simple.de.v0.json',
    );
    // The blood pressure OBSERVATION is mandatory (occurrences 1..8).
    const withoutObservation = { ...bp, content: [] };
    const draft = await commit(withoutObservation, { 'openehr-version.lifecycle_state': 'code_string="553"' });
    expect(draft.statusCode).toBe(201);
    const complete = await commit(withoutObservation);
    expect(complete.statusCode).toBe(422);
    expect(JSON.stringify(complete.json())).toContain('is mandatory (1..8) but missing');
    const wrongLanguage = {
      ...withoutObservation,
      language: { _type: 'CODE_PHRASE', terminology_id: { value: 'ISO_639-1' }, code_string: 'zz' },
    };
    const wrongDraft = await commit(wrongLanguage, { 'openehr-version.lifecycle_state': 'code_string="553"' });
    expect(wrongDraft.statusCode).toBe(422);
  });

  it('refuses writes to an EHR whose status says it is not modifiable', async () => {
    const status = await readOpenEhrJson('ehrbase-integration-tests/test_data_sets/ehr/valid/ehr_can_not_be_modifyable.json');
    const created = await test.inject({ method: 'POST', url: `${API}/ehr`, payload: { ...status, subject: { _type: 'PARTY_SELF' } } });
    expect(created.statusCode).toBe(201);
    const lockedEhr = String(created.headers['location']).split('/ehr/')[1];
    const response = await test.inject({ method: 'POST', url: `${API}/ehr/${lockedEhr}/composition`, payload: composition });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ message: string }>().message).toContain('not modifiable');
  });

  it('answers a composition id that is not a uuid or version id with 400', async () => {
    const response = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/not-an-id` });
    expect(response.statusCode).toBe(400);
  });
});
