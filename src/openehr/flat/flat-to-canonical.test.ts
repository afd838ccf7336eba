import { describe, expect, it } from 'vitest';
import { FlatFormatError } from './flat-format-error.js';
import { flatToComposition } from './flat-to-canonical.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';
import { SDK, committedWebTemplate, fixtureFlat } from '../../../test/support/openehr/flat-fixtures.js';

const multiOccurrence = committedWebTemplate('multi_occurrence');
const testAllTypes = committedWebTemplate('test_all_types');

/** Follows a path of keys and indices through canonical JSON. */
function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isJsonObject(current) ? current[step] : undefined;
  }
  return current;
}

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof FlatFormatError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a FlatFormatError');
}

const phrase = (terminology: string, code: string) => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
  code_string: code,
});

const minimal = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  'encounter/language|code': 'en',
  'encounter/language|terminology': 'ISO_639-1',
  'encounter/territory|code': 'GB',
  'encounter/territory|terminology': 'ISO_3166-1',
  'encounter/composer|name': 'Dr Who',
  'encounter/context/start_time': '2024-05-01T10:00:00Z',
  ...extra,
});

describe('flatToComposition on the multi_occurrence fixture', () => {
  const composition = flatToComposition(fixtureFlat(`${SDK}composition/flat/simSDT/multi_occurrence.json`), multiOccurrence);

  it('fills the composition header from keys and the template', () => {
    expect(composition).toMatchObject({
      _type: 'COMPOSITION',
      name: { _type: 'DV_TEXT', value: 'Encounter' },
      archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
      uid: { _type: 'OBJECT_VERSION_ID', value: '95705e9e-d658-4e60-8e42-240db4478179::ehrbase.org::1' },
      archetype_details: {
        _type: 'ARCHETYPED',
        archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-COMPOSITION.encounter.v1' },
        template_id: { _type: 'TEMPLATE_ID', value: 'ehrbase_multi_occurrence.de.v1' },
        rm_version: '1.1.0',
      },
      language: phrase('ISO_639-1', 'de'),
      territory: phrase('ISO_3166-1', 'DE'),
      category: { _type: 'DV_CODED_TEXT', value: 'event', defining_code: phrase('openehr', '433') },
      composer: { _type: 'PARTY_IDENTIFIED', name: 'Test' },
      context: {
        _type: 'EVENT_CONTEXT',
        start_time: { _type: 'DV_DATE_TIME', value: '2020-10-06T13:30:34.314872+02:00' },
        end_time: { _type: 'DV_DATE_TIME', value: '2020-10-06T13:30:34.317875+02:00' },
        setting: { _type: 'DV_CODED_TEXT', value: 'dental care', defining_code: phrase('openehr', '236') },
      },
    });
  });

  it('builds one OBSERVATION per index with the structure the web template leaves out', () => {
    const content = at(composition, 'content');
    expect(Array.isArray(content) && content.length).toBe(2);
    const observation = at(composition, 'content', 0);
    expect(observation).toMatchObject({
      _type: 'OBSERVATION',
      archetype_node_id: 'openEHR-EHR-OBSERVATION.body_temperature.v2',
      language: phrase('ISO_639-1', 'de'),
      encoding: phrase('IANA_character-sets', 'UTF-8'),
      subject: { _type: 'PARTY_SELF' },
      data: { _type: 'HISTORY', archetype_node_id: 'at0002', name: { _type: 'DV_TEXT', value: 'History' } },
      protocol: { _type: 'ITEM_TREE', archetype_node_id: 'at0020' },
    });
    expect(at(observation, 'data', 'events', 1)).toMatchObject({
      _type: 'POINT_EVENT',
      archetype_node_id: 'at0003',
      time: { _type: 'DV_DATE_TIME', value: '2020-10-06T13:30:34.328873+02:00' },
      data: {
        _type: 'ITEM_TREE',
        archetype_node_id: 'at0001',
        items: [
          {
            _type: 'ELEMENT',
            name: { _type: 'DV_TEXT', value: 'Temperature' },
            archetype_node_id: 'at0004',
            value: { _type: 'DV_QUANTITY', magnitude: 11, units: 'Cel' },
          },
        ],
      },
      state: { _type: 'ITEM_TREE', archetype_node_id: 'at0029' },
    });
    expect(at(observation, 'data', 'origin')).toEqual({ _type: 'DV_DATE_TIME', value: '2020-10-06T13:30:34.328873+02:00' });
  });

  it('turns |other on a coded node into free text', () => {
    expect(at(composition, 'content', 1, 'protocol', 'items', 0, 'value')).toEqual({ _type: 'DV_TEXT', value: 'location' });
  });

  it('names structure nodes from the skippedNode lookup when one is given', () => {
    const named = flatToComposition(fixtureFlat(`${SDK}composition/flat/simSDT/multi_occurrence.json`), multiOccurrence, {
      skippedNode: (path, language) => (path.endsWith('/protocol[at0020]') ? { name: `Protokoll (${language})` } : undefined),
    });
    expect(at(named, 'content', 0, 'protocol', 'name')).toEqual({ _type: 'DV_TEXT', value: 'Protokoll (de)' });
  });
});

describe('flatToComposition on the test_all_types fixture', () => {
  const composition = flatToComposition(fixtureFlat(`${SDK}composition/flat/simSDT/test_all_types.json`), testAllTypes);

  it('places the time of a left-out sole EVENT (time2) on that event', () => {
    expect(at(composition, 'content', 0, 'data', 'events', 0)).toMatchObject({
      _type: 'POINT_EVENT',
      archetype_node_id: 'at0002',
      time: { _type: 'DV_DATE_TIME', value: '2019-01-28T21:22:49.332Z' },
    });
    const items = at(composition, 'content', 0, 'data', 'events', 0, 'data', 'items');
    expect(Array.isArray(items) && items.map((item) => at(item, 'archetype_node_id'))).toEqual([
      'at0004',
      'at0005',
      'at0006',
      'at0007',
      'at0008',
      'at0009',
      'at0010',
      'at0011',
      'at0012',
      'at0013',
      'at0017',
      'at0018',
      'at0019',
      'at0020',
      'at0021',
      'at0022',
    ]);
  });

  it('fills a choice ELEMENT and interval bounds from template children', () => {
    const evaluation = at(composition, 'content', 1);
    expect(at(evaluation, 'data', 'items', 3)).toMatchObject({
      _type: 'ELEMENT',
      archetype_node_id: 'at0009',
      value: { _type: 'DV_QUANTITY', magnitude: 148.01210165023804, units: 'mm[H20]' },
    });
    expect(at(evaluation, 'data', 'items', 0, 'value')).toEqual({
      _type: 'DV_INTERVAL',
      upper: { _type: 'DV_COUNT', magnitude: 234 },
      lower: { _type: 'DV_COUNT', magnitude: 123 },
      lower_included: true,
      upper_included: true,
      lower_unbounded: false,
      upper_unbounded: false,
    });
  });

  it('builds INSTRUCTION, ACTION and ADMIN_ENTRY in nested sections', () => {
    const section3 = at(composition, 'content', 2, 'items', 0, 'items', 0);
    expect(at(section3, 'items', 0)).toMatchObject({
      _type: 'INSTRUCTION',
      narrative: { _type: 'DV_TEXT' },
      activities: [
        {
          _type: 'ACTIVITY',
          archetype_node_id: 'at0001',
          timing: { _type: 'DV_PARSABLE', value: 'P1D', formalism: 'ISO8601' },
          action_archetype_id: 'openEHR-EHR-ACTION.test_all_types.v1',
        },
      ],
    });
    expect(at(section3, 'items', 1)).toMatchObject({
      _type: 'ACTION',
      time: { _type: 'DV_DATE_TIME', value: '2019-01-28T21:22:50.154Z' },
      ism_transition: {
        _type: 'ISM_TRANSITION',
        current_state: { _type: 'DV_CODED_TEXT', value: 'planned', defining_code: phrase('openehr', '526') },
      },
    });
    expect(at(composition, 'content', 2, 'items', 0, 'items', 1, 'data')).toMatchObject({
      _type: 'ITEM_SINGLE',
      archetype_node_id: 'at0001',
      item: { _type: 'ELEMENT', archetype_node_id: 'at0002', value: { _type: 'DV_COUNT', magnitude: 123 } },
    });
  });
});

describe('ctx/ defaults', () => {
  const composition = flatToComposition(
    {
      'ctx/language': 'en',
      'ctx/territory': 'GB',
      'ctx/time': '2024-05-01T10:00:00Z',
      'ctx/end_time': '2024-05-01T11:00:00Z',
      'ctx/composer_name': 'Silvia Blake',
      'ctx/composer_id': '123',
      'ctx/id_namespace': 'HOSPITAL-NS',
      'ctx/id_scheme': 'HOSPITAL-NS',
      'ctx/participation_name': 'Dr. Marcus Johnson',
      'ctx/participation_function': 'requester',
      'ctx/participation_mode': 'face-to-face communication',
      'ctx/participation_id': '199',
      'ctx/participation_name:1': 'Lara Markham',
      'ctx/participation_function:1': 'performer',
      'ctx/participation_identifiers:1': 'issuer1::assigner1::id1::PERSON',
      'ctx/health_care_facility|name': 'Hospital',
      'ctx/health_care_facility|id': '9091',
      'ctx/setting': 'home',
      'ctx/location': 'Ward 4',
      'encounter/body_temperature:0/any_event:0/temperature|magnitude': 37.1,
      'encounter/body_temperature:0/any_event:0/temperature|unit': 'Cel',
    },
    multiOccurrence,
  );
  const ref = (id: string) => ({
    _type: 'PARTY_REF',
    id: { _type: 'GENERIC_ID', value: id, scheme: 'HOSPITAL-NS' },
    namespace: 'HOSPITAL-NS',
    type: 'PARTY',
  });
  const participations = [
    {
      _type: 'PARTICIPATION',
      function: { _type: 'DV_TEXT', value: 'requester' },
      mode: { _type: 'DV_CODED_TEXT', value: 'face-to-face communication', defining_code: phrase('openehr', '216') },
      performer: { _type: 'PARTY_IDENTIFIED', external_ref: ref('199'), name: 'Dr. Marcus Johnson' },
    },
    {
      _type: 'PARTICIPATION',
      function: { _type: 'DV_TEXT', value: 'performer' },
      performer: {
        _type: 'PARTY_IDENTIFIED',
        name: 'Lara Markham',
        identifiers: [{ _type: 'DV_IDENTIFIER', issuer: 'issuer1', assigner: 'assigner1', id: 'id1', type: 'PERSON' }],
      },
    },
  ];

  it('sets language, territory, composer and context', () => {
    expect(composition).toMatchObject({
      language: phrase('ISO_639-1', 'en'),
      territory: phrase('ISO_3166-1', 'GB'),
      composer: { _type: 'PARTY_IDENTIFIED', external_ref: ref('123'), name: 'Silvia Blake' },
      context: {
        start_time: { _type: 'DV_DATE_TIME', value: '2024-05-01T10:00:00Z' },
        end_time: { _type: 'DV_DATE_TIME', value: '2024-05-01T11:00:00Z' },
        setting: { _type: 'DV_CODED_TEXT', value: 'home', defining_code: phrase('openehr', '225') },
        location: 'Ward 4',
        health_care_facility: { _type: 'PARTY_IDENTIFIED', external_ref: ref('9091'), name: 'Hospital' },
        participations,
      },
    });
  });

  it('gives entries the language, participations and event times', () => {
    expect(at(composition, 'content', 0)).toMatchObject({
      language: phrase('ISO_639-1', 'en'),
      other_participations: participations,
      data: {
        origin: { _type: 'DV_DATE_TIME', value: '2024-05-01T10:00:00Z' },
        events: [{ time: { _type: 'DV_DATE_TIME', value: '2024-05-01T10:00:00Z' } }],
      },
    });
  });

  it('uses options.now when the document gives no time at all', () => {
    const { 'encounter/context/start_time': _dropped, ...withoutTime } = minimal();
    const timed = flatToComposition(withoutTime, multiOccurrence, { now: '2030-01-01T00:00:00Z' });
    expect(at(timed, 'context', 'start_time')).toEqual({ _type: 'DV_DATE_TIME', value: '2030-01-01T00:00:00Z' });
    expect(issuesOf(() => flatToComposition(withoutTime, multiOccurrence))).toEqual([
      { path: 'encounter/context/start_time', message: 'context start time is required (or ctx/time)' },
    ]);
  });
});

describe('RM attributes as underscore keys', () => {
  it('reads _name, _uid, _link, _feeder_audit and a null flavour on an element', () => {
    const composition = flatToComposition(
      minimal({
        'encounter/_name': 'Temperature round',
        'encounter/_link:0|meaning': 'follow up',
        'encounter/_link:0|type': 'problem',
        'encounter/_link:0|target': 'ehr://e1/c1',
        'encounter/body_temperature:0/_name|code': 'at9',
        'encounter/body_temperature:0/_name|value': 'Core temperature',
        'encounter/body_temperature:0/_name|terminology': 'local',
        'encounter/body_temperature:0/any_event:0/temperature/_null_flavour|code': '253',
        'encounter/body_temperature:0/any_event:0/temperature/_uid': '9fcc1c70-9349-444d-b9cb-8fa817697f5e',
        'encounter/body_temperature:0/_feeder_audit/originating_system_audit|system_id': 'lab',
      }),
      multiOccurrence,
    );
    expect(composition).toMatchObject({
      name: { _type: 'DV_TEXT', value: 'Temperature round' },
      links: [
        {
          _type: 'LINK',
          meaning: { _type: 'DV_TEXT', value: 'follow up' },
          type: { _type: 'DV_TEXT', value: 'problem' },
          target: { _type: 'DV_EHR_URI', value: 'ehr://e1/c1' },
        },
      ],
    });
    const observation = at(composition, 'content', 0);
    expect(at(observation, 'name')).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'Core temperature',
      defining_code: phrase('local', 'at9'),
    });
    expect(at(observation, 'feeder_audit')).toEqual({
      _type: 'FEEDER_AUDIT',
      originating_system_audit: { _type: 'FEEDER_AUDIT_DETAILS', system_id: 'lab' },
    });
    expect(at(observation, 'data', 'events', 0, 'data', 'items', 0)).toEqual({
      _type: 'ELEMENT',
      name: { _type: 'DV_TEXT', value: 'Temperature' },
      archetype_node_id: 'at0004',
      uid: { _type: 'HIER_OBJECT_ID', value: '9fcc1c70-9349-444d-b9cb-8fa817697f5e' },
      null_flavour: { _type: 'DV_CODED_TEXT', value: 'unknown', defining_code: phrase('openehr', '253') },
    });
  });

  it('takes a canonical value given under |raw', () => {
    const raw = { _type: 'DV_QUANTITY', magnitude: 37, units: 'Cel', precision: 0 };
    const composition = flatToComposition(minimal({ 'encounter/body_temperature:0/any_event:0/temperature|raw': raw }), multiOccurrence);
    expect(at(composition, 'content', 0, 'data', 'events', 0, 'data', 'items', 0, 'value')).toEqual(raw);
  });
});

describe('errors', () => {
  it('reports every problem at once, each with its key', () => {
    const issues = issuesOf(() =>
      flatToComposition(
        {
          'encounter/language|code': 'en',
          'encounter/composer|name': 'Dr Who',
          'encounter/context/start_time': '2024-05-01T10:00:00Z',
          'encounter/body_temperature:0/any_event:0/temperature|magnitude': 'hot',
          'encounter/body_temperature:0/any_event:0/temperature|unit': 'Cel',
          'encounter/body_temperature:0/any_event:0/temperature|colour': 'red',
          'encounter/body_temperature:0/location_of_measurement:0|code': 'at0061',
          'encounter/body_temperature:0/location_of_measurement:1|code': 'at0022',
          'encounter/body_temperature:0/pulse/rate': 72,
          'encounter/body_temperature:0//time': 'x',
          'encounter/context/colour': 'red',
          'ctx/colour': 'red',
          'other/thing': 1,
        },
        multiOccurrence,
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'encounter/body_temperature:0//time', message: "malformed path segment ''" },
        { path: 'encounter/body_temperature:0/any_event:0/temperature|magnitude', message: 'expected a number' },
        {
          path: 'encounter/body_temperature:0/any_event:0/temperature|colour',
          message: "unknown attribute '|colour' for DV_QUANTITY",
        },
        { path: 'encounter/body_temperature:0/location_of_measurement:1', message: "'location_of_measurement' occurs at most once" },
        {
          path: 'encounter/body_temperature:0/pulse/rate',
          message: "'pulse' is not a template node or RM attribute of OBSERVATION",
        },
        { path: 'encounter/context/colour', message: "'colour' is not a template node or RM attribute of EVENT_CONTEXT" },
        { path: 'ctx/colour', message: "'colour' is not a template node or RM attribute of 'ctx' (context defaults)" },
        {
          path: 'other/thing',
          message: "'other' is not a template node or RM attribute of the document (the template root is 'encounter')",
        },
        { path: 'encounter/territory|code', message: 'territory is required (or ctx/territory)' },
      ]),
    );
    expect(issues).toHaveLength(10);
  });

  it('names the error and its first issue in the message', () => {
    expect(() => flatToComposition(minimal({ 'encounter/x': 1 }), multiOccurrence)).toThrow(
      /^Invalid simplified-format data: encounter\/x: 'x' is not a template node/,
    );
  });

  it('rejects a participation mode that is not an openEHR one', () => {
    expect(
      issuesOf(() =>
        flatToComposition(
          minimal({ 'encounter/context/_participation:0|function': 'f', 'encounter/context/_participation:0|mode': 'by pigeon' }),
          multiOccurrence,
        ),
      ),
    ).toEqual([{ path: 'encounter/context/_participation:0|mode', message: "'by pigeon' is not an openEHR participation mode" }]);
  });
});

describe('pure conversion', () => {
  it('does not change its input and gives equal output for equal input', () => {
    const flat = fixtureFlat(`${SDK}composition/flat/simSDT/multi_occurrence.json`);
    const copy = structuredClone(flat);
    const first: JsonObject = flatToComposition(flat, multiOccurrence);
    expect(flat).toEqual(copy);
    expect(flatToComposition(flat, multiOccurrence)).toEqual(first);
  });
});

describe('interval nodes of a web template', () => {
  it('accept |lower and |upper for their bound children', () => {
    const flat = {
      'test_all_types/language|code': 'en',
      'test_all_types/territory|code': 'GB',
      'test_all_types/composer|name': 'Dr Who',
      'test_all_types/context/start_time': '2024-05-01T10:00:00Z',
      'test_all_types/test_all_types2:0/interval_count|lower': 1,
      'test_all_types/test_all_types2:0/interval_count|upper': 5,
    };
    const composition = flatToComposition(flat, testAllTypes);
    expect(at(composition, 'content', 0, 'data', 'items', 0, 'value')).toMatchObject({
      lower: { _type: 'DV_COUNT', magnitude: 1 },
      upper: { _type: 'DV_COUNT', magnitude: 5 },
    });
  });
});
