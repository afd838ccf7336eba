/**
 * Fixture cases this repository deliberately does not pass, each with the reason. Keys are
 * `<group>:<fixture path>`. Every entry must say why; the conformance table prints it.
 *
 * An excluded case is still run. Its `evidence` must match every problem the case reports: a case
 * that passes, or fails for anything else, is reported as failed, so an exclusion can never hide
 * a new bug. A full run also fails any entry whose key names no case.
 */
import { EHRBASE_DATA_TYPE_TESTS } from '../support/openehr/round-trip-corpus.js';
import { GROUPS, type Group } from './conformance-groups.js';

export interface Exclusion {
  /** Why the case cannot pass as the fixture intends: what is wrong, and which rule says so. */
  readonly reason: string;
  /** What every problem of the failure must say. */
  readonly evidence: RegExp;
}

const IT = 'ehrbase-integration-tests/test_data_sets/';
const SDK = 'ehrbase-openEHR_SDK/';
const CANONICAL_JSON = `${IT}compositions/CANONICAL_JSON/`;
const CANONICAL_XML = `${IT}compositions/CANONICAL_XML/`;
const FLAT = `${IT}compositions/FLAT/`;
const STRUCTURED = `${IT}compositions/STRUCTURED/`;
const FLAT_IO = `${IT}flat_compositions/`;
const SDK_XML = `${SDK}composition/canonical_xml/`;
const AQL = `${IT}aql/data_load/compositions/`;
const QUERY = `${IT}query/data_load/compositions/`;
const DATA_LOAD = `${IT}data_load/compositions/`;
const VALID_TEMPLATES = `${IT}valid_templates/`;

/**
 * Fixtures whose suite expects a refusal although their file name does not say `invalid`; the
 * runner treats them as negative cases.
 */
export const MEANT_TO_BE_REFUSED: Readonly<Record<string, string>> = {
  [`${VALID_TEMPLATES}nested/nested.composition.extdatetimes.optdoesntexist.xml`]:
    'it names a template that does not exist, as its file name says',
  [`${CANONICAL_JSON}terminology_test.ehrbase.org.v1_non_existing_code.json`]:
    "EHRbase's terminology test expects 422: its surface code is not in the FHIR value set the template binds",
};

function entries(groups: Group | readonly Group[], paths: readonly string[], exclusion: Exclusion): [string, Exclusion][] {
  return [groups].flat().flatMap((group) => paths.map((path): [string, Exclusion] => [`${group}:${path}`, exclusion]));
}

/** Base of EHRbase's data-driven data-type tests: the robot suite replaces the value case by case. */
const dataTypeBase = (what: string) =>
  `a data-driven base of EHRbase's data-type tests, whose value the suite replaces case by case (validate-composition.test.ts runs those cases): as stored, ${what}`;

const NO_TERMINOLOGY_SERVICE: Exclusion = {
  reason:
    'refusing a code outside the FHIR value set the template binds needs a terminology service; this CDR validates without one and accepts codes ' +
    'of external value sets (validation README, Terminologies); validate-composition.test.ts checks the refusal with a stub service',
  evidence: /an invalid composition was accepted/,
};

const MULTIMEDIA_WITHOUT_CONTENT =
  'a DV_MULTIMEDIA with only media type and size: the RM DV_MULTIMEDIA invariant Not_empty needs inline data or a uri';

const ALL_TYPES_SYSTEMATIC =
  "a DV_TEXT where the template requires DV_URI, a coded text with another text than its term ('value1') and a full date where " +
  'yyyy-??-XX forbids the day (validation README); its URI without a scheme is fine: the RM does not require one';

const NO_ARCHETYPE_DETAILS =
  'archetype_details is commented out in the fixture (an SDK parsing sample: Archie could not read it in 2019), so the composition names no ' +
  'template; a commit needs archetype_details.template_id, and the RM requires archetype_details on an archetype root';

const NOT_IN_FIXTURE_SET = (opt: string): Exclusion => ({
  reason: `written for ${opt}, which was left out of the fixture set to stay under 20 MB (test/fixtures/openehr/README.md)`,
  evidence: /its template is not among the fixtures/,
});

const OLD_OUTPUT_SAMPLE = (what: string, evidence: RegExp): Exclusion => ({
  reason: `an expected-output sample of an old EHRbase (the matching input is instance_flat_input_N), not a document to commit: ${what}`,
  evidence,
});

const UNWRITABLE_STRUCTURE: Exclusion = {
  reason:
    'uids on ITEM_TREEs (context/other_context, event data) and HISTORY period/duration: FLAT has no keys for them, as structure nodes are not ' +
    'in the web template (flat README, Known gaps); the converter reports each instead of dropping it',
  evidence: /'(uid|period|duration)' cannot be written as FLAT/,
};

const HISTORY_TIMING: Exclusion = {
  reason:
    'HISTORY period and duration: FLAT has no keys for them, HISTORY being a structure node the web template leaves out (flat README, Known gaps)',
  evidence: /\/data\/(period|duration): '(period|duration)' cannot be written as FLAT/,
};

const LINK_TARGETS: Exclusion = {
  reason:
    "LINK targets 'target1' and 'target2' are not EHR URIs: RM LINK.target is a DV_EHR_URI, whose invariant Scheme_valid requires the ehr: scheme",
  evidence: /Scheme_valid/,
};

export const EXCLUSIONS: Readonly<Record<string, Exclusion>> = Object.fromEntries([
  // --- EHR_STATUS and web templates -----------------------------------------------------------------------
  ...entries(GROUPS.ehrStatus, [`${IT}ehr/valid/000_ehr_status_ecis.json`], {
    reason:
      "an EhrScape (ECIS) request body (subjectId, subjectNamespace, queryable, modifiable) for EHRbase's /ecis endpoint, not an EHR_STATUS; " +
      'the openEHR REST API creates an EHR from an EHR_STATUS',
    evidence: /^\/(_type|archetype_node_id|name\/value|is_queryable|is_modifiable|subject): (must be "EHR_STATUS"|is required)/,
  }),
  ...entries(GROUPS.webTemplates, [`${SDK}webtemplate/multi_occurrence.json`], {
    reason:
      'answer key written in the EhrScape web-template dialect (context before content, a 0..1 composer, other node names); the REST API serves ' +
      "the EHRbase dialect; web-template-builder.test.ts checks this key with flavour 'ehrscape'",
    evidence: /differs from the answer key/,
  }),

  // --- canonical JSON: data-driven bases of EHRbase's suite ----------------------------------------------------
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_boolean_true_false.v0__.json`], {
    reason: dataTypeBase("every value is false, which the template's C_BOOLEAN (true only) forbids"),
    evidence: /constraint: value in \{true\}/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_count_range_constraint.v0__.json`], {
    reason: dataTypeBase("the count is 25, outside the template's C_INTEGER range 10..20"),
    evidence: /constraint: magnitude 10\.\.20/,
  }),
  ...entries(
    GROUPS.canonicalJson,
    [
      `${CANONICAL_JSON}Test_dv_interval_dv_count_lower_upper_constraint.v0__.json`,
      `${CANONICAL_JSON}Test_dv_interval_dv_quantity_lower_upper_constraint.v0__.json`,
    ],
    {
      reason: dataTypeBase("the first interval's limits -10 and 200 lie outside the 0..100 the template allows for each limit"),
      evidence: /constraint: magnitude 0\.\.100/,
    },
  ),
  ...entries(
    GROUPS.canonicalJson,
    [
      `${CANONICAL_JSON}Test_dv_interval_dv_count_open_constraint.v0__.json`,
      `${CANONICAL_JSON}Test_dv_interval_dv_quantity_open_constraint.v0__.json`,
    ],
    {
      reason: dataTypeBase('the first interval runs from 200 down to 100, breaking the RM DV_INTERVAL invariant Limits_consistent'),
      evidence: /invariant Limits_consistent/,
    },
  ),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_multimedia_open_constraint.v0__.json`], {
    reason: dataTypeBase('the media type is application/dicom where the template allows application/pdf only'),
    evidence: /constraint: code in \{application\/pdf\}/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_ordinal_open_constraint.v0__.json`], {
    reason: dataTypeBase('the symbol is a placeholder that writes `type` for `_type` (the RM DV_CODED_TEXT has no attribute type)'),
    evidence: /DV_CODED_TEXT has no attribute 'type'/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_parsable_open_constraint.v0__.json`], {
    reason: dataTypeBase("the formalism is 'abc' where the template allows text/plain only"),
    evidence: /constraint: formalism in \{text\/plain\}/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_proportion_open_constraint.v0__.json`], {
    reason: dataTypeBase('the proportion type is 898, not a PROPORTION_KIND (RM: 0..4)'),
    evidence: /proportion kind 898 is not in 0\.\.4/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}Test_dv_proportion_open_constraint_precision_1.v0__.json`], {
    reason: dataTypeBase(
      'an integer fraction (type 4) has the denominator 500.5, breaking the RM DV_PROPORTION invariant Fraction_validity',
    ),
    evidence: /invariant Fraction_validity/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}cardinality_of_section__full.json`], {
    reason:
      "base of EHRbase's SECTION cardinality tests, which set the number of sections case by case: as stored it holds ten content items where " +
      "the template's COMPOSITION.content cardinality is 1..1 (validation README)",
    evidence: /constraint: cardinality 1\.\.1/,
  }),

  // --- canonical JSON: fixtures that break the RM or their template -------------------------------------------
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}clinical_content_validation__full.json`], {
    reason:
      'archetypes (an INSTRUCTION, an ACTION and an OBSERVATION outside the SECTION slots) and EVALUATION names its template does not define; ' +
      "EHRbase's test on it is tied to its issue 281 (validation README)",
    evidence: /constraint: (archetype_node_id in|value in) \{/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}family_history.v.1.2.3__.json`], {
    reason: 'EVALUATION.time_asserted, which RM 1.1.0 does not define (validation README)',
    evidence: /EVALUATION has no attribute 'time_asserted'/,
  }),
  ...entries(GROUPS.canonicalJson, [`${CANONICAL_JSON}minimal_instruction_1.composition.json`], {
    reason:
      "the duration P1Y where the template's C_DURATION pattern PTM allows minutes only; EHRbase's allowed-fields test rewrites the pattern " +
      'before using it (validation README)',
    evidence: /constraint: pattern PTM/,
  }),
  ...entries(
    GROUPS.canonicalJson,
    [
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1__invalid.json`,
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1_non_existing_code.json`,
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1_update_invalid_codes.json`,
      `${CANONICAL_JSON}terminology_test2.ehrbase.org.v1__invalid_code_system.json`,
    ],
    NO_TERMINOLOGY_SERVICE,
  ),

  // --- canonical JSON: AQL and query data sets --------------------------------------------------------------
  ...entries(
    GROUPS.canonicalJson,
    [
      `${DATA_LOAD}minimal_action2_1.composition.json`,
      `${DATA_LOAD}minimal_action2_2.composition.json`,
      `${DATA_LOAD}minimal_action2_3.composition.json`,
      `${QUERY}minimal_action2_1.composition.json`,
      `${QUERY}minimal_action2_2.composition.json`,
    ],
    {
      reason:
        "a fraction (DV_PROPORTION type 3) with precision 1: the RM invariant Fraction_validity makes fractions integral (precision 0); EHRbase's " +
        'conformance test for this case is tagged not-ready bug (validation README)',
      evidence: /invariant Fraction_validity/,
    },
  ),
  ...entries(GROUPS.canonicalJson, [`${QUERY}all_types.composition.json`], {
    reason:
      "a full date where the template's C_DATE pattern yyyy-??-XX forbids the day; EHRbase's own suite marks this file as failing (validation README)",
    evidence: /constraint: pattern yyyy-\?\?-XX/,
  }),
  ...entries(
    GROUPS.canonicalJson,
    [`${AQL}external/minimal_instruction_2.json`, `${AQL}external/minimal_instruction_3.json`, `${AQL}external/minimal_instruction_4.json`],
    {
      reason:
        "durations in years (P65Y5M12D, P101Y, P1Y) where the template's C_DURATION pattern PTM allows minutes only (validation README)",
      evidence: /constraint: pattern PTM/,
    },
  ),
  ...entries(GROUPS.canonicalJson, [`${AQL}external/minimal_evaluation.json`], {
    reason: 'three ELEMENTs (at0003, at0004, at0005) its template does not define (validation README)',
    evidence: /constraint: archetype_node_id in \{at0002\}/,
  }),
  ...entries(GROUPS.canonicalJson, [`${AQL}external/all_types_systematic_tests.json`], {
    reason: ALL_TYPES_SYSTEMATIC,
    evidence: /constraint: (term text|type DV_URI|pattern yyyy-\?\?-XX)/,
  }),
  ...entries(GROUPS.canonicalJson, [`${AQL}external/all_types_systematic_tests_feeder_audit.json`], {
    reason: `${ALL_TYPES_SYSTEMATIC}; and feeder_system_audit on entries, which is not an RM attribute (validation README)`,
    evidence: /constraint: (term text|type DV_URI|pattern yyyy-\?\?-XX|RM known attribute)/,
  }),
  ...entries(GROUPS.canonicalJson, [`ehrbase-server/composition.json`], {
    reason:
      'written for the Corona_Anamnese template, which was left out of the fixture set to stay under 20 MB (test/fixtures/openehr/README.md)',
    evidence: /Template Corona_Anamnese is not known here/,
  }),

  // --- canonical XML -----------------------------------------------------------------------------------------
  ...entries(
    GROUPS.canonicalXml,
    [
      `${VALID_TEMPLATES}alternative_types/alternative_types.composition.xml`,
      `${VALID_TEMPLATES}alternative_types/alternative_types.composition.extdatetimes.xml`,
    ],
    {
      reason: 'a DV_COUNT with the magnitude 456.789: the RM makes DV_COUNT.magnitude an Integer64',
      evidence: /expected Integer64, found string "456\.789"/,
    },
  ),
  ...entries(
    GROUPS.canonicalXml,
    [`${VALID_TEMPLATES}cache/case_composition.xml`, `${VALID_TEMPLATES}cache/case_composition_updated.xml`],
    {
      reason:
        "it names the template 'Case' (case.opt and case2.opt, built on COMPOSITION.event_summary.v0 with an imaging OBSERVATION) but is a " +
        'COMPOSITION.minimal.v1 with a minimal ADMIN_ENTRY or EVALUATION; no OPT of the fixture set with that id fits it',
      evidence: /constraint: archetype_node_id (=|in) /,
    },
  ),
  ...entries(GROUPS.canonicalXml, [`${VALID_TEMPLATES}minimal/minimal_action_2.instance.composition.xml`], {
    reason:
      "against its template 'Minimal action 2' (minimal_action_2.es.opt): an ACTION without the ism_transition the RM requires, and a proportion " +
      'of type 1 (unitary) with numerator 1.5 where the template allows types 3 and 4 and precision 0 makes it integral (RM Is_integral_validity)',
    evidence: /constraint: (RM mandatory attribute|type in \{3, 4\}|invariant Is_integral_validity)/,
  }),
  ...entries(
    GROUPS.canonicalXml,
    [`${VALID_TEMPLATES}minimal/minimal_observation.composition.participations.extdatetimes_FIXED_EXAMPLE.xml`],
    {
      reason:
        'its root archetype is COMPOSITION.report-result.v1, but it names minimal_observation.en.v1, which is built on COMPOSITION.minimal.v1',
      evidence: /constraint: archetype_node_id = openEHR-EHR-COMPOSITION\.minimal\.v1/,
    },
  ),
  ...entries(GROUPS.canonicalXml, [`${VALID_TEMPLATES}minimal/test.xml`], {
    reason: 'written for the AddictionAlcoholTemplate template, whose OPT is not in the fixture set',
    evidence: /Template AddictionAlcoholTemplate is not known here/,
  }),
  ...entries(
    GROUPS.canonicalXml,
    [
      `${VALID_TEMPLATES}minimal_entry_combination/obs_admin.composition.xml`,
      `${VALID_TEMPLATES}minimal_entry_combination/obs_admin.composition.extdatetimes.xml`,
    ],
    {
      reason:
        "the ordinal symbol at0003 with the text 'ord1' where its term is 'option 1': a DV_CODED_TEXT's value must be the term of its code (validation README, Term texts)",
      evidence: /constraint: term text 'option 1'/,
    },
  ),
  ...entries(GROUPS.canonicalXml, [`${VALID_TEMPLATES}minimal_entry_combination/obs_inst.composition.xml`], {
    reason: "the duration PT30M where the template's C_DURATION pattern PDTH allows days and hours only",
    evidence: /constraint: pattern PDTH/,
  }),
  ...entries(GROUPS.canonicalXml, [`${VALID_TEMPLATES}minimal_persistent/persistent_minimal_all_entries.composition.xml`], {
    reason:
      "the duration PT30M where the template's C_DURATION pattern PDTH allows days and hours only, and an ordinal symbol at0010 outside the template's {at0003, at0004, at0005}",
    evidence: /constraint: (pattern PDTH|ordinal in)/,
  }),
  ...entries(GROUPS.canonicalXml, [`${IT}xml_compositions/minimal_instruction.en.v1.instance_xml_input_1.xml`], {
    reason: "the duration P3DT3H where the template's C_DURATION pattern PTM allows minutes only (as its FLAT twin)",
    evidence: /constraint: pattern PTM/,
  }),
  ...entries(
    GROUPS.canonicalXml,
    [
      `${CANONICAL_XML}consult_record__.xml`,
      `${CANONICAL_XML}family_history.v2__.xml`,
      `${CANONICAL_XML}family_history__.xml`,
      `${CANONICAL_XML}family_history__with_uid.xml`,
    ],
    {
      reason:
        'every ARCHETYPE_ID carries Java bean properties (qualifiedRmEntity, domainConcept, rmOriginator, rmName, rmEntity, versionId) as ' +
        'elements, which the openEHR XML schema does not define (ARCHETYPE_ID has value only); the same compositions in canonical JSON commit',
      evidence: /ARCHETYPE_ID has no attribute '(qualifiedRmEntity|domainConcept|rmOriginator|rmName|rmEntity|versionId)'/,
    },
  ),
  ...entries(
    GROUPS.canonicalXml,
    [
      `${SDK_XML}RIPPLE_conformanceTesting.xml`,
      `${SDK_XML}RIPPLE_conformanceTesting_ADMIN_ENTRY.xml`,
      `${SDK_XML}RIPPLE_conformanceTesting_OBSERVATION.demo.v1.xml`,
      `${SDK_XML}RIPPLE_conformanceTesting_ORIGINAL.xml`,
    ],
    {
      reason:
        "the quantity 96.63 cm with two decimal places where the template's C_QUANTITY_ITEM precision for cm is 1 (the quantity itself says " +
        'precision 1); magnitudes are held to the precision (validation README, Quantity precision)',
      evidence: /magnitude 96\.63 has 2 decimal places/,
    },
  ),
  ...entries(GROUPS.canonicalXml, [`${SDK_XML}RIPPLE_conformanceTesting_OBSERVATION.pulse.v1.xml`], {
    reason: `${NO_ARCHETYPE_DETAILS}; its pulse OBSERVATION also lacks the language the RM makes mandatory`,
    evidence: /archetype_details\/template_id\/value: is required/,
  }),
  ...entries(GROUPS.canonicalXml, [`${SDK_XML}test_all_types.fixed.v1.xml`], {
    reason: `${NO_ARCHETYPE_DETAILS}; it also carries the generated values of test_all_types.v1.xml that break the template`,
    evidence: /archetype_details\/template_id\/value: is required/,
  }),
  ...entries(GROUPS.canonicalXml, [`${SDK_XML}test_all_types.v1.xml`], {
    reason:
      "generated values that break its template: terminology 'terminology_not_specified…' where 'local' is required, an ordinal symbol at0010 " +
      'outside {at0014, at0015, at0016} with a random text, elements at0023/at0024 the template does not define, a full date where ' +
      'yyyy-??-XX forbids the day, and an ELEMENT with neither a value nor a null flavour (RM invariant Null_flavour_indicated)',
    evidence:
      /constraint: (terminology local|ordinal in|term text|archetype_node_id in|pattern yyyy-\?\?-XX|invariant Null_flavour_indicated)/,
  }),

  // --- FLAT and STRUCTURED -------------------------------------------------------------------------------------------
  ...entries(
    GROUPS.flat,
    [`${FLAT}SSIAD PRIeSM__.json`, `${FLAT}ssiad_priesm_expected_values.json`],
    NOT_IN_FIXTURE_SET('the SSIAD PRIeSM OPT'),
  ),
  ...entries(GROUPS.flat, [`${FLAT}dv_duration_max__.json`], NOT_IN_FIXTURE_SET('the dv_duration_max OPT')),
  ...entries(GROUPS.flat, [`${FLAT}medications_statement.v0__.json`], NOT_IN_FIXTURE_SET('the medications_statement OPT')),
  ...entries(GROUPS.flat, [`${FLAT}ehrn_family_history__.json`, `${FLAT}ehrn_family_history.v2__.json`], {
    reason:
      "written for ehrn_family_history.opt (EHRbase's EhrScape suite uploads all_types/ehrn_family_history.opt), which was left out of the " +
      'fixture set; against family_history.opt, the template of that id here, it lacks the mandatory Biological sex (at0060, 1..1)',
    evidence: /at0060 \(Biological sex\) is mandatory/,
  }),
  ...entries(
    GROUPS.flat,
    [
      `${FLAT}Test_all_types_v2_20211020054038_000001_1.xml.flat.json`,
      `${FLAT}minimal_action.en.v1_20211018102623_000001_1.xml.flat.json`,
      `${FLAT}obs_act.en.v1_20211018103027_000001_1.xml.flat.json`,
      `${FLAT}persistent_minimal_all_entries.en.v1_20211018103243_000001_1.xml.flat.json`,
    ],
    { reason: MULTIMEDIA_WITHOUT_CONTENT, evidence: /invariant Not_empty/ },
  ),
  ...entries(GROUPS.flat, [`${FLAT}test_all_types.en.v1_20211018101804_000001_1.xml.flat.json`], {
    reason: `${MULTIMEDIA_WITHOUT_CONTENT}; and a full date where the template's pattern yyyy-??-XX forbids the day`,
    evidence: /invariant Not_empty|constraint: pattern yyyy-\?\?-XX/,
  }),
  ...entries(GROUPS.flat, [`${FLAT}RIPPLE_-_Conformance_Test_template_20211019014737_000001_1.xml.flat.json`], {
    reason:
      'generated values that break the template: pulse rates with a decimal where the C_QUANTITY_ITEM precision for /min is 0, and ' +
      `${MULTIMEDIA_WITHOUT_CONTENT}`,
    evidence: /constraint: (precision 0|invariant Not_empty)/,
  }),
  ...entries(GROUPS.flat, [`${SDK}composition/flat/simSDT/test_all_types.json`], {
    reason:
      "'value1' as the text of the local code at0006 (its term is 'coded text terminology') and a full date where the pattern yyyy-??-XX " +
      'forbids the day (as all_types_systematic_tests in the validation README; its URI without a scheme is fine)',
    evidence: /constraint: (term text|pattern yyyy-\?\?-XX)/,
  }),
  ...entries([GROUPS.flat, GROUPS.flatRoundTrip], [`${FLAT}minimal_action_2_20211018102553_000001_1.xml.flat.json`], {
    reason:
      'an ACTION without ism_transition: the RM makes ACTION.ism_transition and its current_state mandatory, and the template constrains no state to default to',
    evidence: /ism_transition current state is required/,
  }),
  ...entries([GROUPS.flat], [`${FLAT}nested.en.v1__full.json`, `${FLAT}persistent_minimal.en.v1__full.json`], LINK_TARGETS),
  ...entries(
    [GROUPS.structured],
    [`${STRUCTURED}nested.en.v1__full.json`, `${STRUCTURED}persistent_minimal.en.v1__full.json`],
    LINK_TARGETS,
  ),
  ...entries(GROUPS.flat, [`${FLAT}test-ism.vitagroup.de.v1__.json`], {
    reason:
      "the careflow step at0012 with the text of at0109 ('Medication recommended'): a DV_CODED_TEXT's value must be the term of its code " +
      "(RM; validation README, Term texts); EHRbase's ISM test does not check careflow step texts",
    evidence: /constraint: term text 'Medication course cancelled'/,
  }),
  ...entries(GROUPS.flat, [`${FLAT}test-ism.vitagroup.de.v1__ism_missing_transition.json`], {
    reason:
      'the careflow step at0109, whose ISM_TRANSITION alternative allows the state 526 (planned) only, with the current state 528 (cancelled): ' +
      "no alternative of the template admits that pair; EHRbase's ISM test checks the transition only",
    evidence: /constraint: code in \{526\}/,
  }),
  ...entries(
    GROUPS.flat,
    [`${FLAT_IO}minimal_admin.en.v1.instance_flat_input_1.json`, `${FLAT_IO}minimal_admin.en.v1.instance_flat_input_2.json`],
    {
      reason: "|ordinal 0 given for the symbols at0004 and at0005, which the template's C_DV_ORDINAL pairs with 2 and 3",
      evidence: /constraint: ordinal in \{1\|at0003, 2\|at0004, 3\|at0005\}/,
    },
  ),
  ...entries(
    GROUPS.flat,
    [`${FLAT_IO}minimal_instruction.en.v1.instance_flat_input_1.json`, `${FLAT_IO}minimal_instruction.en.v1.instance_flat_input_2.json`],
    {
      reason:
        "the durations P3DT3H and P1DT1H where the template's C_DURATION pattern PTM allows minutes only (as minimal_instruction_1, validation README)",
      evidence: /constraint: pattern PTM/,
    },
  ),
  ...entries(
    [GROUPS.flat, GROUPS.flatRoundTrip],
    [`${FLAT_IO}minimal_observation.en.v1.instance_flat_output_1.json`, `${FLAT_IO}minimal_observation.en.v1.instance_flat_output_2.json`],
    OLD_OUTPUT_SAMPLE('it has no composer, which the RM makes mandatory', /composer is required/),
  ),
  ...entries(
    [GROUPS.flat, GROUPS.flatRoundTrip],
    [`${FLAT_IO}test_all_types.en.v1.instance_flat_output_1.json`, `${FLAT_IO}test_all_types.en.v1.instance_flat_output_2.json`],
    OLD_OUTPUT_SAMPLE(
      'a partial date written as an object, a proportion without type (mandatory in the RM) and coded texts without their text',
      /value must be a string, number or boolean|proportion type is required|text of code '[^']+' is required/,
    ),
  ),

  // --- canonical → FLAT → canonical: content FLAT cannot carry ---------------------------------------------------
  ...entries(
    GROUPS.canonicalRoundTrip,
    EHRBASE_DATA_TYPE_TESTS.map((name) => `${CANONICAL_JSON}${name}__.json`),
    UNWRITABLE_STRUCTURE,
  ),
  ...entries(
    GROUPS.canonicalRoundTrip,
    [`${CANONICAL_JSON}minimal_instruction_1.composition.json`, `${CANONICAL_JSON}minimal_instruction_2.composition.json`],
    {
      reason: "a uid on the ACTIVITY's description ITEM_TREE: FLAT has no key for uids on structure nodes (flat README, Known gaps)",
      evidence: /description\/uid: 'uid' cannot be written as FLAT/,
    },
  ),
  ...entries(
    GROUPS.canonicalRoundTrip,
    [
      `${CANONICAL_JSON}my_spanish_template_v0__.json`,
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1.json`,
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1__valid.json`,
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1__valid_v2.json`,
      `${CANONICAL_JSON}terminology_test.ehrbase.org.v1_update_valid_codes.json`,
      `${CANONICAL_JSON}terminology_test2.ehrbase.org.v1.json`,
    ],
    HISTORY_TIMING,
  ),
  ...entries(GROUPS.canonicalRoundTrip, [`${CANONICAL_JSON}clinical_content_validation__full.json`], {
    reason:
      'archetypes and structures its template does not define (see its canonical JSON case), so no web template node can carry them; the converter reports each',
    evidence: /no web template node matches|'(items|data)' cannot be written as FLAT/,
  }),
  ...entries(GROUPS.canonicalRoundTrip, [`ehrbase-server/composition.json`], {
    reason:
      'written for the Corona_Anamnese template, which was left out of the fixture set to stay under 20 MB (test/fixtures/openehr/README.md)',
    evidence: /its template Corona_Anamnese is not among the fixtures/,
  }),
  ...entries(GROUPS.canonicalRoundTrip, [`${AQL}external/all_types_systematic_tests_feeder_audit.json`], {
    reason: 'feeder_system_audit on entries is not an RM attribute, so FLAT has no key for it (see its canonical JSON case)',
    evidence: /feeder_system_audit: 'feeder_system_audit' cannot be written as FLAT/,
  }),
  ...entries(GROUPS.canonicalRoundTrip, [`${AQL}external/minimal_evaluation.json`], {
    reason: 'three ELEMENTs its template does not define (see its canonical JSON case), so no web template node can carry them',
    evidence: /no web template node matches ELEMENT at000[345]/,
  }),
  ...entries(GROUPS.canonicalRoundTrip, [`${CANONICAL_JSON}family_history.v.1.2.3__.json`], {
    reason: 'EVALUATION.time_asserted is not an RM 1.1.0 attribute, so FLAT has no key for it',
    evidence: /time_asserted: 'time_asserted' cannot be written as FLAT/,
  }),
]);
