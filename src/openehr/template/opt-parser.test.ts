import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CArchetypeRoot, CAttribute, CComplexObject, CObject } from './opt-model.js';
import { parseOperationalTemplate } from './opt-parser.js';
import { TemplateParseError } from './template-parse-error.js';

const FIXTURES = new URL('../../../test/fixtures/openehr/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');
const SDK = 'ehrbase-openEHR_SDK/operationaltemplate/';
const IT = 'ehrbase-integration-tests/test_data_sets/';

function parseError(xml: string): TemplateParseError {
  try {
    parseOperationalTemplate(xml);
  } catch (error) {
    if (error instanceof TemplateParseError) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

/** Follows attribute/node-id steps from an object, e.g. ['data', 'at0001', 'events', 'at0002']. */
function at(object: CObject, ...steps: string[]): CObject {
  let current = object;
  for (let index = 0; index < steps.length; index += 2) {
    if (current.type !== 'C_COMPLEX_OBJECT' && current.type !== 'C_ARCHETYPE_ROOT') throw new Error(`${steps[index]}: not complex`);
    const attribute: CAttribute | undefined = current.attributes.find((candidate) => candidate.rmAttributeName === steps[index]);
    const id = steps[index + 1];
    const next = attribute?.children.find(
      (child) => id === '*' || child.nodeId === id || (child.type === 'C_ARCHETYPE_ROOT' && child.archetypeId === id),
    );
    if (next === undefined) throw new Error(`no ${steps[index]}[${id}]`);
    current = next;
  }
  return current;
}

const MINIMAL = `<?xml version="1.0" encoding="utf-8"?>
<template xmlns="http://schemas.openehr.org/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <language><terminology_id><value>ISO_639-1</value></terminology_id><code_string>en</code_string></language>
  <template_id><value>minimal.v1</value></template_id>
  <concept>Minimal</concept>
  <definition>
    <rm_type_name>COMPOSITION</rm_type_name>
    <node_id>at0000</node_id>
    <archetype_id><value>openEHR-EHR-COMPOSITION.minimal.v1</value></archetype_id>
    <term_definitions code="at0000"><items id="text">Minimal &amp; &lt;tidy&gt; &#233;</items></term_definitions>
  </definition>
</template>`;

describe('parseOperationalTemplate', () => {
  it('reads the template header and the definition root', () => {
    const template = parseOperationalTemplate(read(`${SDK}Test_all_types.opt`));
    expect(template.templateId).toBe('test_all_types.en.v1');
    expect(template.concept).toBe('Test all types');
    expect(template.language).toEqual({ terminologyId: 'ISO_639-1', codeString: 'en' });
    expect(template.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(template.description?.lifecycleState).toBe('Initial');
    expect(template.definition).toMatchObject({
      type: 'C_ARCHETYPE_ROOT',
      rmTypeName: 'COMPOSITION',
      nodeId: 'at0000',
      archetypeId: 'openEHR-EHR-COMPOSITION.test_all_types.v1',
    });
  });

  it('keeps attributes and children in document order, with existence, cardinality and occurrences', () => {
    const definition = parseOperationalTemplate(read(`${SDK}Test_all_types.opt`)).definition;
    expect(definition.attributes.map((attribute) => attribute.rmAttributeName)).toEqual(['category', 'context', 'content']);
    const content = definition.attributes[2];
    expect(content?.type).toBe('C_MULTIPLE_ATTRIBUTE');
    expect(content?.cardinality).toMatchObject({
      isOrdered: false,
      isUnique: false,
      interval: { lower: 0, lowerUnbounded: false, upperUnbounded: true },
    });
    expect(content?.children.map((child) => (child.type === 'C_ARCHETYPE_ROOT' ? child.archetypeId : child.nodeId))).toEqual([
      'openEHR-EHR-OBSERVATION.test_all_types.v1',
      'openEHR-EHR-EVALUATION.test_all_types.v1',
      'openEHR-EHR-SECTION.test_all_types.v1',
    ]);
    const observation = content?.children[0];
    expect(observation?.occurrences).toEqual({
      lower: 0,
      lowerIncluded: true,
      upperIncluded: false,
      lowerUnbounded: false,
      upperUnbounded: true,
    });
  });

  it('reads the domain constraint types', () => {
    const definition = parseOperationalTemplate(read(`${SDK}Test_all_types.opt`)).definition;
    const observation = at(definition, 'content', 'openEHR-EHR-OBSERVATION.test_all_types.v1');
    const items = (code: string): CObject =>
      at(observation, 'data', 'at0001', 'events', 'at0002', 'data', 'at0003', 'items', code, 'value', '*');
    expect(items('at0007')).toMatchObject({ type: 'C_DV_QUANTITY', list: [{ units: 'mg' }, { units: 'kg' }] });
    expect(items('at0013')).toMatchObject({
      type: 'C_DV_ORDINAL',
      list: [{ value: 0, symbol: { terminologyId: 'local', codeString: 'at0014' } }, { value: 1 }, { value: 2 }],
    });
    expect(at(items('at0006'), 'defining_code', '*')).toMatchObject({
      type: 'C_CODE_REFERENCE',
      referenceSetUri: 'terminology:SNOMED-CT',
      codeList: [],
    });
    expect(at(items('at0005'), 'defining_code', '*')).toMatchObject({ type: 'C_CODE_PHRASE', terminologyId: 'local', codeList: [] });
    expect(at(items('at0010'), 'value', '*')).toMatchObject({
      type: 'C_PRIMITIVE_OBJECT',
      rmTypeName: 'DATE_TIME',
      item: { type: 'C_DATE_TIME', pattern: 'yyyy-mm-ddTHH:MM:SS' },
    });
    expect(at(items('at0017'), 'value', '*')).toMatchObject({ item: { type: 'C_BOOLEAN', trueValid: true, falseValid: true } });
    const evaluation = at(definition, 'content', 'openEHR-EHR-EVALUATION.test_all_types.v1');
    // &lt; and &gt; are decoded: the RM type is a generic type name.
    expect(at(evaluation, 'data', 'at0001', 'items', 'at0003', 'value', '*').rmTypeName).toBe('DV_INTERVAL<DV_COUNT>');
  });

  it('reads magnitude and precision intervals, assumed values, C_INTEGER ranges and term bindings', () => {
    const definition = parseOperationalTemplate(read(`${SDK}ehrbase_multi_occurrence.de.opt`)).definition;
    const observation = at(definition, 'content', '*') as CArchetypeRoot;
    const event = at(observation, 'data', 'at0002', 'events', 'at0003');
    expect(at(event, 'data', 'at0001', 'items', 'at0004', 'value', '*')).toMatchObject({
      type: 'C_DV_QUANTITY',
      property: { terminologyId: 'openehr', codeString: '127' },
      list: [
        {
          units: 'Cel',
          magnitude: { lower: 0, upper: 100, lowerIncluded: true, upperIncluded: false },
          precision: { lower: 1, upper: 1, lowerIncluded: true, upperIncluded: true },
        },
        { units: '[degF]', magnitude: { lower: 30, upper: 200 } },
      ],
    });
    const exposure = at(event, 'state', 'at0029', 'items', 'at0030', 'value', '*');
    expect(at(exposure, 'defining_code', '*')).toMatchObject({
      assumedValue: { terminologyId: 'local', codeString: 'at0033' },
      codeList: ['at0031', 'at0032', 'at0033', 'at0034'],
    });
    const cycleDay = at(event, 'state', 'at0029', 'items', 'at0065', 'value', '*', 'magnitude', '*');
    expect(cycleDay).toMatchObject({
      item: { type: 'C_INTEGER', range: { lower: 1, lowerUnbounded: false, upperUnbounded: true }, list: [] },
    });
    expect(observation.termBindings).toEqual({
      LNC205: { at0004: { terminologyId: 'LNC205', codeString: '8310-5' } },
      'SNOMED-CT': { at0004: { terminologyId: 'SNOMED-CT', codeString: '386725007' } },
    });
    expect(at(definition, 'context', '*', 'other_context', 'at0001', 'items', 'at0002')).toMatchObject({
      type: 'ARCHETYPE_SLOT',
      includes: [{ archetypeIdPattern: '.*' }],
      excludes: [],
    });
  });

  it('keeps term texts verbatim and collects the other term items', () => {
    const template = parseOperationalTemplate(read(`${IT}valid_templates/all_types/GECCO_Serologischer_Befund.opt`));
    const observation = at(template.definition, 'content', '*') as CArchetypeRoot;
    const term = observation.termDefinitions['de']?.['at0005'];
    expect(term?.text).toBe('Labortest-Bezeichnung');
    expect(term?.other['comment']).toContain('Parametern. \nEs wird');
    expect(template.definition.termDefinitions['de']?.['LOINC::26436-6']?.text).toBe('Laboratory studies (set)');
    expect(template.annotations[1]).toEqual({
      path: '[openEHR-EHR-COMPOSITION.registereintrag.v1]/content[openEHR-EHR-OBSERVATION.laboratory_test_result.v1]/data[at0001]/events[at0002]/data[at0003]/items[openEHR-EHR-CLUSTER.laboratory_test_panel.v0]/items[openEHR-EHR-CLUSTER.laboratory_test_analyte.v1]/items[at0024]',
      items: { hl7v2_mapping: 'OBX.3', fhir_mapping: 'Observation.code' },
    });
    const multiOccurrence = parseOperationalTemplate(read(`${SDK}ehrbase_multi_occurrence.de.opt`));
    expect(multiOccurrence.definition.termDefinitions['en']?.['at0000']?.description).toBe(
      'Interaction, contact or care event between a subject of care and healthcare                 provider(s).             ',
    );
  });

  it('reads template-level default values and translations from ontologies', () => {
    const endOfLife = parseOperationalTemplate(read('ehrbase-server/IDCR - End of Life Patient Preferences.v0.opt'));
    expect(endOfLife.constraints[0]).toEqual({
      differentialPath:
        '[openEHR-EHR-COMPOSITION.care_plan.v1]/content[openEHR-EHR-ADMIN_ENTRY.consent_to_share.v1]/data[at0001]/items[at0003]',
      rmAttributeName: 'value',
      rmTypeName: 'DV_TEXT',
      defaultValue: { rmType: 'DV_TEXT', value: 'Leeds EPCCS' },
    });
    const ism = parseOperationalTemplate(read(`${IT}valid_templates/all_types/test-ism.vitagroup.de.v1.opt`));
    expect(ism.ontologies['openEHR-EHR-ACTION.medication.v1']?.termDefinitions['de']?.['at0002']?.text).toBe('Rezept ausgestellt');
  });

  it('decodes the predefined entities and character references', () => {
    const template = parseOperationalTemplate(MINIMAL);
    expect(template.definition.termDefinitions['en']?.['at0000']?.text).toBe('Minimal & <tidy> é');
    expect(template.annotations).toEqual([]);
    expect(template.constraints).toEqual([]);
  });

  it('accepts a byte order mark and a namespace prefix on the elements', () => {
    const prefixed = MINIMAL.replace(
      '<template xmlns="http://schemas.openehr.org/v1"',
      '\uFEFF<o:template xmlns:o="http://schemas.openehr.org/v1"',
    )
      .replace('</template>', '</o:template>')
      .replace('<?xml version="1.0" encoding="utf-8"?>\n', '');
    expect(parseOperationalTemplate(prefixed).templateId).toBe('minimal.v1');
  });
});

describe('parseOperationalTemplate refuses unsafe XML', () => {
  it('refuses a DOCTYPE with an external entity (XXE)', () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE template [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<template>&xxe;</template>`;
    const error = parseError(xml);
    expect(error.message).toMatch(/DOCTYPE declaration/);
    expect(error.position).toEqual({ line: 2, column: 1 });
  });

  it('refuses entity expansion (billion laughs)', () => {
    const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><template>&lol2;</template>`;
    expect(parseError(lol).message).toMatch(/DOCTYPE/);
  });

  it('refuses an ENTITY declaration even outside a DOCTYPE', () => {
    expect(parseError('<template><!ENTITY a "b"></template>').message).toMatch(/ENTITY declaration.*line 1, column 11/);
  });

  it('refuses references to undeclared entities', () => {
    const error = parseError(MINIMAL.replace('Minimal &amp;', 'Minimal &nbsp;'));
    expect(error.message).toMatch(/entity reference &nbsp; is not allowed/);
    expect(error.position?.line).toBe(10);
  });

  it('refuses a bare ampersand and illegal character references', () => {
    expect(parseError('<template>a & b</template>').message).toMatch(/'&' must start an entity or character reference/);
    expect(parseError('<template>&#0;</template>').message).toMatch(/not a legal XML character/);
  });

  it('ignores markup-looking text in comments and CDATA sections', () => {
    const xml = MINIMAL.replace('<concept>Minimal</concept>', '<!-- <!DOCTYPE x> &nbsp; --><concept><![CDATA[Minimal]]></concept>');
    expect(parseOperationalTemplate(xml).concept).toBe('Minimal');
  });

  it('refuses malformed XML with its position', () => {
    const error = parseError(MINIMAL.replace('</concept>', '</concpt>'));
    expect(error.message).toMatch(/^Malformed XML: .*concpt.*line 5/);
  });

  it('refuses XML that is not an operational template', () => {
    const composition = read(`${IT}invalid_templates/nested/nested.composition.extdatetimes.invalid.xml`);
    expect(parseError(composition).message).toBe(
      'Not an operational template: the root element is <composition>, expected <template> (line 1, column 1)',
    );
    expect(parseError('<template xmlns="urn:other"/>').message).toMatch(/namespace urn:other/);
    expect(parseError('  \n').message).toMatch(/empty/);
  });
});

describe('parseOperationalTemplate refuses the invalid fixture templates', () => {
  const cases: [string, string][] = [
    ['empty_file/empty_xml.opt', 'The document is empty: it has no root element'],
    ['empty_file/empty_xml_template.opt', 'Missing mandatory element <template_id> in <template>'],
    ['alien_tags/minimal_action.opt', 'Unexpected element <bullfrog> in <template> (line 4, column 3)'],
    ['removed_mandatory_elements/minimal_action_removed_concept.opt', 'Missing mandatory element <concept> in <template>'],
    ['removed_mandatory_elements/minimal_action_removed_concept_value.opt', 'The template <concept> is empty (line 41, column 3)'],
    ['removed_mandatory_elements/minimal_action_removed_definition.opt', 'Missing mandatory element <definition> in <template>'],
    ['removed_mandatory_elements/minimal_action_removed_description_and_concept.opt', 'Missing mandatory element <concept> in <template>'],
    ['removed_mandatory_elements/minimal_action_removed_language.opt', 'Missing mandatory element <language> in <template>'],
    ['multiple_elements/minimal_action_concept_twice_1.opt', 'Element <concept> appears more than once in <template>'],
    ['multiple_elements/minimal_action_concept_twice_2.opt', 'Element <concept> appears more than once in <template>'],
    ['multiple_elements/minimal_action_definition_twice.opt', 'Element <definition> appears more than once in <template>'],
    ['multiple_elements/minimal_action_template-id_twice_1.opt', 'Element <template_id> appears more than once in <template>'],
    ['multiple_elements/minimal_action_template-id_twice_2.opt', 'Element <template_id> appears more than once in <template>'],
    [
      'multiple_elements/minimal_action_template-id_twice_3.opt',
      'Element <template_id> appears more than once in <template>; at most one is allowed (line 515, column 3)',
    ],
    ['removed_template_id/minimal_admin_invalid_1.opt', '<template_id> has an empty <value> (line 39, column 5)'],
    ['removed_template_id/minimal_admin_invalid_2.opt', '<template_id> must contain a <value> element (line 38, column 3)'],
    ['removed_template_id/minimal_admin_invalid_3.opt', '<template_id> must contain a <value> element (line 38, column 3)'],
    ['removed_template_id/minimal_admin_invalid_4.opt', 'Missing mandatory element <template_id> in <template>'],
  ];

  it.each(cases)('refuses %s: %s', (file, problem) => {
    const error = parseError(read(`${IT}invalid_templates/${file}`));
    expect(error.problems.some((message) => message.startsWith(problem))).toBe(true);
  });

  it('covers every .opt file under invalid_templates', async () => {
    const { readdirSync } = await import('node:fs');
    const files = (readdirSync(new URL(`${IT}invalid_templates/`, FIXTURES), { recursive: true }) as string[])
      .filter((path) => path.endsWith('.opt'))
      .sort();
    expect(files).toEqual(cases.map(([file]) => file).sort());
  });

  it('lists every problem of a document at once', () => {
    const error = parseError(read(`${IT}invalid_templates/empty_file/empty_xml_template.opt`));
    expect(error.problems).toHaveLength(4);
    expect(error.message).toMatch(/^4 problems: Missing mandatory element <language>/);
  });

  it('refuses unknown constraint types and non-numeric bounds', () => {
    const broken = MINIMAL.replace(
      '<node_id>at0000</node_id>',
      `<node_id>at0000</node_id>
    <occurrences><lower>one</lower><upper>1</upper></occurrences>
    <attributes xsi:type="C_SINGLE_ATTRIBUTE"><rm_attribute_name>context</rm_attribute_name>
      <children xsi:type="C_MYSTERY"><rm_type_name>EVENT_CONTEXT</rm_type_name></children></attributes>`,
    );
    const error = parseError(broken);
    expect(error.problems).toEqual([
      expect.stringMatching(/^<lower> must be a number, found "one" \(line 9, column 18\)$/),
      expect.stringMatching(/^Unsupported constraint object type C_MYSTERY \(line 11, column 7\)$/),
    ]);
  });
});

describe('parsed models', () => {
  it('marks an attribute without an xsi:type by its cardinality', () => {
    const xml = MINIMAL.replace(
      '<node_id>at0000</node_id>',
      `<node_id>at0000</node_id>
    <attributes><rm_attribute_name>content</rm_attribute_name>
      <children><rm_type_name>SECTION</rm_type_name><node_id>at0001</node_id></children>
      <cardinality><is_ordered>true</is_ordered><is_unique>false</is_unique></cardinality></attributes>`,
    );
    const attribute = parseOperationalTemplate(xml).definition.attributes[0];
    expect(attribute).toMatchObject({
      type: 'C_MULTIPLE_ATTRIBUTE',
      cardinality: { isOrdered: true, interval: { lower: 0, upperUnbounded: true } },
    });
    const section = attribute?.children[0] as CComplexObject;
    expect(section).toMatchObject({ type: 'C_COMPLEX_OBJECT', rmTypeName: 'SECTION', occurrences: { lower: 1, upper: 1 } });
  });
});
