/**
 * AQL cases this repository deliberately does not run as EHRbase's suite intends, each with the
 * reason. Keys are a suite (`MIXED/distinct`: every case of it) or one case (`<suite>#<case id>`).
 *
 * As in ../exclusions.ts, an excluded case is still run: its failure must match `evidence`, and a
 * case that passes, or fails for anything else, is reported as failed. A full run also fails an
 * entry whose key names no case.
 */
import type { Exclusion } from '../exclusions.js';

const CORONA_LEFT_OUT: Exclusion = {
  reason:
    'written for the Corona_Anamnese OPTs, which were left out of the fixture set to stay under 20 MB (test/fixtures/openehr/README.md names ' +
    'MIXED/distinct and MIXED/predicated_and_where as the suites that cannot run)',
  evidence: /OPT corona_anamnese\d\.opt is not among the fixtures/,
};

const QUERY_NOT_IN_INDEX: Exclusion = {
  reason:
    "the derived index carries the Robot test case's name only; this case's query is written in the .robot file (its body or Variables " +
    'table), which the index does not carry, so there is no query to replay',
  evidence: /^query text not in the index/,
};

const LIMIT_BEFORE_ORDER: Exclusion = {
  reason:
    "LIMIT before ORDER BY: AQL 1.1's grammar puts ORDER BY before LIMIT (the older suite predates it, EHRbase still accepts both); the " +
    'parser refuses the query at the ORDER keyword with its position',
  evidence: /AQL syntax error at line \d+, column \d+: expected OFFSET or end of query but found 'ORDER'/,
};

const TIMEWINDOW: Exclusion = {
  reason:
    'TIMEWINDOW is not part of AQL 1.1 (an earlier draft had it; EHRSCAPE and EHRbase fail these queries too, per the suite README); the parser refuses it',
  evidence: /AQL syntax error at line \d+, column \d+: .* but found 'TIMEWINDOW'/,
};

const QUERY_PLACEHOLDER: Exclusion = {
  reason:
    "the older suite's query names a value its author was to replace by hand (__MODIFY_EHR_ID_1__, __MODIFY_COMPOSITION_UID_1__: the " +
    'suite README says the loaded_db answers were made by hand), and nothing says which EHR or composition of the data set it means',
  evidence: /\[the query names a placeholder \(_?_MODIFY_[A-Z0-9_]*_?_\) its author was to replace by hand\]$/,
};

const EXPECTED_TEMPLATE: Exclusion = {
  reason:
    "the older suite's expected result is a hand-written template, every value a placeholder (one __MODIFY_WITH_LIST_OF_ALL_EXISTING_COMPOSITIONS__ " +
    'for a list of compositions, or one row per EHR where AQL gives one row per containment match), so no result can equal it',
  evidence: /\[the expected result is a hand-written template: every value is a placeholder\]$/,
};

const LIMIT_BEFORE_ORDER_CASES = [
  'query/empty_db/A#A/107_get_ehrs_top_5.json',
  'query/empty_db/A#A/110_get_ehrs_top_5_orderby.json',
  'query/empty_db/B#B/104_get_compositions_top_5_ordered_by_starttime_asc.json',
  'query/empty_db/B#B/105_get_compositions_top_5_ordered_by_starttime_desc.json',
  'query/empty_db/B#B/106_get_compositions_top_5_ordered_by_starttimevalue_asc.json',
  'query/empty_db/D#D/312_select_data_values_from_all_ehrs_contains_composition_with_archetype_top_5.json',
  'query/empty_db/D#D/313_select_data_values_from_all_ehrs_contains_composition_with_archetype_top_5_orderby.json',
  'query/loaded_db/A#A/107_get_ehrs_top_5.json',
  'query/loaded_db/A#A/110_get_ehrs_top_5_orderby.json',
  'query/loaded_db/B#B/104_get_compositions_top_5_ordered_by_starttime_asc.json',
  'query/loaded_db/B#B/105_get_compositions_top_5_ordered_by_starttime_desc.json',
  'query/loaded_db/B#B/106_get_compositions_top_5_ordered_by_starttimevalue_asc.json',
  'query/loaded_db/D#D/312_select_data_values_from_all_ehrs_contains_composition_with_archetype_top_5.json',
  'query/loaded_db/D#D/313_select_data_values_from_all_ehrs_contains_composition_with_archetype_top_5_orderby.json',
];
const TIMEWINDOW_CASES = [
  'query/empty_db/A#A/109_get_ehrs_within_timewindow.json',
  'query/empty_db/B#B/103_get_compositions_within_timewindow.json',
  'query/empty_db/C#C/103_get_entries_empty_db.json',
  'query/empty_db/C#C/103_get_entries_within_timewindow.json',
  'query/loaded_db/A#A/109_get_ehrs_within_timewindow.json',
  'query/loaded_db/B#B/103_get_compositions_within_timewindow.json',
  'query/loaded_db/C#C/103_get_entries_empty_db.json',
  'query/loaded_db/C#C/103_get_entries_within_timewindow.json',
];
const QUERY_PLACEHOLDER_CASES = [
  'query/empty_db/A#A/203_get_ehr_by_id.json',
  'query/loaded_db/A#A/200_get_ehr_by_id.json',
  'query/loaded_db/A#A/201_get_ehr_by_id.json',
  'query/loaded_db/A#A/202_get_ehr_by_id.json',
  'query/loaded_db/A#A/203_get_ehr_by_id.json',
  'query/loaded_db/B#B/200_get_compositions_from_ehr_by_id.json',
  'query/loaded_db/B#B/800_get_composition_by_uid.json',
  'query/loaded_db/B#B/802_get_composition_by_uid.json',
  'query/loaded_db/C#C/300_get_entries_with_type_from_ehr_with_uid_contains_compositions_with_archetype_from_all_ehrs.json',
  'query/loaded_db/C#C/301_get_entries_with_type_from_ehr_with_uid_contains_compositions_with_archetype_from_all_ehrs.json',
  'query/loaded_db/C#C/302_get_entries_with_type_from_ehr_with_uid_contains_compositions_with_archetype_from_all_ehrs.json',
  'query/loaded_db/C#C/303_get_entries_with_type_from_ehr_with_uid_contains_compositions_with_archetype_from_all_ehrs.json',
  'query/loaded_db/C#C/400_get_entries_with_archetype_from_ehr_with_uid_contains_compositions_with_archetype_from_all_ehrs.json',
  'query/loaded_db/C#C/500_get_entries_with_archetype_from_ehr_with_uid_contains_compositions_with_archetype_from_all_ehrs_condition.json',
  'query/loaded_db/D#D/400_select_data_values_from_all_compositions_in_ehr.json',
  'query/loaded_db/D#D/401_select_data_values_from_all_compositions_in_ehr.json',
  'query/loaded_db/D#D/402_select_data_values_from_all_compositions_in_ehr.json',
  'query/loaded_db/D#D/403_select_data_values_from_all_compositions_in_ehr.json',
  'query/loaded_db/D#D/404_select_data_values_from_all_compositions_in_ehr.json',
  'query/loaded_db/D#D/405_select_data_values_from_all_compositions_in_ehr.json',
  'query/loaded_db/D#D/500_select_data_values_from_compositions_with_given_archetype_in_ehr.json',
  'query/loaded_db/D#D/501_select_data_values_from_compositions_with_given_archetype_in_ehr.json',
  'query/loaded_db/D#D/504_select_data_archetype_details.json',
];
const EXPECTED_TEMPLATE_CASES = [
  'query/loaded_db/A#A/108_get_ehrs_orderby_time-created.json',
  'query/loaded_db/A#A/300_get_ehrs_by_contains_any_composition.json',
  'query/loaded_db/A#A/400_get_ehrs_by_contains_composition_with_archetype.json',
  'query/loaded_db/A#A/401_get_ehrs_by_contains_composition_with_archetype.json',
  'query/loaded_db/A#A/402_get_ehrs_by_contains_composition_with_archetype.json',
  'query/loaded_db/A#A/500_get_ehrs_by_contains_composition_contains_entry_of_type.json',
  'query/loaded_db/A#A/501_get_ehrs_by_contains_composition_contains_entry_of_type.json',
  'query/loaded_db/A#A/502_get_ehrs_by_contains_composition_contains_entry_of_type.json',
  'query/loaded_db/A#A/503_get_ehrs_by_contains_composition_contains_entry_of_type.json',
  'query/loaded_db/A#A/600_get_ehrs_by_contains_composition_contains_entry_with_archetype.json',
  'query/loaded_db/A#A/601_get_ehrs_by_contains_composition_contains_entry_with_archetype.json',
  'query/loaded_db/A#A/602_get_ehrs_by_contains_composition_contains_entry_with_archetype.json',
  'query/loaded_db/A#A/603_get_ehrs_by_contains_composition_contains_entry_with_archetype.json',
  'query/loaded_db/B#B/100_get_compositions_from_all_ehrs.json',
  'query/loaded_db/B#B/102_get_compositions_orderby_name.json',
  'query/loaded_db/B#B/300_get_compositions_with_archetype_from_all_ehrs.json',
  'query/loaded_db/B#B/400_get_compositions_contains_section_with_archetype_from_all_ehrs.json',
  'query/loaded_db/B#B/500_get_compositions_by_contains_entry_of_type_from_all_ehrs.json',
  'query/loaded_db/B#B/501_get_compositions_by_contains_entry_of_type_from_all_ehrs.json',
  'query/loaded_db/B#B/502_get_compositions_by_contains_entry_of_type_from_all_ehrs.json',
  'query/loaded_db/B#B/503_get_compositions_by_contains_entry_of_type_from_all_ehrs.json',
  'query/loaded_db/B#B/600_get_compositions_by_contains_entry_with_archetype_from_all_ehrs.json',
  'query/loaded_db/B#B/601_get_compositions_by_contains_entry_with_archetype_from_all_ehrs.json',
  'query/loaded_db/B#B/602_get_compositions_by_contains_entry_with_archetype_from_all_ehrs.json',
  'query/loaded_db/B#B/603_get_compositions_by_contains_entry_with_archetype_from_all_ehrs.json',
  'query/loaded_db/B#B/801_get_composition_by_uid.json',
  'query/loaded_db/B#B/803_get_composition_by_uid.json',
  'query/loaded_db/D#D/200_select_data_values_from_all_ehrs_contains_composition.json',
  'query/loaded_db/D#D/201_select_data_values_from_all_ehrs_contains_composition.json',
  'query/loaded_db/D#D/300_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/301_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/302_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/303_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/304_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/306_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/307_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/308_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/309_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/310_select_data_values_from_all_ehrs_contains_composition_with_archetype.json',
  'query/loaded_db/D#D/502_select_data_values_from_compositions_with_given_archetype_in_ehr.json',
  'query/loaded_db/D#D/503_select_data_values_from_compositions_with_given_archetype_in_ehr.json',
];

const AQL_EXCLUSIONS_1: Readonly<Record<string, Exclusion>> = {
  ...Object.fromEntries(LIMIT_BEFORE_ORDER_CASES.map((key) => [key, LIMIT_BEFORE_ORDER])),
  ...Object.fromEntries(TIMEWINDOW_CASES.map((key) => [key, TIMEWINDOW])),
  ...Object.fromEntries(QUERY_PLACEHOLDER_CASES.map((key) => [key, QUERY_PLACEHOLDER])),
  ...Object.fromEntries(EXPECTED_TEMPLATE_CASES.map((key) => [key, EXPECTED_TEMPLATE])),
  'MIXED/distinct': CORONA_LEFT_OUT,
  'MIXED/predicated_and_where': CORONA_LEFT_OUT,
  ...Object.fromEntries(
    [
      'version_latest_version_contains_composition',
      'version_latest_version_contains_ehr_status',
      'version_latest_version_contains_observation',
    ].map((suite) => [`VERSION/${suite}`, QUERY_NOT_IN_INDEX]),
  ),
  ...Object.fromEntries(
    [
      'AGGREGATE_FUNCTIONS/DV_ORDERED/max_on_dv_text_and_dv_coded_text',
      'META/meta_object_checks',
      'SELECT/AS_GENERAL_KEYWORDS_A_D/as_in_result#query 13',
      'SELECT/DEBUG_OPTS_CHECKS/debug_opts_checks',
      'SELECT/Q_AND_EXECUTED_AQL_CHECKS/aql_q_and_executed_aql_checks',
      'WHERE/LIKE_FEATURE_LIST/like_operator_proper_escaping',
    ].map((key) => [key, QUERY_NOT_IN_INDEX]),
  ),
};

const EHRBASE_FILLS_INTERVAL_FLAGS: Exclusion = {
  reason:
    "EHRbase answers with DV_INTERVAL's lower_included/upper_included filled in (true) where the committed data left them out; the RM " +
    'makes them mandatory but names no default, and this repository returns the interval as committed',
  evidence: /they first differ at [^:]*\.(lower|upper)_included: expected true, got nothing/,
};

const STATUS_STRUCTURE_COUNTED: Exclusion = {
  reason:
    'deliberate difference: an item structure named with no document above it (FROM ITEM_STRUCTURE, FROM DATA_STRUCTURE) is also looked ' +
    "for in the EHR_STATUS, whose other_details is one (AQL README, Containment); EHRbase answers these abstract classes with 'not " +
    "implemented' and its CSV counts the composition's structures only, one fewer than the EHR holds",
  evidence:
    /^expected the query to be refused \(400\) or to give the (14 row\(s\) its CSV states, got 15|15 row\(s\) its CSV states, got 16)$/,
};

const REPAIRED_FIXTURE_VALUE: Exclusion = {
  reason:
    'the expected value is one the replay had to repair before the fixture could be committed (test/conformance/aql/fixture-repairs.ts): ' +
    "the day of 20190114 where the template's pattern yyyy-??-XX forbids one, the text 'value1' where the code's term text is required, " +
    'the DV_TEXT where the template requires a DV_URI',
  evidence: /"2019-01-14"|\["value1"\]|\.value\._type: expected "DV_TEXT", got "DV_URI"/,
};

const ITEM_TREE_ANSWER_DROPS_MAPPING: Exclusion = {
  reason:
    "EHRbase's expected ITEM_TREE rows leave out the TERM_MAPPING of the tree's DV_CODED_TEXT, which conformance_ehrbase.de.v0_max.json " +
    "commits and the same suite's answers for the whole COMPOSITION, ENTRY and HISTORY (expected_from_composition.json …) hold",
  evidence: /they first differ at \[0\]\.items\[0\]\.value\.mappings: expected nothing, got \[\{"_type":"TERM_MAPPING"/,
};

const OR_PAIRS_COMPOSITIONS: Exclusion = {
  reason:
    "EHRbase (and the older suite written by hand) answers an OR written at the EHR level with the outer product of the two sides' " +
    'matches, pairing them within and across compositions; this repository answers an OR across documents as a union, never pairing ' +
    'two compositions (AQL README, Containment; ' +
    "test/openehr/aql-semantics.test.ts 'never pairs the matches of one composition with those of another')",
  evidence: /expected \d+ row\(s\), got \d+; first (expected|returned) row not/,
};

const NOT_CONTAINS_WITHOUT_CLASS: Exclusion = {
  reason:
    "'… AND NOT CONTAINS X' without a class on its left is not AQL 1.1's grammar (NOT CONTAINS follows a class expression); the parser refuses it with its position",
  evidence: /AQL syntax error at line 1, column \d+: .* but found 'NOT'/,
};

const CLASS_IN_ITSELF: Exclusion = {
  reason:
    'a COMPOSITION inside a COMPOSITION or an EHR_STATUS inside an EHR_STATUS: the RM holds no such nesting, so the query is refused with 400 naming the classes',
  evidence: /AQL cannot be run as written: (COMPOSITION|EHR_STATUS) cannot be contained in a (COMPOSITION|EHR_STATUS)/,
};

const QUERY_NAMES_NO_CLASS: Exclusion = {
  reason: "the older suite's query names 'OBS', which is no class of the RM (a typo for OBSERVATION); the query is refused with 400",
  evidence: /OBS is not a class of the openEHR reference model/,
};

const MISSING_PATH_GIVES_NULL: Exclusion = {
  reason:
    'deliberate difference: a path step that matches nothing gives a null column rather than dropping the row, so a missing optional ' +
    'element never hides a patient (AQL README, Known semantic differences)',
  evidence: /first returned row not expected: \[("[^"]*",)?null(,null)*\]/,
};

const CLASS_WITHOUT_VARIABLE_FILTERS: Exclusion = {
  reason:
    'deliberate difference: a contained class without a variable (… CONTAINS CLUSTER) only filters, it adds no row per match (AQL README, Containment)',
  evidence: /expected 3 row\(s\), got 2/,
};

const INSTRUCTION_DETAILS_ANSWERED: Exclusion = {
  reason: 'deliberate difference: INSTRUCTION_DETAILS in FROM is answered (its ACTION holds one); EHRbase returns nothing (AQL README)',
  evidence: /expected 0 row\(s\), got 1; first returned row not expected: \[\{"_type":"INSTRUCTION_DETAILS"/,
};

const OLDER_SUITE_BY_HAND: Exclusion = {
  reason:
    "the older suite's answers were written by hand (query/README: 'we need to create the expected results by hand') and count rows " +
    'differently from AQL containment: an observation in a section inside another section is contained by both, a CLUSTER below a ' +
    'CLUSTER is one more match, a whole EHR listed with placeholder values',
  evidence: /expected \d+ row\(s\), got \d+/,
};

const EXPECTED_FILE_WRONG: Exclusion = {
  reason:
    "EHRbase's expected rows name 'Mean Arterial Pressure' twice, but ehrbase_blood_pressure_simple.de.v0.json holds one Mean Arterial " +
    'Pressure and one Pulse Pressure element',
  evidence: /expected "Mean Arterial Pressure", got "Pulse Pressure"/,
};

const STATUS_FIXTURE_DIFFERS: Exclusion = {
  reason:
    "the expected row names openEHR-EHR-ITEM_LIST.fake.v1, but the EHR_STATUS the suite's steps commit holds other_details archetyped ITEM_TREE.fake.v1",
  evidence: /expected "openEHR-EHR-ITEM_LIST\.fake\.v1", got "openEHR-EHR-ITEM_TREE\.fake\.v1"/,
};

const SQL_LIKE_WILDCARDS: Exclusion = {
  reason:
    "LIKE with SQL's `%` wildcard: AQL 1.1's LIKE has `*` and `?` as its wildcards, so `%` is an ordinary character (AQL README, " +
    'Compiler); EHRbase still reads `%` as SQL does',
  evidence:
    /^expected \d+ row\(s\), got \d+; first (expected row not returned: \["Problem\/Diagnosis"|returned row not expected: \["[0-9a-f-]{36}","Fever"\])/,
};

const CLUSTER_COUNT_WRONG: Exclusion = {
  reason:
    'the expected answer lists 3 clusters of the data set, fewer than the 5 device clusters alone that q_for_cluster_x.json expects of the same ' +
    'data; CONTAINS CLUSTER finds every cluster (device, and those of the other entries)',
  evidence: /^expected 3 row\(s\), got 12; first returned row not expected: \["Lorem ipsum"\]/,
};

const EVENTS_COUNTED_UNEVENLY: Exclusion = {
  reason:
    'the expected rows give every event of each blood pressure observation (3 per composition) but only the first of each body temperature ' +
    "observation's 3 events (compo4's third event, 89.0, is missing), although both paths name their events alike",
  evidence:
    /^expected 29 row\(s\), got 45; first returned row not expected: \["ehrbase\.testcase0005\.v1",null,null,null,"Temperature",50\]/,
};

const COMPOSITION_DELETED_OUT_OF_INDEX: Exclusion = {
  reason:
    "the robot file deletes compo_uid_4 in a step the derived index does not carry (it keeps only 'Set Suite Variable ${composition_id} " +
    "${compo_uid_4}' before it): the suite's own sanity check (version/latest_version_contains_composition_sanity_check.json) lists every " +
    'latest version but compo_uid_4, so the replay, which commits it and never deletes it, has one creation more than the answers',
  evidence:
    /^expected (4 row\(s\), got 5|1 row\(s\), got 2); first returned row not expected: \[("ucp\.local"|"creation"|"openehr"|"249"|\{"_type":"DV_CODED_TEXT","value":"creation")/,
};

const STATUS_UPDATED_OUT_OF_INDEX: Exclusion = {
  reason:
    "the robot file updates EHR 3's EHR_STATUS in a step the derived index does not carry (only 'Set Suite Variable ${ehr_status_id3_version2}' " +
    'is left of it), so the answers count a modification the replay never makes',
  evidence:
    /^expected (2 row\(s\), got 2; first expected row not returned: \[\{"_type":"DV_CODED_TEXT","value":"modification"|1 row\(s\), got [02]; first (expected row not returned: \["modification"\]|returned row not expected: \["(249|creation)"\]))/,
};

const FOLDER_UID_FROM_FIXTURE: Exclusion = {
  reason:
    'the expected folder uid is the one folder_multi_compositions.json gives its root FOLDER (40e952ca-…), which EHRbase keeps as the ' +
    "directory's id; this repository gives a new directory an object id of its own and does not take the client's",
  evidence: /they first differ at \[0\]: expected "40e952ca-a5b2-4f24-8d37-59240fd37020::[^"]+::1", got "[0-9a-f-]{36}::[^"]+::1"/,
};

const UNPREDICATED_PATH_ROWS: Exclusion = {
  reason:
    "CDR-1404's answer gives one row, the magnitude its WHERE compares (82.0); this repository answers the SELECT path " +
    'o/data/events/data/items/value/magnitude, which names no node, with a row per match in every event (5 magnitudes) and a null ' +
    'for each item without one (AQL README, Known semantic differences)',
  evidence: /^expected 1 row\(s\), got 51; first returned row not expected: \[null\]/,
};

const keyed = (keys: readonly string[], exclusion: Exclusion) => Object.fromEntries(keys.map((key) => [key, exclusion]));

/** Exclusions of cases whose expected answer cannot be used, added with the EXTERNAL data sets and the OR union. */
const AQL_EXCLUSIONS_2: Readonly<Record<string, Exclusion>> = {
  ...keyed(
    [12, 16, 23, 27, 36, 40].map((row) => `EXTERNAL/SELECT_RM/drill_down_evaluation#row ${row}`),
    EHRBASE_FILLS_INTERVAL_FLAGS,
  ),
  ...keyed(
    [
      'EXTERNAL/AUTO_WHERE/test_instruction_auto_where#row 8',
      'EXTERNAL/AUTO_WHERE/test_observation_auto_where#row 13',
      'EXTERNAL/SELECT_RM/drill_down_instruction#row 16',
      'EXTERNAL/SELECT_RM/drill_down_instruction#row 20',
      'EXTERNAL/SELECT_RM/drill_down_instruction#row 21',
      'EXTERNAL/SELECT_RM/drill_down_instruction#row 28',
      'EXTERNAL/SELECT_RM/drill_down_evaluation#row 70',
    ],
    REPAIRED_FIXTURE_VALUE,
  ),
  'FROM/USABLE_RM_TYPES_A_D/from_common_types#row 5': ITEM_TREE_ANSWER_DROPS_MAPPING,
  ...keyed(
    ['FROM/USABLE_RM_TYPES_A_D/from_abstract_types#row 3', 'FROM/USABLE_RM_TYPES_A_D/from_abstract_types#row 4'],
    STATUS_STRUCTURE_COUNTED,
  ),
  ...keyed(
    [
      'EXTERNAL/query_test_set_3#query 8',
      'EXTERNAL/query_test_set_3#query 9',
      'EXTERNAL/query_test_set_3#query 10',
      'EXTERNAL/query_test_set_4#query 1',
      'EXTERNAL/query_test_set_4#query 3',
      'FROM/AND_OR/simple_and_or#row 3',
      'query/loaded_db/test_set_3#test_set_3/q_for_action_x_or_instruction_x.json',
      'query/loaded_db/test_set_3#test_set_3/q_for_composition_x_or_observation_x.json',
      'query/loaded_db/test_set_3#test_set_3/q_for_observation_x_or_action_x.json',
      'query/loaded_db/test_set_4#test_set_4/q_for_composition_x_action_or_composition_x_observation.json',
      'query/loaded_db/test_set_4#test_set_4/q_for_composition_x_observation_x_or_observation_x.json',
    ],
    OR_PAIRS_COMPOSITIONS,
  ),
  ...keyed(
    [
      'EXTERNAL/query_test_set_4#query 5',
      'query/loaded_db/test_set_4#test_set_4/q_for_composition_observation_x_and_not_composition_x.json',
    ],
    NOT_CONTAINS_WITHOUT_CLASS,
  ),
  ...keyed(
    [
      'FROM/EHR_STATUS/from_multiple_ehrs#query 2',
      'FROM/PREDICATE_A_D/without_predicate#query 2',
      'query/loaded_db/test_set_3#test_set_3/q_for_composition_evaluation_x_and_composition_instruction_x.json',
    ],
    CLASS_IN_ITSELF,
  ),
  'query/loaded_db/test_set_3#test_set_3/q_for_composition_x_action_or_composition_x_observation.json': QUERY_NAMES_NO_CLASS,
  ...keyed(
    [
      'SELECT/IDENTIFIED_PATH_FEATURE_A_D/null_value_in_select#row 1',
      'SELECT/IDENTIFIED_PATH_FEATURE_A_D/path_from_entry_to_data_value_in_cluster#row 2',
      'SELECT/IDENTIFIED_PATH_FEATURE_A_D/path_from_entry_to_data_value_in_cluster#row 3',
      'query/loaded_db/test_set_3#test_set_3/q_for_observation_x_cluster.json',
      'query/loaded_db/test_set_2#test_set_2/q_composition_x_evaluation.json',
      'query/loaded_db/test_set_2#test_set_2/q_composition_x_instruction.json',
      'query/loaded_db/test_set_2#test_set_2/q_composition_x_observation.json',
    ],
    MISSING_PATH_GIVES_NULL,
  ),
  ...keyed(
    [
      'query/loaded_db/test_set_1#test_set_1/q_for_wildcard_begin_string.json',
      'query/loaded_db/test_set_1#test_set_1/q_for_wildcard_end_string.json',
      'query/loaded_db/test_set_1#test_set_1/q_for_wildcard_start_end_string.json',
    ],
    SQL_LIKE_WILDCARDS,
  ),
  'query/loaded_db/test_set_1#test_set_1/q_for_cluster.json': CLUSTER_COUNT_WRONG,
  'query/loaded_db/test_set_2#test_set_2/q_composition_observation.json': EVENTS_COUNTED_UNEVENLY,
  ...keyed(
    ['FROM/CONTAINS_A_D/contains_plus_contain_chaining#row 5', 'FROM/CONTAINS_A_D/contains_plus_contain_chaining#row 6'],
    CLASS_WITHOUT_VARIABLE_FILTERS,
  ),
  'FROM/USABLE_RM_TYPES_A_D/from_composition#row 9': INSTRUCTION_DETAILS_ANSWERED,
  ...keyed(
    [
      'query/loaded_db/A#A/106_get_ehrs.json',
      'query/loaded_db/test_set_3#test_set_3/q_for_composition_observation_x_and_observation_x.json',
      'query/loaded_db/test_set_3#test_set_3/q_for_composition_observation_x_cluster_x_cluster_x.json',
      'query/loaded_db/test_set_3#test_set_3/q_for_observation_x_cluster_x.json',
      'query/loaded_db/test_set_3#test_set_3/q_for_observation_x_or_observation_x.json',
      'query/loaded_db/test_set_4#test_set_4/q_for_composition_x_observation_x_and_observation_x.json',
      'query/loaded_db/test_set_5#test_set_5/q_for_section_cluster.json',
      'query/loaded_db/test_set_5#test_set_5/q_for_section_observation.json',
    ],
    OLDER_SUITE_BY_HAND,
  ),
  'FROM/EHR_STATUS/contains#row 4': EXPECTED_FILE_WRONG,
  ...keyed(
    [
      ...[2, 3, 4, 6, 7].map((row) => `VERSION/version_latest_version_contains_composition_data_values#row ${row}`),
      ...[2, 3, 4, 5, 6, 7].map((row) => `VERSION/version_latest_version_contains_observation_data_values#row ${row}`),
    ],
    COMPOSITION_DELETED_OUT_OF_INDEX,
  ),
  ...keyed(
    [3, 4, 5, 6].map((row) => `VERSION/version_latest_version_contains_ehr_status_data_values#row ${row}`),
    STATUS_UPDATED_OUT_OF_INDEX,
  ),
  'EXTERNAL/drill_down_ehr#row 6': STATUS_FIXTURE_DIFFERS,
  'FOLDER/SELECT_PATHS_IN_FOLDER/find_items#query 1': FOLDER_UID_FROM_FIXTURE,
  'WHERE/SIMPLE_COMPARE/compare_by_dv_ordered_cdr_1404#query 1': UNPREDICATED_PATH_ROWS,
};

export const AQL_EXCLUSIONS: Readonly<Record<string, Exclusion>> = { ...AQL_EXCLUSIONS_1, ...AQL_EXCLUSIONS_2 };
