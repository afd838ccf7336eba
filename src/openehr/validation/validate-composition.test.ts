import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CAttribute, CObject, OperationalTemplate } from '../template/opt-model.js';
import { compileTemplateValidator } from './template-validator.js';
import { validateComposition } from './validate-composition.js';
import type { ValidationIssue } from './validation-issue.js';
import type { TerminologyCheck } from './validation-options.js';
import { IT, fixtures, listAt, objectAt } from '../../../test/support/openehr/validation-fixtures.js';
import type { JsonObject } from '../../shared/json.js';

const SDK = 'ehrbase-openEHR_SDK/';
const CANONICAL = `${IT}compositions/CANONICAL_JSON/`;
const ALL_TYPES = `${IT}valid_templates/all_types/`;
const AQL = `${IT}aql/data_load/`;
const QUERY = `${IT}query/data_load/compositions/`;

function issuesOf(composition: string, template: string): ValidationIssue[] {
  return validateComposition(fixtures.composition(composition), fixtures.template(template));
}

function brief(issues: readonly ValidationIssue[]): { path: string; constraint: string }[] {
  return issues.map(({ path, constraint }) => ({ path, constraint }));
}

/** Every composition/template pair below is expected to validate without a single issue. */
const VALID: readonly (readonly [composition: string, template: string])[] = [
  [`${AQL}compositions/aql-conformance-ehrbase.org.v0_contains.json`, `${AQL}opts/aql-conformance-ehrbase.org.v0.opt`],
  [`${AQL}compositions/aql-conformance-ehrbase.org.v0_contains_with_compo_uid.json`, `${AQL}opts/aql-conformance-ehrbase.org.v0.opt`],
  [`${AQL}compositions/aql-conformance-ehrbase.org.v0_contains_with_compo_uid_1.json`, `${AQL}opts/aql-conformance-ehrbase.org.v0.opt`],
  [`${AQL}compositions/aql-conformance-ehrbase.org.v0_contains_with_compo_uid_2.json`, `${AQL}opts/aql-conformance-ehrbase.org.v0.opt`],
  [`${AQL}compositions/choice_ehrbase.de.v0.json`, `${AQL}opts/choice_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_array_valued.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_array_valued.json`, `${SDK}operationaltemplate/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_known_date_type_1.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_known_date_type_2.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_known_date_type_3.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_known_date_type_4.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_max.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_max.json`, `${SDK}operationaltemplate/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_max_v2.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_max_v3.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/conformance_ehrbase.de.v0_where.json`, `${AQL}opts/conformance_ehrbase.de.v0.opt`],
  [`${AQL}compositions/ehrbase_blood_pressure_simple.de.v0.json`, `${AQL}opts/ehrbase_blood_pressure_simple.de.v0.opt`],
  [`${AQL}compositions/external/minimal_instruction.json`, `${AQL}opts/external/minimal_instruction.opt`],
  [`${AQL}compositions/external/virology_finding_with_specimen_no_update.json`, `${AQL}opts/external/virologischer_befund.opt`],
  [`${AQL}compositions/nested_compo_custom_dv_text.json`, `${AQL}opts/nested.opt`],
  [`${AQL}compositions/persistent_minimal.en.v1__full.json`, `${AQL}opts/persistent_minimal.opt`],
  [`${AQL}compositions/persistent_minimal.en.v1__updated_v2.json`, `${AQL}opts/persistent_minimal.opt`],
  [`${AQL}compositions/persistent_minimal.en.v1__updated_v3.json`, `${AQL}opts/persistent_minimal.opt`],
  [`${AQL}compositions/type_repetition_conformance_ehrbase.org_like.json`, `${AQL}opts/type_repetition_conformance_ehrbase.org.opt`],
  [
    `${AQL}compositions/type_repetition_conformance_ehrbase.org_one_reptation.json`,
    `${AQL}opts/type_repetition_conformance_ehrbase.org.opt`,
  ],
  [
    `${AQL}compositions/type_repetition_conformance_ehrbase.org_one_reptation_with_compo_uid.json`,
    `${AQL}opts/type_repetition_conformance_ehrbase.org.opt`,
  ],
  [`${AQL}compositions/type_repetition_conformance_ehrbase.org_where1.json`, `${AQL}opts/type_repetition_conformance_ehrbase.org.opt`],
  [`${CANONICAL}Test_all_types_v2__.json`, `${ALL_TYPES}Test_all_types_v2.opt`],
  [`${CANONICAL}Test_dv_boolean.v0__.json`, `${ALL_TYPES}Test_dv_boolean.v0.opt`],
  [`${CANONICAL}Test_dv_boolean_false_true.v0__.json`, `${ALL_TYPES}Test_dv_boolean_false_true.v0.opt`],
  [`${CANONICAL}Test_dv_coded_text_open_constraint.v0__.json`, `${ALL_TYPES}Test_dv_coded_text_open_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_coded_text_with_local_codes.v0__.json`, `${ALL_TYPES}Test_dv_coded_text_with_local_codes.v0.opt`],
  [`${CANONICAL}Test_dv_count_open_constraint.v0__.json`, `${ALL_TYPES}Test_dv_count_open_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_date_time_validity_kind_constraint_v0__.json`, `${ALL_TYPES}Test_dv_date_time_validity_kind_constraint_v0.opt`],
  [`${CANONICAL}Test_dv_ehr_uri_open_constraint.v0__.json`, `${ALL_TYPES}Test_dv_ehr_uri_open_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_identifier_pattern_constraint.v0__.json`, `${ALL_TYPES}Test_dv_identifier_pattern_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_text_list_constraint.v0__.json`, `${ALL_TYPES}Test_dv_text_list_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_text_open_constraint.v0__.json`, `${ALL_TYPES}Test_dv_text_open_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_text_pattern_constraint.v0__.json`, `${ALL_TYPES}Test_dv_text_pattern_constraint.v0.opt`],
  [`${CANONICAL}Test_dv_uri_open_constraint.v0__.json`, `${ALL_TYPES}Test_dv_uri_open_constraint.v0.opt`],
  [
    `${CANONICAL}Test_quantity_dv_interval_dv_date_time_open_constraint.v0__.json`,
    `${ALL_TYPES}Test_quantity_dv_interval_dv_date_time_open_constraint.v0.opt`,
  ],
  [`${CANONICAL}composition_evaluation_test__full.json`, `${IT}valid_templates/validation/composition_evaluation_test.opt`],
  [`${CANONICAL}composition_feeder_audit.json`, `${ALL_TYPES}genericFHIRTemplate.opt`],
  [`${CANONICAL}composition_feeder_audit_in_element.json`, `${ALL_TYPES}cistec.openehr.body_weight.v1.opt`],
  [`${CANONICAL}consult_record__.json`, `${ALL_TYPES}EHRN-ABDM-OPConsultRecord.v2.0.opt`],
  [`${CANONICAL}family_history.v2__.json`, `${ALL_TYPES}family_history.opt`],
  [`${CANONICAL}family_history__.json`, `${ALL_TYPES}family_history.opt`],
  [`${CANONICAL}family_history__with_uid.json`, `${ALL_TYPES}family_history.opt`],
  [`${CANONICAL}minimal_FEEDER_AUDIT.feeder_audit.original_content.value_links.json`, `${ALL_TYPES}genericFHIRTemplate.opt`],
  [`${CANONICAL}minimal_evaluation.en.v1__.json`, `${AQL}opts/external/minimal_evaluation.opt`],
  [
    `${CANONICAL}minimal_instruction_2.composition.json`,
    `${IT}valid_templates/minimal/minimal_instruction.dv_duration_fields_allowed.range_constraints.opt`,
  ],
  [`${CANONICAL}my_spanish_template_v0__.json`, `${ALL_TYPES}my_spanish_template_v0.opt`],
  [`${CANONICAL}nested.en.tmp.v1__full_without_links.json`, `${IT}valid_templates/nested/nested.en.tmp.v1.opt`],
  [`${CANONICAL}nested.en.v1.same_template_id_and_uid.json`, `${IT}valid_templates/nested/nested_same_template_id_and_uid.opt`],
  [`${CANONICAL}nested.en.v1.same_template_id_and_uid_updated.json`, `${IT}valid_templates/nested/nested_same_template_id_and_uid.opt`],
  [`${CANONICAL}nested.en.v1__full.json`, `${AQL}opts/nested.opt`],
  [`${CANONICAL}nested.en.v1__full_without_links.json`, `${SDK}operationaltemplate/nested.en.v1.opt`],
  [`${CANONICAL}persistent_minimal.en.v1__full_without_links.json`, `${AQL}opts/persistent_minimal.opt`],
  [`${CANONICAL}terminology_test.ehrbase.org.v1.json`, `${ALL_TYPES}terminology_test.ehrbase.org.v1.opt`],
  [`${CANONICAL}terminology_test.ehrbase.org.v1__valid.json`, `${ALL_TYPES}terminology_test.ehrbase.org.v1.opt`],
  [`${CANONICAL}terminology_test.ehrbase.org.v1__valid_v2.json`, `${ALL_TYPES}terminology_test.ehrbase.org.v1.opt`],
  [`${CANONICAL}terminology_test.ehrbase.org.v1_update_valid_codes.json`, `${ALL_TYPES}terminology_test.ehrbase.org.v1.opt`],
  [`${CANONICAL}terminology_test2.ehrbase.org.v1.json`, `${ALL_TYPES}terminology_test2.ehrbase.org.v1.opt`],
  [`${IT}compositions/valid/minimal_evaluation_1.composition.json`, `${AQL}opts/external/minimal_evaluation.opt`],
  [`${QUERY}all_types_v2.composition.json`, `${ALL_TYPES}Test_all_types_v2.opt`],
  [`${QUERY}minimal_admin_1.composition.json`, `${IT}valid_templates/minimal/minimal_admin.opt`],
  [`${QUERY}minimal_admin_2.composition.json`, `${IT}valid_templates/minimal/minimal_admin.opt`],
  [`${QUERY}minimal_admin_3.composition.json`, `${IT}valid_templates/minimal/minimal_admin_updated.opt`],
  [`${QUERY}minimal_evaluation_1.composition.json`, `${SDK}operationaltemplate/minimal_evaluation.opt`],
  [`${QUERY}minimal_evaluation_2.composition.json`, `${SDK}operationaltemplate/minimal_evaluation.opt`],
  [`${QUERY}minimal_evaluation_3.composition.json`, `${SDK}operationaltemplate/minimal_evaluation.opt`],
  [`${QUERY}minimal_evaluation_4.composition.json`, `${SDK}operationaltemplate/minimal_evaluation.opt`],
  [`${QUERY}minimal_instruction_1.composition.json`, `${IT}valid_templates/minimal/minimal_instruction.opt`],
  [`${QUERY}minimal_instruction_2.composition.json`, `${IT}valid_templates/minimal/minimal_instruction.opt`],
  [`${QUERY}minimal_instruction_3.composition.json`, `${IT}valid_templates/minimal/minimal_instruction.opt`],
  [`${QUERY}minimal_instruction_4.composition.json`, `${IT}valid_templates/minimal/minimal_instruction.opt`],
  [`${QUERY}minimal_observation_1.composition.json`, `${IT}valid_templates/minimal/minimal_observation.opt`],
  [`${QUERY}minimal_observation_2.composition.json`, `${IT}valid_templates/minimal/minimal_observation.opt`],
  [`${QUERY}minimal_observation_3.composition.json`, `${IT}valid_templates/minimal/minimal_observation.opt`],
  [`${QUERY}minimal_observation_4.composition.json`, `${IT}valid_templates/minimal/minimal_observation.opt`],
  [`${IT}valid_templates/minimal/minimal_action_2.instance.composition.json`, `${IT}valid_templates/minimal/minimal_action_2.opt`],
  [
    `${IT}valid_templates/minimal/minimal_action_2.instance.composition.json`,
    `${IT}valid_templates/minimal/minimal_action_2_with_proportion_is_integral.opt`,
  ],
  [
    `${IT}valid_templates/minimal/minimal_observation.composition.participations.extdatetimes.ehrscape.json`,
    `${IT}valid_templates/minimal/minimal_observation.opt`,
  ],
  [`${SDK}composition/canonical_json/minimal_evaluation.json`, `${SDK}operationaltemplate/minimal_evaluation.opt`],
  [`${SDK}composition/canonical_json/minimal_instruction.json`, `${SDK}operationaltemplate/minimal_instruction.opt`],
  [`${SDK}composition/canonical_json/multi_occurrence.json`, `${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`],
  [`${SDK}composition/canonical_json/nested.en.v1.json`, `${SDK}operationaltemplate/nested.en.v1.opt`],
];

describe('valid fixtures', () => {
  it.each(VALID)('%s is valid against %s', (composition, template) => {
    expect(issuesOf(composition, template)).toEqual([]);
  });
});

describe('fixtures meant to be refused', () => {
  it('nodes_in_template_invalid: flags every node id the template does not define', () => {
    const issues = issuesOf(`${CANONICAL}nodes_in_template_invalid__.json`, `${ALL_TYPES}nodes_in_template_invalid.opt`);
    const items = '/content[openEHR-EHR-OBSERVATION.test_all_types.v1]/data[at0001]/events[at0002]/data[at0003]/items';
    const unknown = issues.filter((issue) => issue.constraint.startsWith('archetype_node_id in {at0004, at0005'));
    expect(unknown.map((issue) => issue.path)).toEqual(
      ['at0010.1', 'at0010.2', 'at0010.21', 'at0010.3', 'at0010.4', 'at0012.1', 'at0012.2', 'at0012.3', 'at0012.4', 'at0014'].map(
        (id) => `${items}[${id}]`,
      ),
    );
    expect(unknown[0]).toMatchObject({ value: 'at0010.1' });
    expect(issues).toHaveLength(unknown.length);
  });

  it('nested.en.v1__invalid_opt_doesnt_exist: names a template that is not the one validated against', () => {
    expect(issuesOf(`${CANONICAL}nested.en.v1__invalid_opt_doesnt_exist.json`, `${AQL}opts/nested.opt`)).toEqual([
      {
        path: '/archetype_details/template_id/value',
        constraint: 'template_id = nested.en.v1',
        message: "the composition names template 'not_exist' but is being validated against 'nested.en.v1'",
        value: 'not_exist',
      },
    ]);
  });

  it('*__invalid_wrong_structure: are not JSON; with the missing brace restored the RM still refuses the nested one', () => {
    for (const file of ['nested.en.v1__invalid_wrong_structure.json', 'persistent_minimal.en.v1__invalid_wrong_structure.json']) {
      expect(() => JSON.parse(fixtures.text(`${CANONICAL}${file}`)) as unknown).toThrow(SyntaxError);
    }
    const repaired: unknown = JSON.parse(`{${fixtures.text(`${CANONICAL}nested.en.v1__invalid_wrong_structure.json`)}`);
    expect(brief(validateComposition(repaired, fixtures.template(`${AQL}opts/nested.opt`)))).toEqual([
      { path: '/', constraint: 'RM known type' },
    ]);
  });

  it('clinical_content_validation__full: archetypes and names the template does not have', () => {
    const issues = brief(
      issuesOf(`${CANONICAL}clinical_content_validation__full.json`, `${IT}valid_templates/validation/clinical_content_validation.opt`),
    );
    expect(issues).toContainEqual({
      path: '/content[openEHR-EHR-EVALUATION.validation_evaliation_test.v0]/name/value',
      constraint: 'value in {Validation evaluation wth single}',
    });
    for (const archetype of ['INSTRUCTION.instruction_test.v0', 'ACTION.action_test.v0', 'OBSERVATION.observation_test.v0']) {
      expect(issues).toContainEqual(
        expect.objectContaining({
          path: `/content[openEHR-EHR-${archetype}]`,
          constraint: expect.stringMatching(/^archetype_node_id in \{openEHR-EHR-SECTION/) as unknown,
        }),
      );
    }
  });

  it('cardinality_of_section__full: ten sections where the template allows exactly one content item', () => {
    expect(
      brief(issuesOf(`${CANONICAL}cardinality_of_section__full.json`, `${IT}valid_templates/validation/cardinality_of_section.opt`)),
    ).toEqual([{ path: '/content', constraint: 'cardinality 1..1' }]);
  });

  it('a composition of an earlier template revision: nested.en.v1 data against the updated nested OPT', () => {
    expect(brief(issuesOf(`${CANONICAL}nested.en.v1__full.json`, `${IT}valid_templates/nested/nested_updated.opt`))).toEqual([
      {
        path:
          '/content[openEHR-EHR-SECTION.nested.v1]/items[openEHR-EHR-INSTRUCTION.nested.v1]/activities[at0001]' +
          '/description[openEHR-EHR-ITEM_TREE.nested.v1]/items[openEHR-EHR-CLUSTER.nested.v1]/items[openEHR-EHR-CLUSTER.nested2.v1]',
        constraint: 'archetype_node_id in {at0001, at0002, openEHR-EHR-CLUSTER.nested3.v1}',
      },
    ]);
  });
});

describe('terminology fixtures (need a terminology service for external value sets)', () => {
  const surfaceCodes = new Set(['M', 'O', 'D', 'I', 'L', 'V', 'B', 'P', 'DI', 'MO', 'DO', 'MOD', 'MODL', 'MODB']);
  const valueSets: Record<string, (code: string, terminologyId: string) => boolean> = {
    'terminology://fhir.hl7.org/ValueSet/$expand?url=http://terminology.hl7.org/ValueSet/surface': (code, terminologyId) =>
      terminologyId === 'http://terminology.hl7.org/CodeSystem/FDI-surface' && surfaceCodes.has(code),
    'terminology://fhir.hl7.org/ValueSet/$expand?url=urn:oid:2.16.724.4.21.5.8.16': (_code, terminologyId) =>
      terminologyId === 'http://localhost:8081/fhir/CodeSystem/2.16.840.1.113883.6.96',
  };
  const terminology: TerminologyCheck = {
    isValidCode: ({ terminologyId, code, valueSetUri }) =>
      valueSetUri === undefined ? undefined : valueSets[valueSetUri]?.(code, terminologyId),
  };
  const validate = (file: string, template: string): ValidationIssue[] =>
    validateComposition(fixtures.composition(`${CANONICAL}${file}`), fixtures.template(`${ALL_TYPES}${template}`), { terminology });
  const surface =
    '/content[openEHR-EHR-OBSERVATION.terminology_test.v0]/data[at0001]/events[at0002,0]/data[at0003]/items[at0004]/value/defining_code/code_string';

  it('accepts codes of the value set', () => {
    for (const file of [
      'terminology_test.ehrbase.org.v1.json',
      'terminology_test.ehrbase.org.v1__valid.json',
      'terminology_test.ehrbase.org.v1_update_valid_codes.json',
    ]) {
      expect(validate(file, 'terminology_test.ehrbase.org.v1.opt')).toEqual([]);
    }
    expect(validate('terminology_test2.ehrbase.org.v1.json', 'terminology_test2.ehrbase.org.v1.opt')).toEqual([]);
  });

  it('refuses codes outside the value set', () => {
    const issues = validate('terminology_test.ehrbase.org.v1__invalid.json', 'terminology_test.ehrbase.org.v1.opt');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      value: 'non-existing-code-string',
      constraint: expect.stringMatching(/^code in terminology:\/\/fhir/) as unknown,
    });
    expect(issues[0]?.path).toMatch(/\/value\/defining_code\/code_string$/);
    expect(
      brief(validate('terminology_test.ehrbase.org.v1_non_existing_code.json', 'terminology_test.ehrbase.org.v1.opt')).map(
        (issue) => issue.path,
      ),
    ).toEqual([surface]);
    expect(
      validate('terminology_test.ehrbase.org.v1_update_invalid_codes.json', 'terminology_test.ehrbase.org.v1.opt').map(
        (issue) => issue.value,
      ),
    ).toEqual(['CCCC', 'AAAA', 'BBBB']);
  });

  it('refuses a code system the value set does not draw from', () => {
    const issues = validate('terminology_test2.ehrbase.org.v1__invalid_code_system.json', 'terminology_test2.ehrbase.org.v1.opt');
    expect(issues).toHaveLength(3);
    expect(issues.every((issue) => issue.path.endsWith('/value/defining_code/code_string'))).toBe(true);
  });

  it('without a terminology service, codes of a value set are accepted', () => {
    expect(
      issuesOf(`${CANONICAL}terminology_test.ehrbase.org.v1__invalid.json`, `${ALL_TYPES}terminology_test.ehrbase.org.v1.opt`),
    ).toEqual([]);
  });
});

/**
 * Fixtures EHRbase stores although they break a rule of the openEHR specifications; the
 * validator follows the specifications (see README.md, "Fixtures refused on purpose").
 */
describe('fixtures that break the specifications although EHRbase accepts them', () => {
  it('a fraction (type 3) with precision 1 breaks DV_PROPORTION Fraction_validity', () => {
    for (const file of [`${IT}data_load/compositions/minimal_action2_1.composition.json`, `${QUERY}minimal_action2_2.composition.json`]) {
      expect(brief(issuesOf(file, `${IT}valid_templates/minimal/minimal_action_2.opt`))).toEqual([
        {
          path: '/content[openEHR-EHR-ACTION.minimal_2.v1]/description[at0001]/items[at0002]/value/precision',
          constraint: 'invariant Fraction_validity',
        },
      ]);
    }
  });

  it('a duration with years where the C_DURATION pattern PTM allows only minutes', () => {
    expect(issuesOf(`${AQL}compositions/external/minimal_instruction_4.json`, `${AQL}opts/external/minimal_instruction.opt`)).toEqual([
      {
        path: '/content[openEHR-EHR-INSTRUCTION.minimal.v1]/activities[at0001]/description[at0002]/items[at0003]/value/value',
        constraint: 'pattern PTM',
        message: "value 'P1Y' uses Y, which the pattern PTM does not allow",
        value: 'P1Y',
      },
    ]);
  });

  it('a full date where the C_DATE pattern yyyy-??-XX prohibits the day', () => {
    expect(brief(issuesOf(`${QUERY}all_types.composition.json`, `${ALL_TYPES}Test_all_types.opt`))).toEqual([
      {
        path:
          '/content[openEHR-EHR-SECTION.test_all_types.v1]/items[at0001]/items[at0002]/items[openEHR-EHR-INSTRUCTION.test_all_types.v1]' +
          '/activities[at0001]/description[at0002]/items[at0003]/value/value',
        constraint: 'pattern yyyy-??-XX',
      },
    ]);
  });

  it('all_types_systematic_tests: a DV_TEXT where DV_URI is required, a coded text with another text (a URI without scheme is fine)', () => {
    const issues = brief(issuesOf(`${AQL}compositions/external/all_types_systematic_tests.json`, `${ALL_TYPES}Test_all_types.opt`));
    expect(issues).toContainEqual({
      path: '/content[openEHR-EHR-EVALUATION.test_all_types.v1]/data[at0001]/items[at0002]/value',
      constraint: 'type DV_URI',
    });
    expect(issues.map((issue) => issue.constraint)).not.toContain('invariant Value_valid');
    expect(issues).toContainEqual({
      path: '/content[openEHR-EHR-OBSERVATION.test_all_types.v1]/data[at0001]/events[at0002]/data[at0003]/items[at0005]/value/value',
      constraint: "term text 'coded text terminology'",
    });
  });

  it('external/minimal_evaluation: elements the template does not define', () => {
    expect(brief(issuesOf(`${AQL}compositions/external/minimal_evaluation.json`, `${AQL}opts/external/minimal_evaluation.opt`))).toEqual(
      ['at0003', 'at0004', 'at0005'].map((id) => ({
        path: `/content[openEHR-EHR-EVALUATION.minimal.v1]/data[at0001]/items[${id}]`,
        constraint: 'archetype_node_id in {at0002}',
      })),
    );
  });

  it('family_history.v.1.2.3: EVALUATION has no time_asserted in RM 1.1.0', () => {
    expect(brief(issuesOf(`${CANONICAL}family_history.v.1.2.3__.json`, `${ALL_TYPES}family_history.v.1.2.3.opt`))).toEqual([
      { path: '/content[openEHR-EHR-EVALUATION.family_history.v2]/time_asserted', constraint: 'RM known attribute' },
    ]);
  });
});

describe('more fixtures that break the specifications', () => {
  it.each([
    [`${AQL}compositions/external/minimal_instruction_2.json`, 'P65Y5M12D'],
    [`${AQL}compositions/external/minimal_instruction_3.json`, 'P101Y'],
    [`${CANONICAL}minimal_instruction_1.composition.json`, 'P1Y'],
  ])('%s: %s under the pattern PTM', (file, duration) => {
    expect(issuesOf(file, `${IT}valid_templates/minimal/minimal_instruction.opt`)).toEqual([
      expect.objectContaining({ constraint: 'pattern PTM', value: duration }),
    ]);
  });

  it.each([
    `${IT}data_load/compositions/minimal_action2_2.composition.json`,
    `${IT}data_load/compositions/minimal_action2_3.composition.json`,
    `${QUERY}minimal_action2_1.composition.json`,
  ])('%s: Fraction_validity', (file) => {
    expect(issuesOf(file, `${IT}valid_templates/minimal/minimal_action_2.opt`).map((issue) => issue.constraint)).toEqual([
      'invariant Fraction_validity',
    ]);
  });

  it('all_types_systematic_tests_feeder_audit: feeder_system_audit is not an RM attribute', () => {
    const issues = brief(
      issuesOf(`${AQL}compositions/external/all_types_systematic_tests_feeder_audit.json`, `${ALL_TYPES}Test_all_types.opt`),
    );
    expect(issues).toContainEqual({
      path: '/content[openEHR-EHR-SECTION.test_all_types.v1]/items[at0001]/items[openEHR-EHR-ADMIN_ENTRY.test_all_types.v1]/feeder_system_audit',
      constraint: 'RM known attribute',
    });
  });
});

/** Composition fixtures checked by the specific tests above rather than listed in VALID. */
const COVERED_ELSEWHERE = new Set([
  `${CANONICAL}nodes_in_template_invalid__.json`,
  `${CANONICAL}nested.en.v1__invalid_opt_doesnt_exist.json`,
  `${CANONICAL}clinical_content_validation__full.json`,
  `${CANONICAL}cardinality_of_section__full.json`,
  `${CANONICAL}terminology_test.ehrbase.org.v1__invalid.json`,
  `${CANONICAL}terminology_test.ehrbase.org.v1_non_existing_code.json`,
  `${CANONICAL}terminology_test.ehrbase.org.v1_update_invalid_codes.json`,
  `${CANONICAL}terminology_test2.ehrbase.org.v1__invalid_code_system.json`,
  `${CANONICAL}family_history.v.1.2.3__.json`,
  `${CANONICAL}minimal_instruction_1.composition.json`,
  `${IT}data_load/compositions/minimal_action2_1.composition.json`,
  `${IT}data_load/compositions/minimal_action2_2.composition.json`,
  `${IT}data_load/compositions/minimal_action2_3.composition.json`,
  `${QUERY}minimal_action2_1.composition.json`,
  `${QUERY}minimal_action2_2.composition.json`,
  `${QUERY}all_types.composition.json`,
  `${AQL}compositions/external/minimal_instruction_2.json`,
  `${AQL}compositions/external/minimal_instruction_3.json`,
  `${AQL}compositions/external/minimal_instruction_4.json`,
  `${AQL}compositions/external/all_types_systematic_tests.json`,
  `${AQL}compositions/external/all_types_systematic_tests_feeder_audit.json`,
  `${AQL}compositions/external/minimal_evaluation.json`,
  ...[
    'boolean_true_false.v0',
    'count_range_constraint.v0',
    'interval_dv_count_lower_upper_constraint.v0',
    'interval_dv_count_open_constraint.v0',
    'interval_dv_quantity_lower_upper_constraint.v0',
    'interval_dv_quantity_open_constraint.v0',
    'multimedia_open_constraint.v0',
    'ordinal_open_constraint.v0',
    'ordinal_with_constraints.v0',
    'parsable_open_constraint.v0',
    'proportion_open_constraint.v0',
    'proportion_open_constraint_precision_1.v0',
    'quantity_open_constraint.v0',
    'quantity_property_constrained.v0',
    'quantity_property_units_constrained.v0',
    'quantity_property_units_constrained_with_magnitude_range.v0',
  ].map((name) => `${CANONICAL}Test_dv_${name}__.json`),
]);

describe('fixture coverage', () => {
  it('every canonical JSON composition whose template is among the fixtures is checked', () => {
    const root = new URL('../../../test/fixtures/openehr/', import.meta.url);
    const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).map((file) => file.split(sep).join('/'));
    const templateIds = new Set(
      files
        .filter((file) => file.endsWith('.opt'))
        .map((file) => /<template_id>\s*<value>([^<]*)<\/value>/.exec(fixtures.text(file))?.[1]?.trim()),
    );
    const listed = new Set([...VALID.map(([composition]) => composition), ...COVERED_ELSEWHERE]);
    const unchecked = files.filter((file) => {
      if (!file.endsWith('.json')) return false;
      const text = fixtures.text(file);
      if (!text.includes('"COMPOSITION"')) return false;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return false;
      }
      const templateId =
        typeof json === 'object' && json !== null && (json as JsonObject)._type === 'COMPOSITION'
          ? objectAt(json, 'archetype_details').template_id
          : undefined;
      const id = typeof templateId === 'object' && templateId !== null ? (templateId as JsonObject).value : undefined;
      return typeof id === 'string' && templateIds.has(id) && !listed.has(file);
    });
    expect(unchecked).toEqual([]);
  });
});

// --- the Test_dv_* data sets: one ELEMENT per data type, its value varied case by case ----------

const OBSERVATION = '/content[openEHR-EHR-OBSERVATION.test123.v0]/data[at0001]';

/** Validates the fixture with `value` as the ELEMENT value of each of its three events. */
function dvCase(name: string, template = name): (value: JsonObject) => ValidationIssue[] {
  const base = fixtures.composition(`${CANONICAL}${name}__.json`);
  const validator = compileTemplateValidator(fixtures.template(`${ALL_TYPES}${template}.opt`));
  return (value) => {
    const composition = structuredClone(base);
    for (const event of listAt(composition, 'content', 0, 'data', 'events')) {
      objectAt(event, 'data', 'items', 0).value = structuredClone(value);
    }
    return validator.validate(composition);
  };
}

/** The issues expected in each of the three events, at `value` + `subPath`. */
function perEvent(element: string, expected: readonly { subPath: string; constraint: string }[]): { path: string; constraint: string }[] {
  return [0, 1, 2].flatMap((event) =>
    expected.map(({ subPath, constraint }) => ({
      path: `${OBSERVATION}/events[at0002,${event}]/data[at0003]/items[${element}]/value${subPath}`,
      constraint,
    })),
  );
}

const coded = (code: string, terminologyId = 'local', text = code): JsonObject => ({
  _type: 'DV_CODED_TEXT',
  value: text,
  defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminologyId }, code_string: code },
});

describe('DV_BOOLEAN (C_BOOLEAN true_valid / false_valid)', () => {
  const bool = (value: boolean): JsonObject => ({ _type: 'DV_BOOLEAN', value });
  it('anything allowed', () => {
    const validate = dvCase('Test_dv_boolean.v0');
    expect(validate(bool(true))).toEqual([]);
    expect(validate(bool(false))).toEqual([]);
  });
  it('only true allowed', () => {
    const validate = dvCase('Test_dv_boolean_true_false.v0');
    expect(validate(bool(true))).toEqual([]);
    expect(brief(validate(bool(false)))).toEqual(perEvent('at0029', [{ subPath: '/value', constraint: 'value in {true}' }]));
  });
  it('only false allowed', () => {
    const validate = dvCase('Test_dv_boolean_false_true.v0');
    expect(validate(bool(false))).toEqual([]);
    expect(brief(validate(bool(true)))).toEqual(perEvent('at0029', [{ subPath: '/value', constraint: 'value in {false}' }]));
  });
});

describe('DV_IDENTIFIER (C_STRING pattern XYZ.* on every attribute)', () => {
  const validate = dvCase('Test_dv_identifier_pattern_constraint.v0');
  const identifier = (fields: Record<string, string>): JsonObject => ({
    _type: 'DV_IDENTIFIER',
    id: 'XYZ',
    issuer: 'XYZ',
    assigner: 'XYZ',
    type: 'XYZ',
    ...fields,
  });
  it('accepts matching values', () => {
    expect(validate(identifier({ id: 'XYZ-123', issuer: 'XYZ' }))).toEqual([]);
  });
  it.each(['issuer', 'assigner', 'id', 'type'])('refuses %s ABC', (field) => {
    expect(brief(validate(identifier({ [field]: 'ABC' })))).toEqual(
      perEvent('at0030', [{ subPath: `/${field}`, constraint: 'pattern XYZ.*' }]),
    );
  });
  it('refuses a missing id (RM mandatory)', () => {
    const { id: _id, ...withoutId } = identifier({});
    expect(brief(validate(withoutId))).toEqual(perEvent('at0030', [{ subPath: '/id', constraint: 'RM mandatory attribute' }]));
  });
});

describe('DV_TEXT (C_STRING)', () => {
  it('open constraint', () => {
    const validate = dvCase('Test_dv_text_open_constraint.v0');
    expect(validate({ _type: 'DV_TEXT', value: 'ABC' })).toEqual([]);
    expect(brief(validate({ _type: 'DV_TEXT' }))).toEqual(
      perEvent('at0031', [{ subPath: '/value', constraint: 'RM mandatory attribute' }]),
    );
  });
  it('single value list', () => {
    const validate = dvCase('Test_dv_text_pattern_constraint.v0');
    expect(validate({ _type: 'DV_TEXT', value: 'XYZ' })).toEqual([]);
    expect(brief(validate({ _type: 'DV_TEXT', value: 'ABC' }))).toEqual(
      perEvent('at0031', [{ subPath: '/value', constraint: 'value in {XYZ}' }]),
    );
    // A DV_CODED_TEXT may stand where DV_TEXT is allowed, but its text must still satisfy the C_STRING.
    expect(validate(coded('42', 'local', 'XYZ'))).toEqual([]);
    expect(brief(validate(coded('42', 'local', 'ABC')))).toEqual(perEvent('at0031', [{ subPath: '/value', constraint: 'value in {XYZ}' }]));
  });
  it('list (the element name is constrained to MY_DV_TEXT, not the value)', () => {
    const validate = dvCase('Test_dv_text_list_constraint.v0');
    for (const value of ['XYZ', 'OPQ']) expect(validate({ _type: 'DV_TEXT', value })).toEqual([]);
    for (const value of ['ABC', 'MY_DV_TEXT']) {
      expect(brief(validate({ _type: 'DV_TEXT', value }))).toEqual(
        perEvent('at0031', [{ subPath: '/value', constraint: 'value in {XYZ, OPQ}' }]),
      );
    }
  });
});

describe('DV_CODED_TEXT (C_CODE_PHRASE)', () => {
  it('open constraint accepts any terminology', () => {
    const validate = dvCase('Test_dv_coded_text_open_constraint.v0');
    expect(validate(coded('ABC'))).toEqual([]);
    expect(validate(coded('82272006', 'SNOMED-CT', 'Disease'))).toEqual([]);
    expect(brief(validate({ _type: 'DV_CODED_TEXT', value: 'x', defining_code: { _type: 'CODE_PHRASE', code_string: 'ABC' } }))).toEqual(
      perEvent('at0034', [{ subPath: '/defining_code/terminology_id', constraint: 'RM mandatory attribute' }]),
    );
  });
  it('local codes', () => {
    const validate = dvCase('Test_dv_coded_text_with_local_codes.v0');
    expect(validate(coded('at0035', 'local', 'ABC'))).toEqual([]);
    expect(validate(coded('at0036', 'local', 'OPQ'))).toEqual([]);
    expect(brief(validate(coded('82272006', 'SNOMED-CT', 'ABC')))).toEqual(
      perEvent('at0034', [{ subPath: '/defining_code/terminology_id/value', constraint: 'terminology local' }]),
    );
    expect(brief(validate(coded('at0037', 'local', 'ABC')))).toEqual(
      perEvent('at0034', [{ subPath: '/defining_code/code_string', constraint: 'code in {at0035, at0036}' }]),
    );
    // The text of a local code is the term text, compared case-sensitively.
    expect(brief(validate(coded('at0036', 'local', 'opq')))).toEqual(
      perEvent('at0034', [{ subPath: '/value', constraint: "term text 'OPQ'" }]),
    );
  });
});

describe('DV_COUNT (C_INTEGER)', () => {
  const count = (magnitude: number): JsonObject => ({ _type: 'DV_COUNT', magnitude });
  it('open constraint', () => {
    const validate = dvCase('Test_dv_count_open_constraint.v0');
    for (const magnitude of [0, 1, 15, 30]) expect(validate(count(magnitude))).toEqual([]);
    expect(brief(validate({ _type: 'DV_COUNT' }))).toEqual(
      perEvent('at0042', [{ subPath: '/magnitude', constraint: 'RM mandatory attribute' }]),
    );
  });
  it('range 10..20', () => {
    const validate = dvCase('Test_dv_count_range_constraint.v0');
    expect(validate(count(15))).toEqual([]);
    for (const magnitude of [0, 1, 30]) {
      expect(brief(validate(count(magnitude)))).toEqual(perEvent('at0042', [{ subPath: '/magnitude', constraint: 'magnitude 10..20' }]));
    }
  });
});

describe('DV_QUANTITY (C_DV_QUANTITY)', () => {
  const quantity = (magnitude: number, units: string): JsonObject => ({ _type: 'DV_QUANTITY', magnitude, units });
  it('open constraint', () => {
    const validate = dvCase('Test_dv_quantity_open_constraint.v0');
    for (const magnitude of [0, 1, 5.7, 10]) expect(validate(quantity(magnitude, 'cm'))).toEqual([]);
    expect(brief(validate({ _type: 'DV_QUANTITY', magnitude: 1 }))).toEqual(
      perEvent('at0043', [{ subPath: '/units', constraint: 'RM mandatory attribute' }]),
    );
  });
  it('property with one unit', () => {
    const validate = dvCase('Test_dv_quantity_property_constrained.v0');
    expect(validate(quantity(5.7, 'cm'))).toEqual([]);
    expect(brief(validate(quantity(0, 'mg')))).toEqual(perEvent('at0043', [{ subPath: '/units', constraint: 'units in {cm}' }]));
  });
  it('units cm and m', () => {
    const validate = dvCase('Test_dv_quantity_property_units_constrained.v0');
    expect(validate(quantity(0, 'cm'))).toEqual([]);
    expect(validate(quantity(10, 'm'))).toEqual([]);
    for (const units of ['km', 'mg']) {
      expect(brief(validate(quantity(0, units)))).toEqual(perEvent('at0043', [{ subPath: '/units', constraint: 'units in {cm, m}' }]));
    }
  });
  it('cm limited to 5..10', () => {
    const validate = dvCase('Test_dv_quantity_property_units_constrained_with_magnitude_range.v0');
    for (const magnitude of [5.7, 10]) expect(validate(quantity(magnitude, 'cm'))).toEqual([]);
    expect(validate(quantity(0, 'm'))).toEqual([]);
    for (const magnitude of [0, 1]) {
      expect(brief(validate(quantity(magnitude, 'cm')))).toEqual(
        perEvent('at0043', [{ subPath: '/magnitude', constraint: 'magnitude 5..10' }]),
      );
    }
    expect(brief(validate(quantity(0, 'km')))).toEqual(perEvent('at0043', [{ subPath: '/units', constraint: 'units in {cm, m}' }]));
  });
});

describe('DV_ORDINAL (C_DV_ORDINAL)', () => {
  const ordinal = (value: number, code: string, text = 'local::at0005'): JsonObject => ({
    _type: 'DV_ORDINAL',
    value,
    symbol: coded(code, 'local', text),
  });
  it('open constraint', () => {
    const validate = dvCase('Test_dv_ordinal_open_constraint.v0');
    expect(validate(ordinal(1, 'at0005'))).toEqual([]);
    expect(validate(ordinal(666, 'at0005'))).toEqual([]);
    expect(brief(validate({ _type: 'DV_ORDINAL', value: 1 }))).toEqual(
      perEvent('at0037', [{ subPath: '/symbol', constraint: 'RM mandatory attribute' }]),
    );
  });
  it('list 1|at0039', () => {
    const validate = dvCase('Test_dv_ordinal_with_constraints.v0');
    expect(validate(ordinal(1, 'at0039'))).toEqual([]);
    expect(brief(validate(ordinal(666, 'at0039')))).toEqual(
      perEvent('at0037', [{ subPath: '/value', constraint: 'ordinal in {1|at0039}' }]),
    );
    expect(brief(validate(ordinal(1, 'at0666')))).toEqual(
      perEvent('at0037', [{ subPath: '/symbol/defining_code/code_string', constraint: 'ordinal in {1|at0039}' }]),
    );
    expect(brief(validate(ordinal(1, 'at0039', 'one')))).toEqual(
      perEvent('at0037', [{ subPath: '/symbol/value', constraint: "term text 'local::at0005'" }]),
    );
  });
});

describe('DV_PROPORTION (RM invariants, C_INTEGER on precision)', () => {
  const proportion = (type: number, numerator: number, denominator: number, precision?: number): JsonObject => ({
    _type: 'DV_PROPORTION',
    type,
    numerator,
    denominator,
    ...(precision !== undefined ? { precision } : {}),
  });
  const validate = dvCase('Test_dv_proportion_open_constraint.v0');
  it.each([
    [0, 10, 500],
    [1, 10, 1],
    [2, 10, 100],
    [3, 10, 100],
    [4, 10, 100],
  ])('type %i: %i/%i is accepted', (type, numerator, denominator) => {
    expect(validate(proportion(type, numerator, denominator, 0))).toEqual([]);
  });
  it.each([
    [0, 10, 0, 0, '/denominator', 'Valid_denominator'],
    [1, 10, 0, 0, '/denominator', 'Valid_denominator'],
    [1, 10, 500, 0, '/denominator', 'Unitary_validity'],
    [2, 10, 500, 0, '/denominator', 'Percent_validity'],
    [3, 10, 0, 0, '/denominator', 'Valid_denominator'],
    [3, 10, 500, 1, '/precision', 'Fraction_validity'],
    [4, 10.5, 500, undefined, '/numerator', 'Fraction_validity'],
    [0, 10.5, 500, 0, '/numerator', 'Is_integral_validity'],
  ])('type %i: %d/%d precision %s breaks %s', (type, numerator, denominator, precision, subPath, name) => {
    expect(brief(validate(proportion(type, numerator, denominator, precision)))).toContainEqual(
      perEvent('at0044', [{ subPath, constraint: `invariant ${name}` }])[0],
    );
  });
  it('type 666 is not a proportion kind', () => {
    expect(brief(validate(proportion(666, 10, 500, 0)))).toEqual(perEvent('at0044', [{ subPath: '/type', constraint: 'RM value format' }]));
  });
  it('precision constrained to 1', () => {
    const precisionOne = dvCase('Test_dv_proportion_open_constraint_precision_1.v0');
    expect(precisionOne(proportion(0, 10.5, 500, 1))).toEqual([]);
    expect(brief(precisionOne(proportion(0, 10, 500, 0)))).toEqual(
      perEvent('at0044', [{ subPath: '/precision', constraint: 'precision 1' }]),
    );
    expect(brief(precisionOne(proportion(3, 10, 500, 1)))).toEqual(
      perEvent('at0044', [{ subPath: '/precision', constraint: 'invariant Fraction_validity' }]),
    );
  });
});

describe('DV_INTERVAL', () => {
  const count = (magnitude: number): JsonObject => ({ _type: 'DV_COUNT', magnitude });
  const interval = (
    lower: JsonObject | undefined,
    upper: JsonObject | undefined,
    lowerIncluded: boolean,
    upperIncluded: boolean,
  ): JsonObject => ({
    _type: 'DV_INTERVAL',
    ...(lower ? { lower } : {}),
    ...(upper ? { upper } : {}),
    lower_unbounded: lower === undefined,
    upper_unbounded: upper === undefined,
    lower_included: lowerIncluded,
    upper_included: upperIncluded,
  });

  it('<DV_COUNT> open: the interval invariants', () => {
    const validate = dvCase('Test_dv_interval_dv_count_open_constraint.v0');
    const accepted: [JsonObject | undefined, JsonObject | undefined, boolean, boolean][] = [
      [undefined, undefined, false, false],
      [undefined, count(100), false, true],
      [count(0), undefined, true, false],
      [count(-20), count(-5), false, false],
      [count(-50), count(50), true, true],
    ];
    for (const [lower, upper, lowerIncluded, upperIncluded] of accepted)
      expect(validate(interval(lower, upper, lowerIncluded, upperIncluded))).toEqual([]);
    expect(brief(validate(interval(undefined, undefined, true, false)))).toEqual(
      perEvent('at0046', [{ subPath: '/lower_included', constraint: 'invariant Lower_included_valid' }]),
    );
    expect(brief(validate(interval(count(0), undefined, false, true)))).toEqual(
      perEvent('at0046', [{ subPath: '/upper_included', constraint: 'invariant Upper_included_valid' }]),
    );
    expect(brief(validate(interval(count(200), count(100), true, true)))).toEqual(
      perEvent('at0046', [{ subPath: '/lower', constraint: 'invariant Limits_consistent' }]),
    );
  });

  it('<DV_COUNT> limits in 0..100', () => {
    const validate = dvCase('Test_dv_interval_dv_count_lower_upper_constraint.v0');
    expect(validate(interval(count(0), count(100), true, true))).toEqual([]);
    expect(brief(validate(interval(count(-10), count(200), true, true)))).toEqual(
      perEvent('at0046', [
        { subPath: '/lower/magnitude', constraint: 'magnitude 0..100' },
        { subPath: '/upper/magnitude', constraint: 'magnitude 0..100' },
      ]),
    );
  });

  it('<DV_QUANTITY> open and limited to 0..100 Cel', () => {
    const quantity = (magnitude: number, units: string): JsonObject => ({ _type: 'DV_QUANTITY', magnitude, units });
    const open = dvCase('Test_dv_interval_dv_quantity_open_constraint.v0');
    expect(open(interval(quantity(10, 'mg'), quantity(100, 'mg'), true, true))).toEqual([]);
    expect(brief(open(interval(quantity(200, 'mg'), quantity(100, 'mg'), true, true)))).toEqual(
      perEvent('at0046', [{ subPath: '/lower', constraint: 'invariant Limits_consistent' }]),
    );
    const limited = dvCase('Test_dv_interval_dv_quantity_lower_upper_constraint.v0');
    expect(limited(interval(quantity(0, 'Cel'), quantity(100, 'Cel'), true, true))).toEqual([]);
    expect(brief(limited(interval(quantity(-10, 'Cel'), quantity(100, 'Cel'), true, true)))).toEqual(
      perEvent('at0046', [{ subPath: '/lower/magnitude', constraint: 'magnitude 0..100' }]),
    );
    expect(brief(limited(interval(quantity(0, 'Cel'), { _type: 'DV_COUNT', magnitude: 5 }, true, true)))).toEqual(
      perEvent('at0046', [{ subPath: '/upper', constraint: 'type DV_QUANTITY' }]),
    );
  });

  it('<DV_DATE_TIME> open', () => {
    const validate = dvCase('Test_quantity_dv_interval_dv_date_time_open_constraint.v0');
    const dateTime = (value: string): JsonObject => ({ _type: 'DV_DATE_TIME', value });
    expect(validate(interval(dateTime('2021-10-24T05:30:47Z'), dateTime('2022-01-15T10:45:13Z'), true, true))).toEqual([]);
    expect(brief(validate(interval(dateTime('2022-01-15'), dateTime('2021-10-24'), true, true)))).toEqual(
      perEvent('at0047', [{ subPath: '/lower', constraint: 'invariant Limits_consistent' }]),
    );
  });
});

describe('DV_DATE_TIME (C_DATE_TIME pattern yyyy-mm-ddTHH:MM:SS)', () => {
  const validate = dvCase('Test_dv_date_time_validity_kind_constraint_v0');
  const dateTime = (value: string): JsonObject => ({ _type: 'DV_DATE_TIME', value });
  it('accepts values down to the second', () => {
    for (const value of ['2021-10-24T10:30:47Z', '2021-10-24T10:30:47.333-03:00', '20211024T103047'])
      expect(validate(dateTime(value))).toEqual([]);
  });
  it('refuses partial values and values that are not ISO 8601', () => {
    for (const value of ['2021-10-24T10:30', '2021-10-24', '2021']) {
      expect(brief(validate(dateTime(value)))).toEqual(
        perEvent('at0023', [{ subPath: '/value', constraint: 'pattern yyyy-mm-ddTHH:MM:SS' }]),
      );
    }
    expect(brief(validate(dateTime('2021-10-24T25:30:47')))).toEqual(
      perEvent('at0023', [{ subPath: '/value', constraint: 'RM value format' }]),
    );
  });
});

describe('DV_MULTIMEDIA, DV_PARSABLE, DV_URI, DV_EHR_URI', () => {
  it('DV_MULTIMEDIA: media type list and inline data or uri', () => {
    const validate = dvCase('Test_dv_multimedia_open_constraint.v0');
    const media = (code: string, uri?: string): JsonObject => ({
      _type: 'DV_MULTIMEDIA',
      media_type: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'IANA_media-types' }, code_string: code },
      size: 123,
      ...(uri !== undefined ? { uri: { _type: 'DV_URI', value: uri } } : {}),
    });
    expect(validate(media('application/pdf', 'https://example.com/a.pdf'))).toEqual([]);
    expect(brief(validate(media('application/dicom', 'https://example.com/a.dcm')))).toEqual(
      perEvent('at0028', [{ subPath: '/media_type/code_string', constraint: 'code in {application/pdf}' }]),
    );
    expect(brief(validate(media('application/pdf')))).toEqual(perEvent('at0028', [{ subPath: '', constraint: 'invariant Not_empty' }]));
  });
  it('DV_PARSABLE: formalism list', () => {
    const validate = dvCase('Test_dv_parsable_open_constraint.v0');
    expect(validate({ _type: 'DV_PARSABLE', value: 'x', formalism: 'text/plain' })).toEqual([]);
    expect(brief(validate({ _type: 'DV_PARSABLE', value: 'x', formalism: 'abc' }))).toEqual(
      perEvent('at0028', [{ subPath: '/formalism', constraint: 'formalism in {text/plain}' }]),
    );
  });
  it('DV_URI is any URI reference but not empty, DV_EHR_URI needs the ehr scheme', () => {
    const uri = dvCase('Test_dv_uri_open_constraint.v0');
    expect(uri({ _type: 'DV_URI', value: 'urn:oid:1.2.3' })).toEqual([]);
    expect(uri({ _type: 'DV_URI', value: 'www.example.com' })).toEqual([]);
    expect(brief(uri({ _type: 'DV_URI', value: '' }))).toEqual(
      perEvent('at0028', [{ subPath: '/value', constraint: 'invariant Value_valid' }]),
    );
    const ehrUri = dvCase('Test_dv_ehr_uri_open_constraint.v0');
    expect(ehrUri({ _type: 'DV_EHR_URI', value: 'ehr:/compositions/1' })).toEqual([]);
    expect(brief(ehrUri({ _type: 'DV_EHR_URI', value: 'https://example.com' }))).toEqual(
      perEvent('at0028', [{ subPath: '/value', constraint: 'invariant Scheme_valid' }]),
    );
  });
});

/** Returns a copy of the template whose C_DURATION constraints carry `pattern` (and no range). */
function withDurationPattern(template: OperationalTemplate, pattern: string): OperationalTemplate {
  const mapObject = (object: CObject): CObject => {
    if (object.type === 'C_PRIMITIVE_OBJECT' && object.item.type === 'C_DURATION')
      return { ...object, item: { type: 'C_DURATION', pattern } };
    if (object.type === 'C_COMPLEX_OBJECT') return { ...object, attributes: object.attributes.map(mapAttribute) };
    if (object.type === 'C_ARCHETYPE_ROOT') return { ...object, attributes: object.attributes.map(mapAttribute) };
    return object;
  };
  const mapAttribute = (attribute: CAttribute): CAttribute => ({ ...attribute, children: attribute.children.map(mapObject) });
  const definition = mapObject(template.definition);
  if (definition.type !== 'C_ARCHETYPE_ROOT') throw new Error('unexpected definition');
  return { ...template, definition };
}

describe('DV_DURATION (C_DURATION allowed fields and range)', () => {
  const base = fixtures.composition(`${CANONICAL}minimal_instruction_1.composition.json`);
  const template = fixtures.template(`${IT}valid_templates/minimal/minimal_instruction.opt`);
  const path = '/content[openEHR-EHR-INSTRUCTION.minimal.v1]/activities[at0001]/description[at0002]/items[at0003]/value/value';
  const validate = (pattern: string, duration: string): ValidationIssue[] => {
    const composition = structuredClone(base);
    objectAt(composition, 'content', 0, 'activities', 0, 'description', 'items', 0, 'value').value = duration;
    return validateComposition(composition, withDurationPattern(template, pattern));
  };
  it.each(['P1Y', 'P1Y3M', 'P1Y3M15D', 'P1W', 'P1Y3M15DT23H', 'P1Y3M15DT23H35M', 'P1Y3M15DT23H35M22S', 'P1W3D'])(
    'PYMWDTHMS allows %s',
    (duration) => {
      expect(validate('PYMWDTHMS', duration)).toEqual([]);
    },
  );
  it.each([
    ['PMWDTHMS', 'P1Y'],
    ['PYWDTHMS', 'P1Y3M'],
    ['PYMWTHMS', 'P1Y3M15D'],
    ['PYMDTHMS', 'P7W'],
    ['PYMWDTMS', 'P1Y3M15DT23H'],
    ['PYMWDTHS', 'P1Y3M15DT23H35M'],
    ['PYMWDTHM', 'P1Y3M15DT23H35M22S'],
    ['PYMDTHMS', 'P1W3D'],
  ])('%s refuses %s', (pattern, duration) => {
    expect(brief(validate(pattern, duration))).toEqual([{ path, constraint: `pattern ${pattern}` }]);
  });
  it('a zero component does not need its field', () => {
    expect(validate('PY', 'PT0S')).toEqual([]);
  });
  it('range P0Y..P50Y', () => {
    const ranged = fixtures.template(`${IT}valid_templates/minimal/minimal_instruction.dv_duration_fields_allowed.range_constraints.opt`);
    const composition = fixtures.composition(`${CANONICAL}minimal_instruction_2.composition.json`);
    const value = objectAt(composition, 'content', 0, 'activities', 0, 'description', 'items', 0, 'value');
    value.value = 'P50Y';
    expect(validateComposition(composition, ranged)).toEqual([]);
    value.value = 'P51Y';
    expect(brief(validateComposition(composition, ranged))).toEqual([
      { path: path.replace('minimal.v1', 'minimal.v2'), constraint: 'value P0Y..P50Y' },
    ]);
  });
});

describe('SECTION occurrences told apart by name (cardinality_of_section.opt)', () => {
  const base = fixtures.composition(`${CANONICAL}cardinality_of_section__full.json`);
  const template = fixtures.template(`${IT}valid_templates/validation/cardinality_of_section.opt`);
  const withCount = (name: string, count: number): ValidationIssue[] => {
    const composition = structuredClone(base);
    const content = listAt(composition, 'content');
    const sample = content.find((item) => objectAt(item, 'name').value === name);
    if (sample === undefined) throw new Error(`the fixture has no section named ${name}`);
    const others = content.filter((item) => objectAt(item, 'name').value !== name);
    composition.content = [...others, ...Array.from({ length: count }, () => structuredClone(sample))];
    // The template also limits content to one item; only the per-name occurrences are under test here.
    return validateComposition(composition, template).filter((issue) => issue.constraint !== 'cardinality 1..1');
  };
  const section = '/content[openEHR-EHR-SECTION.validation_section_test.v0]';
  // Too many: the first surplus item is named (its JSON index varies); too few: the missing node.
  it.each([
    ['Validation section test #0', 0, undefined, undefined],
    ['Validation section test #0', 3, undefined, undefined],
    ['Validation section test #1', 1, undefined, undefined],
    ['Validation section test #1', 3, 'occurrences 0..1', 'surplus'],
    ['Validation section test #2', 0, 'occurrences 1..*', 'missing'],
    ['Validation section test #2', 3, undefined, undefined],
    ['Validation section test #3', 0, 'occurrences 1..1', 'missing'],
    ['Validation section test #3', 3, 'occurrences 1..1', 'surplus'],
    ['Validation section test #4', 1, 'occurrences 3..*', 'missing'],
    ['Validation section test #4', 3, undefined, undefined],
    ['Validation section test #5', 1, 'occurrences 3..5', 'missing'],
    ['Validation section test #5', 3, undefined, undefined],
  ])('%s × %i', (name, count, constraint, where) => {
    const issues = withCount(name, count);
    if (constraint === undefined) expect(issues).toEqual([]);
    else expect(issues.map((issue) => issue.constraint)).toEqual([constraint]);
    if (where === 'surplus') expect(issues[0]?.path).toMatch(/^\/content\[openEHR-EHR-SECTION\.validation_section_test\.v0,\d+\]$/);
    if (where === 'missing') expect(issues[0]?.path).toBe(section);
  });
});
