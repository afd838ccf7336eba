/**
 * Test support only: the fixture corpus for the round-trip tests. Every FLAT fixture of the SDK and
 * the integration tests is listed with its OPT and what a round trip is expected to do, and every
 * difference a round trip may show is named and explained here.
 */

import { isJsonObject, type JsonValue } from '../../../src/shared/json.js';
import { IT, SDK } from './flat-fixtures.js';

/** The time passed as options.now to fixtures that give no time of their own. */
export const NOW = '2024-01-01T00:00:00Z';

interface Change {
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
}

type Flat = Record<string, unknown>;

/** Why a FLAT key may come back different; `explains` decides for one changed key. */
export const FLAT_DIFFERENCES = {
  ctx: {
    why: 'ctx/ keys are defaults; the output has no ctx/ keys but carries their values on the nodes they default',
    explains: (c: Change) => c.key.startsWith('ctx/') || c.before === undefined,
  },
  contextDefaults: {
    why: 'the fixture gives no context start time or setting; they default to options.now and openEHR 238 "other care"',
    explains: (c: Change) =>
      c.before === undefined &&
      ((c.key.endsWith('/context/start_time') && c.after === NOW) ||
        (c.key.endsWith('/context/setting|code') && c.after === '238') ||
        (c.key.endsWith('/context/setting|value') && c.after === 'other care') ||
        (c.key.endsWith('/context/setting|terminology') && c.after === 'openehr')),
  },
  plainIdentifier: {
    why: 'a DV_IDENTIFIER given as plain value is read as its id and written back as |id, the form the spec documents',
    explains: (c: Change, before: Flat, after: Flat) =>
      (c.after === undefined && after[`${c.key}|id`] === c.before) ||
      (c.before === undefined && c.key.endsWith('|id') && before[c.key.slice(0, -3)] === c.after),
  },
  intervalDefaults: {
    why: 'interval flags equal to their defaults (included true, unbounded false) are not written',
    explains: (c: Change) =>
      c.after === undefined &&
      ((/\|(lower|upper)_included$/.test(c.key) && c.before === true) || (/\|(lower|upper)_unbounded$/.test(c.key) && c.before === false)),
  },
  activityDefault: {
    why: 'ACTIVITY.action_archetype_id defaults to /.*/ and, as the RM requires it, is always written',
    explains: (c: Change) => c.before === undefined && c.key.endsWith('/action_archetype_id') && c.after === '/.*/',
  },
  parsableValue: {
    why: '|value on a DV_PARSABLE is an alias of its plain value, which is what gets written',
    explains: (c: Change, before: Flat, after: Flat) =>
      (c.after === undefined && c.key.endsWith('|value') && after[c.key.slice(0, -6)] === c.before) ||
      (c.before === undefined && before[`${c.key}|value`] === c.after),
  },
  proportionMagnitude: {
    why: 'the plain value of a DV_PROPORTION is derived (numerator / denominator) and written at full precision',
    explains: (c: Change, before: Flat) => {
      const numerator = before[`${c.key}|numerator`];
      const denominator = before[`${c.key}|denominator`];
      return typeof numerator === 'number' && typeof denominator === 'number' && c.after === numerator / denominator;
    },
  },
  ordinalTerminology: {
    why: '|terminology_id is an alias of |terminology, and the local terminology of an ordinal is not written',
    explains: (c: Change) => c.after === undefined && c.key.endsWith('|terminology_id') && c.before === 'local',
  },
} as const;

export type FlatDifference = keyof typeof FLAT_DIFFERENCES;

/** Changed keys between two FLAT maps that none of the named differences explains. */
export function unexplainedChanges(before: Flat, after: Flat, allowed: readonly FlatDifference[]): Change[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes = keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ key, before: before[key], after: after[key] }));
  return changes.filter((c) => !allowed.some((name) => FLAT_DIFFERENCES[name].explains(c, before, after)));
}

export type FlatExpectation =
  | { readonly exact: true }
  | { readonly differences: readonly FlatDifference[] }
  | { readonly errors: readonly string[]; readonly why: string }
  | { readonly unavailable: string };

export interface FlatFixture {
  readonly file: string;
  readonly opt?: string;
  readonly expect: FlatExpectation;
}

const EXACT = { exact: true } as const;
const NO_TEMPLATE = {
  unavailable: 'its OPT was left out of the fixture set to stay under 20 MB (test/fixtures/openehr/README.md)',
};
const BROKEN_JSON = { unavailable: 'deliberately malformed JSON (a negative case of the integration tests)' };

const SDK_FLAT = `${SDK}composition/flat/simSDT/`;
const AQL_EXTERNAL = `${IT}aql/data_load/compositions/external/`;
const AQL_OPT = `${IT}aql/data_load/opts/external/`;
const IT_FLAT = `${IT}compositions/FLAT/`;
const IT_INPUT = `${IT}flat_compositions/`;
const SDK_OPT = `${SDK}operationaltemplate/`;
const IT_MINIMAL = `${IT}valid_templates/minimal/`;

const CONFORMANCE = [
  'Element_feeder_audit',
  'Element_null_flavor',
  'action',
  'admin_entry',
  'cluster',
  'composition',
  'data_types_dv_boolean',
  'data_types_dv_coded_text',
  'data_types_dv_coded_text_as_dv_text',
  'data_types_dv_count',
  'data_types_dv_date',
  'data_types_dv_date_time',
  'data_types_dv_duration',
  'data_types_dv_ehr_uri',
  'data_types_dv_identifier',
  'data_types_dv_multimedia',
  'data_types_dv_ordinal',
  'data_types_dv_parsable',
  'data_types_dv_proportion',
  'data_types_dv_quantity',
  'data_types_dv_text',
  'data_types_dv_time',
  'data_types_dv_uri',
  'data_types_interval_dv_quantity',
  'evaluation',
  'feeder_audit_multimedia',
  'instruction',
  'interval_event',
  'observation',
  'party_identified',
  'party_related',
  'party_self',
  'point_event',
  'section',
];

export const FLAT_FIXTURES: readonly FlatFixture[] = [
  { file: `${SDK_FLAT}IDCR - Adverse Reaction List.json`, opt: `${SDK_OPT}IDCR - Adverse Reaction List.v1.opt`, expect: EXACT },
  { file: `${SDK_FLAT}ReSPECT.json`, opt: `${SDK_OPT}ReSPECT-3.v0.opt`, expect: { differences: ['ctx'] } },
  { file: `${SDK_FLAT}multi_list.json`, opt: `${SDK_OPT}Multi_list.opt`, expect: EXACT },
  { file: `${SDK_FLAT}multi_occurrence.json`, opt: `${SDK_OPT}ehrbase_multi_occurrence.de.opt`, expect: EXACT },
  { file: `${SDK_FLAT}nested.en.v1.json`, opt: `${SDK_OPT}nested.en.v1.opt`, expect: { differences: ['contextDefaults'] } },
  { file: `${SDK_FLAT}test_all_types.json`, opt: `${SDK_OPT}Test_all_types.opt`, expect: { differences: ['plainIdentifier'] } },
  ...CONFORMANCE.map((name) => ({
    file: `${SDK_FLAT}conformance/ehrbase_conformance_${name}.json`,
    opt: `${SDK_OPT}conformance_ehrbase.de.v0.opt`,
    expect: name === 'party_self' ? { differences: ['ctx'] as const } : EXACT,
  })),

  {
    file: `${IT_FLAT}RIPPLE_-_Conformance_Test_template_20211019014737_000001_1.xml.flat.json`,
    opt: `${SDK_OPT}RIPPLE-Conformance Test.opt`,
    expect: { differences: ['plainIdentifier', 'intervalDefaults', 'proportionMagnitude', 'activityDefault'] },
  },
  { file: `${IT_FLAT}SSIAD PRIeSM__.json`, expect: NO_TEMPLATE },
  { file: `${IT_FLAT}ssiad_priesm_expected_values.json`, expect: NO_TEMPLATE },
  { file: `${IT_FLAT}dv_duration_max__.json`, expect: NO_TEMPLATE },
  { file: `${IT_FLAT}medications_statement.v0__.json`, expect: NO_TEMPLATE },
  {
    file: `${IT_FLAT}Test_all_types_v2_20211020054038_000001_1.xml.flat.json`,
    opt: `${IT}valid_templates/all_types/Test_all_types_v2.opt`,
    expect: { differences: ['intervalDefaults', 'plainIdentifier', 'proportionMagnitude', 'activityDefault'] },
  },
  { file: `${IT_FLAT}a1__24hour_average_value.json`, opt: `${IT}valid_templates/all_types/opt_24h_average.opt`, expect: EXACT },
  {
    file: `${IT_FLAT}alternative_types.en.v1_20211018102043_000001_1.xml.flat.json`,
    opt: `${IT}valid_templates/alternative_types/alternative_types.opt`,
    expect: { differences: ['contextDefaults'] },
  },
  {
    file: `${IT_FLAT}consult_record__.json`,
    opt: `${IT}valid_templates/all_types/EHRN-ABDM-OPConsultRecord.v2.0.opt`,
    expect: { differences: ['ctx'] },
  },
  ...[1, 2, 3].map((n) => ({
    file: `${IT_FLAT}ehrbase.testcase0005.v1__compo${n}_test_set_2.json`,
    opt: `${IT}valid_templates/query_test_sets/ehrbase.testcase0005.v1.opt`,
    expect: EXACT,
  })),
  ...['compo4_no_bp_obs', 'compo5_no_action', 'compo6_no_evaluation', 'compo7_no_instruction', 'compo8_no_admin'].map((name) => ({
    file: `${IT_FLAT}ehrbase.testcase0005.v1__${name}_test_set_2.json`,
    opt: `${IT}valid_templates/query_test_sets/ehrbase.testcase0005.v1.opt`,
    expect: EXACT,
  })),
  ...['compo1', 'compo2', 'compo3_no_obs', 'compo4_no_action', 'compo5_no_evaluation', 'compo6_no_instruction', 'compo8_no_cluster'].map(
    (name) => ({
      file: `${IT_FLAT}ehrbase.testcase05.v0__${name}_test_set_1.json`,
      opt: `${IT}valid_templates/query_test_sets/ehrbase.testcase05.v0.opt`,
      expect: EXACT,
    }),
  ),
  {
    file: `${IT_FLAT}ehrbase.testcase06.v0__compo3_test_set_3.json`,
    opt: `${IT}aql/data_load/opts/external/ehrbase.testcase06.v0.opt`,
    expect: EXACT,
  },
  ...['ehrn_family_history.v2__', 'ehrn_family_history__', 'family_history.v2__', 'family_history__', 'family_history__with_uid'].map(
    (name) => ({ file: `${IT_FLAT}${name}.json`, opt: `${IT}valid_templates/all_types/family_history.opt`, expect: EXACT }),
  ),
  { file: `${IT_FLAT}ehrn_vital_signs.v2__.json`, opt: `${IT}valid_templates/all_types/ehrn_vital_signs.v2.opt`, expect: EXACT },
  {
    file: `${IT_FLAT}minimal_action.en.v1_20211018102623_000001_1.xml.flat.json`,
    opt: `${IT_MINIMAL}minimal_action.opt`,
    expect: { differences: ['contextDefaults'] },
  },
  ...['missing', 'populated'].map((name) => ({
    file: `${IT_FLAT}minimal_action.en.v1__health_care_facility_select_${name}.json`,
    opt: `${IT_MINIMAL}minimal_action.opt`,
    expect: { differences: ['ctx'] as const },
  })),
  {
    file: `${IT_FLAT}minimal_action_2_20211018102553_000001_1.xml.flat.json`,
    opt: `${IT_MINIMAL}minimal_action_2.opt`,
    expect: {
      errors: ['minimal/minimal_2:0/ism_transition/current_state|code: ism_transition current state is required'],
      why: 'an ACTION without ism_transition: the RM requires one with a current state, and the template constrains none to default to',
    },
  },
  {
    file: `${IT_FLAT}minimal_admin.en.v1_20211018102636_000001_1.xml.flat.json`,
    opt: `${IT_MINIMAL}minimal_admin.opt`,
    expect: { differences: ['contextDefaults'] },
  },
  {
    file: `${IT_FLAT}minimal_evaluation.en.v1_20211018102718_000001_1.xml.flat.json`,
    opt: `${SDK_OPT}minimal_evaluation.opt`,
    expect: { differences: ['contextDefaults'] },
  },
  {
    file: `${IT_FLAT}minimal_observation.en.v1_20211018102756_000001_1.xml.flat.json`,
    opt: `${IT_MINIMAL}minimal_observation.opt`,
    expect: { differences: ['contextDefaults'] },
  },
  ...[
    'nested.en.v1_20211018103338_000001_1.xml.flat.json',
    'nested.en.v1__full.xml.flat.json',
    'nested.en.v1__full_without_links.xml.flat.json',
  ].map((name) => ({
    file: `${IT_FLAT}${name}`,
    opt: `${SDK_OPT}nested.en.v1.opt`,
    expect: { differences: ['contextDefaults', 'activityDefault'] as const },
  })),
  {
    file: `${IT_FLAT}nested.en.v1__full.json`,
    opt: `${SDK_OPT}nested.en.v1.opt`,
    expect: { differences: ['activityDefault', 'ordinalTerminology', 'parsableValue'] },
  },
  { file: `${IT_FLAT}nested.en.v1__invalid_wrong_structure.json`, expect: BROKEN_JSON },
  ...[
    ['obs_act.en.v1_20211018103027_000001_1.xml.flat.json', 'obs_act.opt'],
    ['obs_admin.en.v1_20211018103037_000001_1.xml.flat.json', 'obs_admin.opt'],
    ['obs_eva.en.v1_20211018103104_000001_1.xml.flat.json', 'obs_eva.opt'],
  ].map(([name, opt]) => ({
    file: `${IT_FLAT}${name}`,
    opt: `${IT}valid_templates/minimal_entry_combination/${opt}`,
    expect: { differences: ['contextDefaults'] as const },
  })),
  {
    file: `${IT_FLAT}obs_inst.en.v1_20211018103116_000001_1.xml.flat.json`,
    opt: `${IT}valid_templates/minimal_entry_combination/obs_inst.opt`,
    expect: { differences: ['contextDefaults', 'activityDefault'] },
  },
  ...[
    'persistent_minimal.en.v1_20211018103314_000001_1.xml.flat.json',
    'persistent_minimal.en.v1__full.json',
    'persistent_minimal.en.v1__full.xml.flat.json',
    'persistent_minimal.en.v1__full_without_links.xml.flat.json',
  ].map((name) => ({ file: `${IT_FLAT}${name}`, opt: `${IT}aql/data_load/opts/persistent_minimal.opt`, expect: EXACT })),
  { file: `${IT_FLAT}persistent_minimal.en.v1__invalid_wrong_structure.json`, expect: BROKEN_JSON },
  {
    file: `${IT_FLAT}persistent_minimal_2.en.v1_20211018103229_000001_1.xml.flat.json`,
    opt: `${IT}valid_templates/minimal_persistent/persistent_minimal_2.opt`,
    expect: EXACT,
  },
  {
    file: `${IT_FLAT}persistent_minimal_all_entries.en.v1_20211018103243_000001_1.xml.flat.json`,
    opt: `${IT}valid_templates/minimal_persistent/persistent_minimal_all_entries.opt`,
    expect: { differences: ['activityDefault'] },
  },
  ...[
    'test-ism.vitagroup.de.v1__',
    'test-ism.vitagroup.de.v1__ism_invalid_current_state',
    'test-ism.vitagroup.de.v1__ism_missing_transition',
  ].map((name) => ({ file: `${IT_FLAT}${name}.json`, opt: `${IT}valid_templates/all_types/test-ism.vitagroup.de.v1.opt`, expect: EXACT })),
  {
    file: `${IT_FLAT}test_all_types.en.v1_20211018101804_000001_1.xml.flat.json`,
    opt: `${SDK_OPT}Test_all_types.opt`,
    expect: { differences: ['intervalDefaults', 'plainIdentifier', 'proportionMagnitude', 'activityDefault'] },
  },
  {
    file: `${IT_FLAT}time_series.en.v1_20211018103435_000001_1.xml.flat.json`,
    opt: `${IT}valid_templates/time_series/time_series.opt`,
    expect: { differences: ['contextDefaults'] },
  },

  ...(
    [
      ['minimal_action', `${IT_MINIMAL}minimal_action.opt`],
      ['minimal_admin', `${IT_MINIMAL}minimal_admin.opt`],
      ['minimal_evaluation', `${SDK_OPT}minimal_evaluation.opt`],
      ['minimal_instruction', `${SDK_OPT}minimal_instruction.opt`],
      ['minimal_observation', `${IT_MINIMAL}minimal_observation.opt`],
    ] as const
  ).flatMap(([name, opt]) =>
    [1, 2].map((n) => ({ file: `${IT_INPUT}${name}.en.v1.instance_flat_input_${n}.json`, opt, expect: { differences: ['ctx'] as const } })),
  ),
  ...[
    ...['compo_1_1_test_set_4', 'compo_1_2_test_set_4', 'compo_1_3_test_set_4', 'compo_1_4_no_obs_cluster_test_set_4'].map((name) => [
      `ehrbase.testcase008.v0__${name}_flat.json`,
      'ehrbase.testcase008.v0.opt',
    ]),
    ...[
      'compo1_test_set_3',
      'compo2_test_set_3',
      'compo3_test_set_3',
      'compo4_no_obs_cluster_test_set_3',
      'compo5_no_action_cluster_test_set_3',
      'compo6_no_evaluation_cluster_test_set_3',
      'compo7_no_instruction_cluster_test_set_3',
    ].map((name) => [`ehrbase.testcase06.v0__${name}_flat.json`, 'ehrbase.testcase06.v0.opt']),
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => [`ehrbase.testcase09.v0__compo${n}_test_set_5_flat.json`, 'ehrbase.testcase09.v0.opt']),
  ].map(([name, opt]) => ({ file: `${AQL_EXTERNAL}${name}`, opt: `${AQL_OPT}${opt}`, expect: EXACT })),
  {
    file: `${AQL_EXTERNAL}vitagroup-medication-list.v0__composition_with_medication_item_flat.json`,
    opt: `${AQL_OPT}vitagroup-medication-list.v0.opt`,
    expect: { differences: ['activityDefault'] },
  },

  ...[1, 2].map((n) => ({
    file: `${IT_INPUT}minimal_observation.en.v1.instance_flat_output_${n}.json`,
    opt: `${IT_MINIMAL}minimal_observation.opt`,
    expect: {
      errors: ['minimal/composer|name: composer is required (or ctx/composer_name)'],
      why: 'an output sample of an old EHRbase without composer, which the RM requires',
    },
  })),
  ...[1, 2].map((n) => ({
    file: `${IT_INPUT}test_all_types.en.v1.instance_flat_output_${n}.json`,
    opt: `${SDK_OPT}Test_all_types.opt`,
    expect: {
      errors: [
        'test_all_types/test_all_types3:0/section_2/section_3/test_all_types:0/current_activity/partial_date: value must be a string, number or boolean',
        'test_all_types/test_all_types:0/proportion_any|type: proportion type is required',
      ],
      why: 'an output sample of an old EHRbase: a date written as an object, a proportion without type, codes without text',
    },
  })),
];

/** Differences a canonical composition may show after canonical → FLAT → canonical. */
export const CANONICAL_DIFFERENCES = {
  rmVersion: {
    why: 'archetype_details.rm_version is written as 1.1.0, the RM release this CDR implements; FLAT has no key for it',
    explains: (path: string) => path.endsWith('/archetype_details/rm_version'),
  },
  archetypeDetails: {
    why:
      'archetype_details follow from the template: every archetype root gets them, as the RM requires, and only the ' +
      'composition names the template; FLAT has no key to say otherwise',
    explains: (path: string, original: JsonValue | undefined) =>
      (path.endsWith('/archetype_details') && original === undefined) ||
      (path.endsWith('/archetype_details/template_id') && path !== '/archetype_details/template_id'),
  },
  structureNames: {
    why: 'names of structure nodes the web template leaves out come from the template; FLAT has no key for them',
    explains: (path: string) => /\/(data|state|protocol|description|other_context)\/name\/value$/.test(path),
  },
} as const;

export type CanonicalDifference = keyof typeof CANONICAL_DIFFERENCES;

/**
 * Paths where `after` differs from `original`, `_type` present only in `after` ignored (canonical
 * JSON may leave out a type its attribute implies), minus the differences named in `allowed`.
 */
export function unexplainedCanonicalDiffs(
  original: JsonValue | undefined,
  after: JsonValue | undefined,
  allowed: readonly CanonicalDifference[],
  path = '',
): string[] {
  if (allowed.some((name) => CANONICAL_DIFFERENCES[name].explains(path, original))) return [];
  if (Array.isArray(original) && Array.isArray(after) && original.length === after.length) {
    return original.flatMap((item, i) => unexplainedCanonicalDiffs(item, after[i], allowed, `${path}[${i}]`));
  }
  if (isJsonObject(original) && isJsonObject(after)) {
    const keys = new Set([...Object.keys(original), ...Object.keys(after)]);
    if (!('_type' in original)) keys.delete('_type');
    return [...keys].flatMap((key) => unexplainedCanonicalDiffs(original[key], after[key], allowed, `${path}/${key}`));
  }
  return JSON.stringify(original) === JSON.stringify(after)
    ? []
    : [`${path}: ${JSON.stringify(original)?.slice(0, 80)} -> ${JSON.stringify(after)?.slice(0, 80)}`];
}

export type CanonicalExpectation =
  { readonly differences: readonly CanonicalDifference[] } | { readonly unrepresentable: RegExp; readonly why: string };

export interface CanonicalFixture {
  readonly file: string;
  readonly opt: string;
  readonly expect: CanonicalExpectation;
}

const CANONICAL = `${IT}compositions/CANONICAL_JSON/`;
const ALL_TYPES = `${IT}valid_templates/all_types/`;
const BASIC = ['rmVersion', 'archetypeDetails'] as const;

/**
 * EHRbase's data-type test compositions (`Test_dv_*`): generated examples with uids on structure
 * nodes and HISTORY period/duration. The conformance run uses the same list.
 */
export const EHRBASE_DATA_TYPE_TESTS = [
  'Test_dv_boolean.v0',
  'Test_dv_boolean_false_true.v0',
  'Test_dv_boolean_true_false.v0',
  'Test_dv_coded_text_open_constraint.v0',
  'Test_dv_coded_text_with_local_codes.v0',
  'Test_dv_count_open_constraint.v0',
  'Test_dv_count_range_constraint.v0',
  'Test_dv_date_time_validity_kind_constraint_v0',
  'Test_dv_ehr_uri_open_constraint.v0',
  'Test_dv_identifier_pattern_constraint.v0',
  'Test_dv_interval_dv_count_lower_upper_constraint.v0',
  'Test_dv_interval_dv_count_open_constraint.v0',
  'Test_dv_interval_dv_quantity_lower_upper_constraint.v0',
  'Test_dv_interval_dv_quantity_open_constraint.v0',
  'Test_dv_multimedia_open_constraint.v0',
  'Test_dv_ordinal_open_constraint.v0',
  'Test_dv_ordinal_with_constraints.v0',
  'Test_dv_parsable_open_constraint.v0',
  'Test_dv_proportion_open_constraint.v0',
  'Test_dv_proportion_open_constraint_precision_1.v0',
  'Test_dv_quantity_open_constraint.v0',
  'Test_dv_quantity_property_constrained.v0',
  'Test_dv_quantity_property_units_constrained.v0',
  'Test_dv_quantity_property_units_constrained_with_magnitude_range.v0',
  'Test_dv_text_list_constraint.v0',
  'Test_dv_text_open_constraint.v0',
  'Test_dv_text_pattern_constraint.v0',
  'Test_dv_uri_open_constraint.v0',
  'Test_quantity_dv_interval_dv_date_time_open_constraint.v0',
];

const STRUCTURE_EXTRAS =
  /^\/(context|content\[\d+\])(\/[a-z_]+(\[\d+\])?)*\/(uid|period|duration): '(uid|period|duration)' cannot be written as FLAT/;
const HISTORY_TIMING = /^\/content\[0\]\/data\/(period|duration): '(period|duration)' cannot be written as FLAT/;

export const CANONICAL_FIXTURES: readonly CanonicalFixture[] = [
  {
    file: `${SDK}composition/canonical_json/minimal_evaluation.json`,
    opt: `${SDK_OPT}minimal_evaluation.opt`,
    expect: { differences: BASIC },
  },
  {
    file: `${SDK}composition/canonical_json/minimal_instruction.json`,
    opt: `${SDK_OPT}minimal_instruction.opt`,
    expect: { differences: BASIC },
  },
  {
    file: `${SDK}composition/canonical_json/multi_occurrence.json`,
    opt: `${SDK_OPT}ehrbase_multi_occurrence.de.opt`,
    expect: { differences: BASIC },
  },
  { file: `${SDK}composition/canonical_json/nested.en.v1.json`, opt: `${SDK_OPT}nested.en.v1.opt`, expect: { differences: BASIC } },
  { file: `${CANONICAL}Test_all_types_v2__.json`, opt: `${ALL_TYPES}Test_all_types_v2.opt`, expect: { differences: BASIC } },
  ...EHRBASE_DATA_TYPE_TESTS.map((name) => ({
    file: `${CANONICAL}${name}__.json`,
    opt: `${ALL_TYPES}${name}.opt`,
    expect: { unrepresentable: STRUCTURE_EXTRAS, why: 'uids on ITEM_TREEs and HISTORY period/duration have no FLAT key' },
  })),
  {
    file: `${CANONICAL}cardinality_of_section__full.json`,
    opt: `${IT}valid_templates/validation/cardinality_of_section.opt`,
    expect: { differences: BASIC },
  },
  {
    file: `${CANONICAL}clinical_content_validation__full.json`,
    opt: `${IT}valid_templates/validation/clinical_content_validation.opt`,
    expect: {
      unrepresentable: /no web template node matches|'(items|data)' cannot be written as FLAT/,
      why: 'a negative validation case: archetypes and structures the template does not have',
    },
  },
  {
    file: `${CANONICAL}composition_evaluation_test__full.json`,
    opt: `${IT}valid_templates/validation/composition_evaluation_test.opt`,
    expect: { differences: [...BASIC, 'structureNames'] },
  },
  { file: `${CANONICAL}composition_feeder_audit.json`, opt: `${ALL_TYPES}genericFHIRTemplate.opt`, expect: { differences: BASIC } },
  {
    file: `${CANONICAL}composition_feeder_audit_in_element.json`,
    opt: `${ALL_TYPES}cistec.openehr.body_weight.v1.opt`,
    expect: { differences: [...BASIC, 'structureNames'] },
  },
  { file: `${CANONICAL}consult_record__.json`, opt: `${ALL_TYPES}EHRN-ABDM-OPConsultRecord.v2.0.opt`, expect: { differences: BASIC } },
  {
    file: `${CANONICAL}family_history.v.1.2.3__.json`,
    opt: `${ALL_TYPES}family_history.v.1.2.3.opt`,
    expect: { unrepresentable: /time_asserted/, why: 'EVALUATION.time_asserted is not an RM 1.1.0 attribute' },
  },
  ...['family_history.v2__', 'family_history__', 'family_history__with_uid'].map((name) => ({
    file: `${CANONICAL}${name}.json`,
    opt: `${ALL_TYPES}family_history.opt`,
    expect: { differences: BASIC },
  })),
  {
    file: `${CANONICAL}minimal_FEEDER_AUDIT.feeder_audit.original_content.value_links.json`,
    opt: `${ALL_TYPES}genericFHIRTemplate.opt`,
    expect: { differences: BASIC },
  },
  { file: `${CANONICAL}minimal_evaluation.en.v1__.json`, opt: `${SDK_OPT}minimal_evaluation.opt`, expect: { differences: BASIC } },
  ...['minimal_instruction_1', 'minimal_instruction_2'].map((name) => ({
    file: `${CANONICAL}${name}.composition.json`,
    opt:
      name === 'minimal_instruction_1'
        ? `${SDK_OPT}minimal_instruction.opt`
        : `${IT_MINIMAL}minimal_instruction.dv_duration_fields_allowed.range_constraints.opt`,
    expect: { unrepresentable: /description\/uid: 'uid' cannot be written as FLAT/, why: 'a uid on an ITEM_TREE has no FLAT key' },
  })),
  {
    file: `${CANONICAL}my_spanish_template_v0__.json`,
    opt: `${ALL_TYPES}my_spanish_template_v0.opt`,
    expect: { unrepresentable: HISTORY_TIMING, why: 'HISTORY period and duration have no FLAT key' },
  },
  {
    file: `${CANONICAL}nested.en.tmp.v1__full_without_links.json`,
    opt: `${IT}valid_templates/nested/nested.en.tmp.v1.opt`,
    expect: { differences: BASIC },
  },
  ...['nested.en.v1__full', 'nested.en.v1__full_without_links'].map((name) => ({
    file: `${CANONICAL}${name}.json`,
    opt: `${SDK_OPT}nested.en.v1.opt`,
    expect: { differences: BASIC },
  })),
  ...['nested.en.v1.same_template_id_and_uid', 'nested.en.v1.same_template_id_and_uid_updated'].map((name) => ({
    file: `${CANONICAL}${name}.json`,
    opt: `${SDK_OPT}nested.en.v1.opt`,
    expect: { differences: [...BASIC, 'structureNames'] as const },
  })),
  {
    file: `${CANONICAL}nodes_in_template_invalid__.json`,
    opt: `${ALL_TYPES}nodes_in_template_invalid.opt`,
    expect: {
      unrepresentable: /no web template node matches ELEMENT at\d{4}/,
      why: 'a negative case: node ids the template does not define',
    },
  },
  {
    file: `${CANONICAL}persistent_minimal.en.v1__full_without_links.json`,
    opt: `${IT}aql/data_load/opts/persistent_minimal.opt`,
    expect: { differences: BASIC },
  },
  ...[
    'terminology_test.ehrbase.org.v1',
    'terminology_test.ehrbase.org.v1__invalid',
    'terminology_test.ehrbase.org.v1__valid',
    'terminology_test.ehrbase.org.v1__valid_v2',
    'terminology_test.ehrbase.org.v1_non_existing_code',
    'terminology_test.ehrbase.org.v1_update_invalid_codes',
    'terminology_test.ehrbase.org.v1_update_valid_codes',
  ].map((name) => ({
    file: `${CANONICAL}${name}.json`,
    opt: `${ALL_TYPES}terminology_test.ehrbase.org.v1.opt`,
    expect: { unrepresentable: HISTORY_TIMING, why: 'HISTORY period and duration have no FLAT key' },
  })),
  ...(
    [
      ...['', '_with_compo_uid', '_with_compo_uid_1', '_with_compo_uid_2'].map((suffix) => [
        `aql-conformance-ehrbase.org.v0_contains${suffix}`,
        'aql-conformance-ehrbase.org.v0',
      ]),
      ['choice_ehrbase.de.v0', 'choice_ehrbase.de.v0'],
      ...[
        'array_valued',
        'known_date_type_1',
        'known_date_type_2',
        'known_date_type_3',
        'known_date_type_4',
        'max',
        'max_v2',
        'max_v3',
        'where',
      ].map((name) => [`conformance_ehrbase.de.v0_${name}`, 'conformance_ehrbase.de.v0']),
      ['ehrbase_blood_pressure_simple.de.v0', 'ehrbase_blood_pressure_simple.de.v0'],
      ...['persistent_minimal.en.v1__full', 'persistent_minimal.en.v1__updated_v2', 'persistent_minimal.en.v1__updated_v3'].map((name) => [
        name,
        'persistent_minimal',
      ]),
      ...['like', 'one_reptation', 'one_reptation_with_compo_uid', 'where1'].map((name) => [
        `type_repetition_conformance_ehrbase.org_${name}`,
        'type_repetition_conformance_ehrbase.org',
      ]),
    ] as const
  ).map(([name, opt]) => ({
    file: `${IT}aql/data_load/compositions/${name}.json`,
    opt: `${IT}aql/data_load/opts/${opt}.opt`,
    expect: { differences: BASIC },
  })),
  {
    file: `${IT}aql/data_load/compositions/nested_compo_custom_dv_text.json`,
    opt: `${SDK_OPT}nested.en.v1.opt`,
    expect: { differences: BASIC },
  },
  ...['minimal_instruction', 'minimal_instruction_2', 'minimal_instruction_3', 'minimal_instruction_4'].map((name) => ({
    file: `${AQL_EXTERNAL}${name}.json`,
    opt: `${SDK_OPT}minimal_instruction.opt`,
    expect: { differences: BASIC },
  })),
  {
    file: `${AQL_EXTERNAL}all_types_systematic_tests.json`,
    opt: `${AQL_OPT}test_all_types.opt`,
    expect: { differences: [...BASIC, 'structureNames'] },
  },
  ...['terminology_test2.ehrbase.org.v1', 'terminology_test2.ehrbase.org.v1__invalid_code_system'].map((name) => ({
    file: `${CANONICAL}${name}.json`,
    opt: `${ALL_TYPES}terminology_test2.ehrbase.org.v1.opt`,
    expect: { unrepresentable: HISTORY_TIMING, why: 'HISTORY period and duration have no FLAT key' },
  })),
];
