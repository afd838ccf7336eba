import { describe, expect, it } from 'vitest';
import { checkRmStructure } from './rm-structure-check.js';
import type { RmIssue } from './rm-structure-check.js';
import { listOpenEhrFixtures, readOpenEhrFixture } from '../../../test/support/openehr/fixture-index.js';
import { isJsonObject } from '../../shared/json.js';

/** Canonical JSON only: the README's K1/K3/K4 lists also hold FLAT bodies and EHRbase's own formats. */
function canonicalJsonFixtures(kind: string): { file: string; value: Record<string, unknown> }[] {
  return listOpenEhrFixtures(kind)
    .map(({ file }) => {
      try {
        return { file, value: JSON.parse(readOpenEhrFixture(file)) as unknown };
      } catch {
        return { file, value: undefined };
      }
    })
    .filter((entry): entry is { file: string; value: Record<string, unknown> } => {
      const { value } = entry;
      // EHRbase's old "@type" serialisation is not canonical JSON.
      return isJsonObject(value) && !('@type' in value) && (typeof value.archetype_node_id === 'string' || typeof value._type === 'string');
    });
}

/**
 * Fixtures not named `invalid` that nevertheless break the RM, each with the issue codes found:
 * EHRbase's tests post them to show it coerces or ignores such data.
 */
const NON_CONFORMANT: Readonly<Record<string, { readonly codes: readonly string[]; readonly why: string }>> = {
  'Test_dv_ordinal_open_constraint.v0__.json': {
    codes: ['unknown_attribute', 'wrong_primitive_type'],
    why: 'ordinal value "1" as a string; symbol with a "type" property',
  },
  'Test_dv_ordinal_with_constraints.v0__.json': { codes: ['wrong_primitive_type'], why: 'ordinal value as a string' },
  'Test_dv_proportion_open_constraint.v0__.json': { codes: ['wrong_primitive_type'], why: 'numerator, denominator and type as strings' },
  'Test_dv_proportion_open_constraint_precision_1.v0__.json': { codes: ['wrong_primitive_type'], why: 'numbers as strings' },
  'Test_dv_quantity_open_constraint.v0__.json': { codes: ['wrong_primitive_type'], why: 'magnitude as a string' },
  'Test_dv_quantity_property_constrained.v0__.json': { codes: ['wrong_primitive_type'], why: 'magnitude as a string' },
  'Test_dv_quantity_property_units_constrained.v0__.json': { codes: ['wrong_primitive_type'], why: 'magnitude as a string' },
  'Test_dv_quantity_property_units_constrained_with_magnitude_range.v0__.json': {
    codes: ['wrong_primitive_type'],
    why: 'magnitude as a string',
  },
  'family_history.v.1.2.3__.json': { codes: ['unknown_attribute'], why: 'EVALUATION.time_asserted is not an RM attribute' },
  'all_types_systematic_tests_feeder_audit.json': {
    codes: ['unknown_attribute'],
    why: 'feeder_system_audit set on entries instead of inside feeder_audit',
  },
  // Contribution bodies whose versions carry such data:
  'contribution.create_composition.modification_folder_with_items.json': {
    codes: ['unknown_attribute'],
    why: 'a COMPOSITION with an "items" list',
  },
  'minimal_admin.contribution.creation_modification.json': {
    codes: ['incompatible_type', 'missing_attribute'],
    why: 'the versioned data is itself a contribution body',
  },
  'folder_without_duplicates.json': { codes: ['missing_attribute', 'unknown_attribute'], why: 'a folder name of the form {name: …}' },
  'simple_empty_folder.json': { codes: ['missing_attribute', 'unknown_attribute'], why: 'no archetype_node_id; a "path" property' },
};

const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);
const codes = (issues: readonly RmIssue[]): string[] => [...new Set(issues.map((issue) => issue.code))].toSorted();

describe('canonical JSON fixtures', () => {
  const groups: [string, string][] = [
    ['K1', 'COMPOSITION'],
    ['K3', 'EHR_STATUS'],
    ['K4', 'FOLDER'],
  ];
  for (const [kind, type] of groups) {
    const fixtures = canonicalJsonFixtures(kind);
    const valid = fixtures.filter(({ file }) => !/invalid/i.test(file));

    it(`${kind}: every valid ${type} passes (${valid.length} files; known non-conformant ones report exactly their faults)`, () => {
      expect(valid.length).toBeGreaterThan(kind === 'K1' ? 90 : 8);
      for (const { file, value } of valid) {
        const issues = checkRmStructure(value, type);
        const known = NON_CONFORMANT[baseName(file)];
        if (known) expect(codes(issues), `${file}: ${known.why}`).toEqual(known.codes);
        else expect(issues, file).toEqual([]);
      }
    });
  }

  it('K3: the deliberately invalid EHR_STATUS bodies are rejected, each for its own reason', () => {
    const invalid = canonicalJsonFixtures('K3').filter(({ file }) => /invalid/.test(file));
    const found = Object.fromEntries(invalid.map(({ file, value }) => [baseName(file), checkRmStructure(value, 'EHR_STATUS')]));
    expect(found['001_ehr_status_subject_missing.json']).toEqual([
      { path: '/subject', code: 'missing_attribute', message: 'EHR_STATUS.subject is mandatory' },
    ]);
    expect(codes(found['002_ehr_status_subject_and_archetype_and_name_missing.json'] ?? [])).toEqual(['missing_attribute']);
    expect(found['002_ehr_status_subject_and_archetype_and_name_missing.json']?.map((issue) => issue.path)).toEqual([
      '/archetype_node_id',
      '/name',
      '/subject',
    ]);
    expect(found['004_ehr_status_subject_id_missing.json']?.[0]?.path).toBe('/subject/external_ref/id');
    expect(found['005_ehr_status_subject_namespace_missing.json']?.[0]?.path).toBe('/subject/external_ref/namespace');
    expect(found['009_ehr_status_is_mod_and_is_quer_missing.json']?.map((issue) => issue.path)).toEqual([
      '/is_queryable',
      '/is_modifiable',
    ]);
  });

  it('K11: the versions inside contribution bodies hold RM-valid data', () => {
    let checked = 0;
    for (const { file } of listOpenEhrFixtures('K11')) {
      if (/invalid/.test(file)) continue;
      const body: unknown = JSON.parse(readOpenEhrFixture(file));
      const versions: unknown[] = isJsonObject(body) && Array.isArray(body.versions) ? body.versions : [];
      const data = versions.flatMap((version) => (isJsonObject(version) && isJsonObject(version.data) ? [version.data] : []));
      checked += data.length;
      const issues = data.flatMap((value) => checkRmStructure(value));
      const known = NON_CONFORMANT[baseName(file)];
      if (known) expect(codes(issues), `${file}: ${known.why}`).toEqual(known.codes);
      else expect(issues, file).toEqual([]);
    }
    expect(checked).toBeGreaterThan(60);
  });
});

// ---------------------------------------------------------------------------------------------

function minimalComposition(): Record<string, unknown> {
  return {
    _type: 'COMPOSITION',
    archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
    name: { value: 'Encounter' },
    language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
    territory: { terminology_id: { value: 'ISO_3166-1' }, code_string: 'GB' },
    category: { value: 'event', defining_code: { terminology_id: { value: 'openehr' }, code_string: '433' } },
    composer: { _type: 'PARTY_IDENTIFIED', name: 'Dr Who' },
    context: {
      start_time: { value: '2024-03-01T10:00:00Z' },
      setting: { value: 'other care', defining_code: { terminology_id: { value: 'openehr' }, code_string: '238' } },
    },
    content: [
      {
        _type: 'OBSERVATION',
        archetype_node_id: 'openEHR-EHR-OBSERVATION.blood_pressure.v2',
        name: { value: 'Blood pressure' },
        language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
        encoding: { terminology_id: { value: 'IANA_character-sets' }, code_string: 'UTF-8' },
        subject: { _type: 'PARTY_SELF' },
        data: {
          archetype_node_id: 'at0001',
          name: { value: 'History' },
          origin: { value: '2024-03-01T10:00:00Z' },
          events: [
            {
              _type: 'POINT_EVENT',
              archetype_node_id: 'at0006',
              name: { value: 'Any event' },
              time: { value: '2024-03-01T10:00:00Z' },
              data: {
                _type: 'ITEM_TREE',
                archetype_node_id: 'at0003',
                name: { value: 'Tree' },
                items: [
                  {
                    _type: 'ELEMENT',
                    archetype_node_id: 'at0004',
                    name: { value: 'Systolic' },
                    value: { _type: 'DV_QUANTITY', magnitude: 120, units: 'mm[Hg]' },
                  },
                ],
              },
            },
          ],
        },
      },
    ],
  };
}

type Json = Record<string, unknown>;
const event = (composition: Json): Json => {
  const content = composition.content as Json[];
  const data = (content[0] as Json).data as Json;
  return (data.events as Json[])[0] as Json;
};
const element = (composition: Json): Json => ((event(composition).data as Json).items as Json[])[0] as Json;

function broken(change: (composition: Json) => void): RmIssue[] {
  const composition = minimalComposition();
  change(composition);
  return checkRmStructure(composition);
}

describe('checkRmStructure on broken copies', () => {
  it('accepts the intact composition, inferring every omitted concrete _type', () => {
    expect(checkRmStructure(minimalComposition())).toEqual([]);
    const { _type: _omitted, ...untyped } = minimalComposition();
    expect(checkRmStructure(untyped, 'COMPOSITION')).toEqual([]);
  });

  it('reports a missing mandatory attribute with its path', () => {
    expect(broken((c) => delete event(c).time)).toEqual([
      { path: '/content[0]/data/events[0]/time', code: 'missing_attribute', message: 'POINT_EVENT.time is mandatory' },
    ]);
    expect(broken((c) => delete c.category)).toEqual([
      { path: '/category', code: 'missing_attribute', message: 'COMPOSITION.category is mandatory' },
    ]);
    expect(broken((c) => (c.language = null))[0]?.code).toBe('missing_attribute');
  });

  it('reports attributes the class does not have', () => {
    expect(broken((c) => (element(c).magnitude = 1))).toEqual([
      {
        path: '/content[0]/data/events[0]/data/items[0]/magnitude',
        code: 'unknown_attribute',
        message: "ELEMENT has no attribute 'magnitude'",
      },
    ]);
  });

  it('reports unknown, abstract, incompatible and missing _type', () => {
    expect(broken((c) => (element(c).value = { _type: 'DV_WHATEVER', value: 'x' }))[0]).toMatchObject({
      code: 'unknown_type',
      path: '/content[0]/data/events[0]/data/items[0]/value',
    });
    expect(broken((c) => (c.composer = { _type: 'PARTY_PROXY' }))[0]).toMatchObject({ code: 'abstract_type', path: '/composer' });
    expect(broken((c) => (c.composer = { name: 'no type' }))[0]).toMatchObject({
      code: 'missing_type',
      message: '_type is required where PARTY_PROXY is declared',
    });
    expect(broken((c) => (c.category = { _type: 'DV_TEXT', value: 'event' }))).toEqual([
      { path: '/category', code: 'incompatible_type', message: 'DV_TEXT is not a DV_CODED_TEXT' },
    ]);
    expect(broken((c) => ((event(c).data as Json)._type = 'CLUSTER'))[0]).toMatchObject({ code: 'incompatible_type' });
    expect(checkRmStructure({ value: 'x' })).toEqual([
      { path: '/', code: 'missing_type', message: '_type is required where Any is declared' },
    ]);
    expect(checkRmStructure({ value: 'x' }, 'NO_SUCH_TYPE')[0]?.code).toBe('unknown_type');
  });

  it('reports lists where single values belong and the other way round', () => {
    expect(broken((c) => (c.content = (c.content as Json[])[0]))[0]).toMatchObject({ path: '/content', code: 'expected_list' });
    expect(broken((c) => (c.name = [{ value: 'A' }]))[0]).toMatchObject({ path: '/name', code: 'unexpected_list' });
    expect(
      broken((c) => {
        element(c).value = undefined;
        ((event(c).data as Json).items as Json[])[0] = { _type: 'CLUSTER', archetype_node_id: 'at1', name: { value: 'C' }, items: [] };
      }),
    ).toEqual([
      { path: '/content[0]/data/events[0]/data/items[0]/items', code: 'empty_list', message: 'CLUSTER.items needs at least one item' },
    ]);
  });

  it('reports primitives of the wrong JSON type and objects where primitives belong', () => {
    expect(broken((c) => ((element(c).value as Json).magnitude = '120'))).toEqual([
      {
        path: '/content[0]/data/events[0]/data/items[0]/value/magnitude',
        code: 'wrong_primitive_type',
        message: 'expected Real, found string "120"',
      },
    ]);
    expect(broken((c) => (element(c).value = { _type: 'DV_COUNT', magnitude: 1.5 }))[0]?.code).toBe('wrong_primitive_type');
    expect(broken((c) => (element(c).value = { _type: 'DV_BOOLEAN', value: 'true' }))[0]?.code).toBe('wrong_primitive_type');
    expect(broken((c) => (c.archetype_node_id = { value: 'x' }))[0]).toMatchObject({
      code: 'wrong_primitive_type',
      path: '/archetype_node_id',
    });
    expect(broken((c) => (c.name = 'Encounter'))[0]).toMatchObject({ code: 'not_an_object', path: '/name' });
    expect(broken((c) => ((c.content as unknown[])[0] = null))[0]).toMatchObject({ code: 'not_an_object', path: '/content[0]' });
  });

  it('reports values that do not parse: ISO 8601 and closed code lists', () => {
    expect(broken((c) => ((event(c).time as Json).value = '2024-02-30T10:00:00Z'))).toEqual([
      {
        path: '/content[0]/data/events[0]/time/value',
        code: 'invalid_value',
        message: 'day 30 does not exist in 2024-02',
      },
    ]);
    expect(broken((c) => (element(c).value = { _type: 'DV_DURATION', value: 'P1.5D' }))[0]?.code).toBe('invalid_value');
    expect(broken((c) => (element(c).value = { _type: 'DV_TIME', value: '24:00:00' }))[0]?.code).toBe('invalid_value');
    expect(broken((c) => (element(c).value = { _type: 'DV_DATE', value: '2021-13' }))[0]?.code).toBe('invalid_value');
    expect(broken((c) => (element(c).value = { _type: 'DV_PROPORTION', numerator: 1, denominator: 2, type: 7 }))[0]).toMatchObject({
      code: 'invalid_value',
      message: 'proportion kind 7 is not in 0..4',
    });
    expect(broken((c) => ((element(c).value as Json).magnitude_status = '=='))[0]).toMatchObject({
      code: 'invalid_value',
      path: '/content[0]/data/events[0]/data/items[0]/value/magnitude_status',
    });
    const mapping = { match: 'x', target: { terminology_id: { value: 'SNOMED-CT' }, code_string: '1' } };
    expect(broken((c) => ((c.name as Json).mappings = [mapping]))[0]).toMatchObject({
      code: 'invalid_value',
      path: '/name/mappings[0]/match',
    });
  });

  it('reports every issue, not just the first', () => {
    const issues = broken((c) => {
      delete c.territory;
      delete event(c).time;
      (element(c).value as Json).units = 7;
      c.extra = true;
    });
    expect(issues.map((issue) => `${issue.code} ${issue.path}`).toSorted()).toEqual([
      'missing_attribute /content[0]/data/events[0]/time',
      'missing_attribute /territory',
      'unknown_attribute /extra',
      'wrong_primitive_type /content[0]/data/events[0]/data/items[0]/value/units',
    ]);
  });

  it('follows generic arguments: DV_INTERVAL bounds, HISTORY events, ORIGINAL_VERSION data', () => {
    const interval = (lower: unknown): Json => ({ _type: 'DV_INTERVAL', lower, lower_unbounded: false, upper_unbounded: true });
    expect(broken((c) => (element(c).value = interval({ _type: 'DV_COUNT', magnitude: 1 })))).toEqual([]);
    expect(broken((c) => (element(c).value = interval({ magnitude: 1 })))[0]).toMatchObject({
      code: 'missing_type',
      message: '_type is required where DV_ORDERED is declared',
    });
    expect(broken((c) => (element(c).value = interval({ _type: 'DV_TEXT', value: 'x' })))[0]?.code).toBe('incompatible_type');
    const participation = {
      function: { value: 'performer' },
      performer: { _type: 'PARTY_SELF' },
      time: { lower: { value: '2024-01-01T00:00:00Z' }, lower_unbounded: false, upper_unbounded: true },
    };
    expect(broken((c) => ((c.context as Json).participations = [participation]))).toEqual([]);
    const version = {
      _type: 'ORIGINAL_VERSION',
      uid: { value: '8849182c-82ad-4088-a07f-48ead4180515::ucp.example::1' },
      contribution: {
        id: { _type: 'HIER_OBJECT_ID', value: 'a1e5b8b4-2e46-4b58-9f0a-1c0c0d1e2f3a' },
        namespace: 'local',
        type: 'CONTRIBUTION',
      },
      commit_audit: {
        system_id: 'ucp.example',
        committer: { _type: 'PARTY_IDENTIFIED', name: 'Dr Who' },
        time_committed: { value: '2024-03-01T10:00:00Z' },
        change_type: { value: 'creation', defining_code: { terminology_id: { value: 'openehr' }, code_string: '249' } },
      },
      lifecycle_state: { value: 'complete', defining_code: { terminology_id: { value: 'openehr' }, code_string: '532' } },
      data: minimalComposition(),
    };
    expect(checkRmStructure(version)).toEqual([]);
    const { _type: _dropped, ...untypedData } = minimalComposition();
    expect(checkRmStructure({ ...version, data: untypedData })[0]).toMatchObject({ path: '/data', code: 'missing_type' });
    expect(checkRmStructure({ ...version, data: untypedData }, 'ORIGINAL_VERSION<COMPOSITION>')).toEqual([]);
  });

  it('never throws on odd input', () => {
    for (const value of [null, undefined, 42, 'text', [], [1, 2], { _type: 42 }, { _type: 'DV_INTERVAL<' }, { _type: '' }]) {
      expect(() => checkRmStructure(value)).not.toThrow();
      expect(checkRmStructure(value).length).toBeGreaterThan(0);
    }
    expect(checkRmStructure('2024-01-01', 'Iso8601_date')).toEqual([]);
    expect(checkRmStructure({ _type: 'DV_TEXT', value: 'x' }, 'DV_TEXT<')[0]?.code).toBe('unknown_type');
  });
});
