import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenEhrServices } from '../../src/openehr/service/openehr-services.js';
import type { EhrScope, QueryResult } from '../../src/openehr/service/query-service.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { AUDIT, aqlServices, createAqlEhr, readAqlComposition, uploadAqlTemplate } from './aql-test-data.js';
import { versionUidOf } from '../support/version-uid.js';

const ALL: EhrScope = { kind: 'all' };
const A = 'conformance-ehrbase.de.v0';
const B = 'aql-conformance-ehrbase.org.v0';

describe(`AQL queries through the QueryService on ${backend}`, () => {
  let test: TestDatabase;
  let services: OpenEhrServices;
  let ehr1: string;
  let ehr2: string;
  let objectA: string;
  const subject1 = `99${String(Date.now()).slice(-8)}`;

  const run = (query: string, parameters: Record<string, unknown> = {}, ehrScope: EhrScope = ALL): Promise<QueryResult> =>
    services.queries.execute({ query, parameters, ehrScope, timeoutMs: 20_000 });
  const column = async (query: string, parameters: Record<string, unknown> = {}) =>
    (await run(query, parameters)).rows.map((row) => row[0]);

  beforeAll(async () => {
    test = await createTestDatabase();
    services = aqlServices(test.db);
    await uploadAqlTemplate(services, 'conformance_ehrbase.de.v0.opt');
    await uploadAqlTemplate(services, 'aql-conformance-ehrbase.org.v0.opt');
    ehr1 = await createAqlEhr(services, subject1);
    ehr2 = await createAqlEhr(services, `${subject1.slice(0, -1)}${(Number(subject1.slice(-1)) + 1) % 10}`);
    const a = await readAqlComposition('conformance_ehrbase.de.v0_max_v2.json');
    const first = await services.compositions.create(ehr1, a, AUDIT);
    objectA = first.objectId;
    // Two updates: three versions of A, the latest as current.
    const second = await services.compositions.update(ehr1, objectA, a, first.versionUid, AUDIT);
    await services.compositions.update(ehr1, objectA, a, second.versionUid, AUDIT);
    await services.compositions.create(ehr2, await readAqlComposition('aql-conformance-ehrbase.org.v0_contains.json'), AUDIT);
    // A draft is never current: queries must not see it.
    await services.compositions.create(ehr2, a, AUDIT, { lifecycleState: 'incomplete' });
  }, 120_000);
  afterAll(() => test.drop());

  it('returns the current complete compositions, one row each, with the EHR behind each row', async () => {
    const result = await run('SELECT c/name/value, e/ehr_id/value FROM EHR e CONTAINS COMPOSITION c ORDER BY c/name/value DESC');
    expect(result.rows).toEqual([
      [A, ehr1],
      [B, ehr2],
    ]);
    expect(result.columns).toEqual([
      { name: '#0', path: 'c/name/value' },
      { name: '#1', path: 'e/ehr_id/value' },
    ]);
    expect(result.ehrIds.sort()).toEqual([ehr1, ehr2].sort());
  });

  it('NOT CONTAINS keeps the compositions without the sub-containment', async () => {
    expect(
      await column('SELECT c/name/value FROM COMPOSITION c NOT CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]'),
    ).toEqual([A]);
    expect(
      await column('SELECT c/name/value FROM COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]'),
    ).toEqual([B]);
    expect(await column('SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c NOT CONTAINS EVALUATION v')).toEqual([B]);
    // A class without a variable only filters: B, with two such sections, is one row.
    expect(await column('SELECT c/name/value FROM COMPOSITION c CONTAINS SECTION[openEHR-EHR-SECTION.adhoc.v1]')).toEqual([B]);
  });

  it('a name predicate in CONTAINS selects by name/value', async () => {
    expect(await column("SELECT s/name/value FROM COMPOSITION c CONTAINS SECTION s[openEHR-EHR-SECTION.adhoc.v1, 'Section 2']")).toEqual([
      'Section 2',
    ]);
    expect((await column('SELECT s/name/value FROM COMPOSITION c CONTAINS SECTION s[openEHR-EHR-SECTION.adhoc.v1]')).sort()).toEqual([
      'Section 1',
      'Section 2',
    ]);
  });

  it('EXISTS and NOT EXISTS split the compositions by whether a path has a value', async () => {
    expect(await column('SELECT c/name/value FROM COMPOSITION c WHERE EXISTS c/content[openEHR-EHR-SECTION.adhoc.v1]')).toEqual([B, B]);
    expect(await column('SELECT c/name/value FROM COMPOSITION c WHERE NOT EXISTS c/content[openEHR-EHR-SECTION.adhoc.v1]')).toEqual([A]);
  });

  it('compares a path with another path, of the same variable and of two variables', async () => {
    expect(
      await column(
        'SELECT c/name/value FROM COMPOSITION c WHERE c/name/value = c/archetype_details/template_id/value ORDER BY c/name/value',
      ),
    ).toEqual([B, A]);
    const pairs = await run(
      'SELECT s1/name/value, s2/name/value FROM COMPOSITION c CONTAINS (SECTION s1[openEHR-EHR-SECTION.adhoc.v1] AND SECTION s2[openEHR-EHR-SECTION.adhoc.v1]) WHERE s1/name/value < s2/name/value',
    );
    expect(pairs.rows).toEqual([['Section 1', 'Section 2']]);
  });

  it('compares date-times by instant, not by their text', async () => {
    // A started at 14:19 +01:00, which is 13:19 UTC: before 14:00 UTC although its text sorts after.
    expect(await column("SELECT c/name/value FROM COMPOSITION c WHERE c/context/start_time > '2021-12-21T14:00:00+00:00'")).toEqual([B]);
    expect(await column("SELECT c/name/value FROM COMPOSITION c WHERE c/context/start_time/value < '2021-12-21T13:30:00Z'")).toEqual([A]);
  });

  it('evaluates functions in SELECT and WHERE', async () => {
    const result = await run("SELECT LENGTH(c/name/value), CONCAT(c/name/value, '!') FROM COMPOSITION c WHERE LENGTH(c/name/value) > 26");
    expect(result.rows).toEqual([[B.length, `${B}!`]]);
  });

  it('MATCHES takes a list parameter; LIKE takes AQL wildcards', async () => {
    expect(await column('SELECT c/name/value FROM COMPOSITION c WHERE c/name/value MATCHES {$names}', { names: [A, 'nothing'] })).toEqual([
      A,
    ]);
    expect(await column("SELECT c/name/value FROM COMPOSITION c WHERE c/name/value LIKE '*ehrbase.or?*'")).toEqual([B]);
  });

  it('aggregates with implicit grouping by the other columns', async () => {
    const result = await run(
      'SELECT e/ehr_id/value, COUNT(*) AS n FROM EHR e CONTAINS COMPOSITION c CONTAINS SECTION s ORDER BY e/ehr_id/value',
    );
    expect(new Map(result.rows.map((row) => [row[0], row[1]]))).toEqual(
      new Map([
        [ehr1, 1],
        [ehr2, 3],
      ]),
    );
    expect(result.ehrIds.sort()).toEqual([ehr1, ehr2].sort());
  });

  it('VERSION [ALL_VERSIONS] sees the history, the default only the latest, and a predicate filters by audit', async () => {
    const all = await column(`SELECT v/uid/value FROM VERSION v[ALL_VERSIONS] CONTAINS COMPOSITION c WHERE c/name/value = '${A}'`);
    expect(all.map((uid) => String(versionUidOf(uid).version)).sort()).toEqual(['1', '2', '3']);
    expect(all.every((uid) => String(uid).startsWith(objectA))).toBe(true);
    expect(await column(`SELECT v/uid/value FROM VERSION v CONTAINS COMPOSITION c WHERE c/name/value = '${A}'`)).toHaveLength(1);
    const modified = await column(
      "SELECT v/commit_audit/change_type/value FROM VERSION v[commit_audit/change_type/value='modification'] CONTAINS COMPOSITION c",
    );
    expect(modified).toEqual(['modification', 'modification']);
  });

  it("VERSION contains its composition's content: CONTAINS OBSERVATION reads as CONTAINS COMPOSITION CONTAINS OBSERVATION", async () => {
    const bp = 'openEHR-EHR-OBSERVATION.blood_pressure.v2';
    const direct = await column(`SELECT v/uid/value, o/name/value FROM VERSION v CONTAINS OBSERVATION o[${bp}]`);
    const through = await column(`SELECT v/uid/value, o/name/value FROM VERSION v CONTAINS COMPOSITION CONTAINS OBSERVATION o[${bp}]`);
    expect(direct).toHaveLength(1);
    expect(direct).toEqual(through);
    // B holds the blood pressure observation: its one version, and no other.
    expect(direct).toEqual(await column(`SELECT v/uid/value FROM VERSION v CONTAINS COMPOSITION c WHERE c/name/value = '${B}'`));
    // An ELEMENT may stand in an EHR_STATUS or a FOLDER too: which document is meant is not implied, so it stays refused.
    await expect(run('SELECT v/uid/value FROM VERSION v CONTAINS ELEMENT x')).rejects.toThrow(/A VERSION contains one COMPOSITION/);
  });

  it("writes a version's change type with the openEHR term as its preferred term", async () => {
    const [changeType] = await column(
      `SELECT v/commit_audit/change_type FROM VERSION v CONTAINS COMPOSITION c WHERE c/name/value = '${A}'`,
    );
    expect(changeType).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'modification',
      defining_code: {
        _type: 'CODE_PHRASE',
        terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
        code_string: '251',
        preferred_term: 'modification',
      },
    });
    const byTerm = await column(
      "SELECT v/uid/value FROM VERSION v WHERE v/commit_audit/change_type/defining_code/preferred_term = 'creation'",
    );
    const byValue = await column("SELECT v/uid/value FROM VERSION v WHERE v/commit_audit/change_type/value = 'creation'");
    expect(byTerm.length).toBeGreaterThan(0);
    expect(byTerm.sort()).toEqual(byValue.sort());
  });

  it('a restricted scope sees only the EHRs its condition allows, also for queries without EHR in FROM', async () => {
    const scope: EhrScope = { kind: 'restricted', subjectCondition: (columnName, param) => `${columnName} = ${param(subject1)}` };
    const result = await run('SELECT c/name/value FROM COMPOSITION c', {}, scope);
    expect(result.rows).toEqual([[A]]);
    expect(result.ehrIds).toEqual([ehr1]);
    const count = await run('SELECT COUNT(*) FROM OBSERVATION o', {}, scope);
    const everything = await run('SELECT COUNT(*) FROM OBSERVATION o');
    expect(Number(count.rows[0]?.[0])).toBeLessThan(Number(everything.rows[0]?.[0]));
  });

  it('an injection attempt in a string or a parameter is only a value that matches nothing', async () => {
    const attack = "x' OR '1'='1";
    expect(await column('SELECT c/name/value FROM COMPOSITION c WHERE c/name/value = $name', { name: attack })).toEqual([]);
    expect(await column("SELECT c/name/value FROM COMPOSITION c WHERE c/name/value = 'x\\' OR \\'1\\'=\\'1'")).toEqual([]);
    expect(await column('SELECT c/name/value FROM COMPOSITION c[$id]', { id: "openEHR-EHR-COMPOSITION.x.v1') OR true --" })).toEqual([]);
    expect(await column('SELECT c/name/value FROM COMPOSITION c')).toHaveLength(2);
  });

  it('writes the EHR creation and commit times as the REST API does (UTC, milliseconds, Z)', async () => {
    const { ehr } = await services.ehrs.get(ehr1);
    expect(await column(`SELECT e/time_created/value FROM EHR e WHERE e/ehr_id/value = '${ehr1}'`)).toEqual([ehr.timeCreated]);
    const [created] = await column(`SELECT e/time_created FROM EHR e WHERE e/ehr_id/value = '${ehr1}'`);
    expect(created).toEqual({ _type: 'DV_DATE_TIME', value: ehr.timeCreated });
    const committed = await column(
      `SELECT v/commit_audit/time_committed/value FROM VERSION v CONTAINS COMPOSITION c WHERE c/name/value = '${A}'`,
    );
    expect(committed).toHaveLength(1);
    expect(String(committed[0])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('answers what EHRbase refuses: abstract structure classes in FROM, EXISTS, a whole EHR', async () => {
    const structures = await column(
      `SELECT t/_type FROM EHR e CONTAINS COMPOSITION c CONTAINS ITEM_STRUCTURE t WHERE e/ehr_id/value = '${ehr1}'`,
    );
    expect(structures.length).toBeGreaterThan(0);
    // DATA_STRUCTURE is ITEM_STRUCTURE and HISTORY; a node never names an abstract class as its type.
    const data = await column(`SELECT t FROM EHR e CONTAINS COMPOSITION c CONTAINS DATA_STRUCTURE t WHERE e/ehr_id/value = '${ehr1}'`);
    expect(data.length).toBeGreaterThan(structures.length);
    expect(data.map((node) => (node as { _type?: string })._type)).not.toContain('DATA_STRUCTURE');
    const [ehr] = await column(`SELECT e FROM EHR e WHERE e/ehr_id/value = '${ehr1}'`);
    expect(ehr).toMatchObject({ _type: 'EHR', ehr_id: { _type: 'HIER_OBJECT_ID', value: ehr1 } });
    expect(
      await column(
        `SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = '${ehr1}' AND EXISTS c/context/start_time`,
      ),
    ).toEqual([A]);
  });

  it('finds the EHR_STATUS other_details as an ITEM_STRUCTURE and as a DATA_STRUCTURE alike: a class matches what its subclasses match', async () => {
    const ehr = await services.ehrs.create(
      {
        status: {
          _type: 'EHR_STATUS',
          archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
          name: { _type: 'DV_TEXT', value: 'EHR Status' },
          subject: { _type: 'PARTY_SELF' },
          is_queryable: true,
          is_modifiable: true,
          other_details: {
            _type: 'ITEM_TREE',
            archetype_node_id: 'openEHR-EHR-ITEM_TREE.status_details.v1',
            name: { _type: 'DV_TEXT', value: 'Details' },
            items: [],
          },
        },
      },
      AUDIT,
    );
    const ehrId = ehr.ehr.ehrId;
    const nodes = (type: string) => column(`SELECT t/archetype_node_id FROM EHR e CONTAINS ${type} t WHERE e/ehr_id/value = '${ehrId}'`);
    expect(await nodes('ITEM_STRUCTURE')).toEqual(['openEHR-EHR-ITEM_TREE.status_details.v1']);
    expect(await nodes('DATA_STRUCTURE')).toEqual(['openEHR-EHR-ITEM_TREE.status_details.v1']);
    expect(await nodes('ITEM_TREE')).toEqual(['openEHR-EHR-ITEM_TREE.status_details.v1']);
  });

  it('refuses SUM of whole data values with a clear error', async () => {
    await expect(run('SELECT SUM(c/context/start_time) FROM COMPOSITION c')).rejects.toMatchObject({ code: 'unprocessable' });
  });
});

describe(`AQL plans use the indexes on ${backend}`, () => {
  let test: TestDatabase;
  let services: OpenEhrServices;

  beforeAll(async () => {
    test = await createTestDatabase();
    services = aqlServices(test.db);
    // 200 EHRs × 15 compositions, each with its own observation archetype: 3,000 versions.
    await test.db.exec(`
      INSERT INTO ehr (ehr_id, system_id, time_created, subject_namespace, subject_id, ehr_status_uid)
        SELECT md5('e' || g)::uuid, 'bulk', now(), 'bulk', 'S' || g, md5('s' || g)::uuid FROM generate_series(1, 200) g;
      INSERT INTO contribution (contribution_id, ehr_id, system_id, time_committed, change_type, committer)
        SELECT md5('k' || g)::uuid, md5('e' || g)::uuid, 'bulk', now(), 'creation', '{}' FROM generate_series(1, 200) g;
      INSERT INTO versioned_object (uid, ehr_id, object_type, system_id, time_created, latest_version)
        SELECT md5('o' || g || '-' || i)::uuid, md5('e' || g)::uuid, 'COMPOSITION', 'bulk', now(), 1
        FROM generate_series(1, 200) g, generate_series(1, 15) i;
      INSERT INTO object_version (uid, version, ehr_id, object_type, contribution_id, time_committed, change_type,
          lifecycle_state, committer, template_id, archetype_node_id, archetypes, is_latest, data)
        SELECT md5('o' || g || '-' || i)::uuid, 1, md5('e' || g)::uuid, 'COMPOSITION', md5('k' || g)::uuid, now(), 'creation',
          'complete', '{}', 'bulk.t' || i, 'openEHR-EHR-COMPOSITION.bulk.v1',
          ARRAY['openEHR-EHR-COMPOSITION.bulk.v1', 'openEHR-EHR-OBSERVATION.bulk' || (g * 15 + i) || '.v1'], true,
          jsonb_build_object('_type', 'COMPOSITION', 'archetype_node_id', 'openEHR-EHR-COMPOSITION.bulk.v1',
            'name', jsonb_build_object('_type', 'DV_TEXT', 'value', 'bulk ' || g || '-' || i),
            'content', jsonb_build_array(jsonb_build_object('_type', 'OBSERVATION',
              'archetype_node_id', 'openEHR-EHR-OBSERVATION.bulk' || (g * 15 + i) || '.v1',
              'name', jsonb_build_object('_type', 'DV_TEXT', 'value', 'obs'))))
        FROM generate_series(1, 200) g, generate_series(1, 15) i;
      ANALYZE ehr; ANALYZE object_version;
    `);
  }, 120_000);
  afterAll(() => test.drop());

  const scans = (plan: unknown): string[] => {
    const found: string[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (typeof node === 'object' && node !== null) {
        const record = node as Record<string, unknown>;
        if (typeof record['Node Type'] === 'string' && record['Relation Name'] === 'object_version') found.push(record['Node Type']);
        Object.values(record).forEach(visit);
      }
    };
    visit(plan);
    return found;
  };

  it('a query that runs out of time is refused as unavailable, with advice (PostgreSQL; embedded PGlite has no statement timeout)', async () => {
    const slow = services.queries.execute({
      query: 'SELECT COUNT(*) FROM COMPOSITION c CONTAINS OBSERVATION o',
      parameters: {},
      ehrScope: ALL,
      timeoutMs: 1,
    });
    if (backend === 'postgres') {
      await expect(slow).rejects.toMatchObject({ code: 'unavailable', detail: expect.stringMatching(/did not finish within 1 ms/) });
    } else {
      expect((await slow).rows).toEqual([[3000]]);
    }
  });

  it('an EHR-pinned query and an archetype-selective query read object_version through indexes only', async () => {
    const explain = async (query: string, parameters: Record<string, unknown> = {}) => {
      const result = await services.queries.execute({ query, parameters, ehrScope: ALL, timeoutMs: 20_000, explain: true });
      return { rows: result.rows, scans: scans(result.explain) };
    };
    const hex = createHash('md5').update('e7').digest('hex');
    const ehr = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const pinned = await explain('SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr', { ehr });
    expect(pinned.rows).toHaveLength(15);
    expect(pinned.scans.length).toBeGreaterThan(0);
    expect(pinned.scans).not.toContain('Seq Scan');

    const selective = await explain('SELECT o/name/value FROM COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.bulk1234.v1]');
    expect(selective.rows).toEqual([['obs']]);
    expect(selective.scans.length).toBeGreaterThan(0);
    expect(selective.scans).not.toContain('Seq Scan');
  });
});
