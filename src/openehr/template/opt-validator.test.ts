import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOperationalTemplate } from './opt-parser.js';
import { validateOperationalTemplate } from './opt-validator.js';

const FIXTURES = new URL('../../../test/fixtures/openehr/', import.meta.url);

const interval = (lower: string, upper: string): string =>
  `<lower_included>true</lower_included><upper_included>true</upper_included><lower_unbounded>false</lower_unbounded>` +
  `<upper_unbounded>${upper === '*'}</upper_unbounded><lower>${lower}</lower>${upper === '*' ? '' : `<upper>${upper}</upper>`}`;

function template(archetypeId: string, body: string, terms = ''): string {
  return `<template xmlns="http://schemas.openehr.org/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <language><terminology_id><value>ISO_639-1</value></terminology_id><code_string>en</code_string></language>
  <template_id><value>checked.v1</value></template_id>
  <concept>Checked</concept>
  <definition>
    <rm_type_name>COMPOSITION</rm_type_name>
    <occurrences>${interval('1', '1')}</occurrences>
    <node_id>at0000</node_id>
    ${body}
    <archetype_id><value>${archetypeId}</value></archetype_id>
    <term_definitions code="at0000"><items id="text">Checked</items></term_definitions>
    ${terms}
  </definition>
</template>`;
}

describe('validateOperationalTemplate', () => {
  const root = fileURLToPath(FIXTURES);
  const valid = (readdirSync(root, { recursive: true }) as string[])
    .filter((path) => path.endsWith('.opt') && !path.includes('invalid_templates'))
    .sort();

  it.each(valid)('finds nothing wrong with %s', (path) => {
    expect(validateOperationalTemplate(parseOperationalTemplate(readFileSync(new URL(path, FIXTURES), 'utf8')))).toEqual([]);
  });

  it('reports a malformed archetype id and one that names another RM type', () => {
    expect(validateOperationalTemplate(parseOperationalTemplate(template('composition-minimal', '')))).toEqual([
      '[composition-minimal]: "composition-minimal" is not a valid archetype id',
    ]);
    expect(validateOperationalTemplate(parseOperationalTemplate(template('openEHR-EHR-OBSERVATION.minimal.v1', '')))).toEqual([
      "[openEHR-EHR-OBSERVATION.minimal.v1]: archetype openEHR-EHR-OBSERVATION.minimal.v1 is for OBSERVATION, but the object's RM type is COMPOSITION",
    ]);
  });

  it('reports bad node ids, undefined terms and codes, reversed intervals and over-wide existence', () => {
    const body = `
    <attributes xsi:type="C_MULTIPLE_ATTRIBUTE">
      <rm_attribute_name>content</rm_attribute_name>
      <existence>${interval('0', '2')}</existence>
      <children xsi:type="C_COMPLEX_OBJECT">
        <rm_type_name>SECTION</rm_type_name><occurrences>${interval('3', '1')}</occurrences><node_id>section1</node_id>
      </children>
      <children xsi:type="C_COMPLEX_OBJECT">
        <rm_type_name>SECTION</rm_type_name><occurrences>${interval('0', '1')}</occurrences><node_id>at0009</node_id>
      </children>
      <cardinality><is_ordered>false</is_ordered><is_unique>false</is_unique><interval>${interval('0', '*')}</interval></cardinality>
    </attributes>
    <attributes xsi:type="C_SINGLE_ATTRIBUTE">
      <rm_attribute_name>category</rm_attribute_name>
      <existence>${interval('1', '1')}</existence>
      <children xsi:type="C_COMPLEX_OBJECT">
        <rm_type_name>DV_CODED_TEXT</rm_type_name><occurrences>${interval('0', '*')}</occurrences><node_id/>
        <attributes xsi:type="C_SINGLE_ATTRIBUTE">
          <rm_attribute_name>defining_code</rm_attribute_name>
          <existence>${interval('1', '1')}</existence>
          <children xsi:type="C_CODE_PHRASE">
            <rm_type_name>CODE_PHRASE</rm_type_name><occurrences>${interval('1', '1')}</occurrences><node_id/>
            <terminology_id><value>local</value></terminology_id><code_list>at0042</code_list>
          </children>
        </attributes>
      </children>
    </attributes>`;
    expect(validateOperationalTemplate(parseOperationalTemplate(template('openEHR-EHR-COMPOSITION.minimal.v1', body)))).toEqual([
      '[openEHR-EHR-COMPOSITION.minimal.v1]/content: existence allows more than 1',
      '[openEHR-EHR-COMPOSITION.minimal.v1]/content[section1]: occurrences has lower 3 above upper 1',
      '[openEHR-EHR-COMPOSITION.minimal.v1]/content[section1]: "section1" is not a valid node id',
      '[openEHR-EHR-COMPOSITION.minimal.v1]/content[at0009]: node at0009 has no term definition in openEHR-EHR-COMPOSITION.minimal.v1',
      '[openEHR-EHR-COMPOSITION.minimal.v1]/category: an object of the single attribute category may occur at most once',
      '[openEHR-EHR-COMPOSITION.minimal.v1]/category/defining_code: local code at0042 has no term definition in openEHR-EHR-COMPOSITION.minimal.v1',
    ]);
  });

  it('reports repeated ordinal values and internal references that lead nowhere', () => {
    const symbol = (code: string): string =>
      `<symbol><value/><defining_code><terminology_id><value>local</value></terminology_id><code_string>${code}</code_string></defining_code></symbol>`;
    const body = `
    <attributes xsi:type="C_MULTIPLE_ATTRIBUTE">
      <rm_attribute_name>content</rm_attribute_name>
      <existence>${interval('0', '1')}</existence>
      <children xsi:type="C_DV_ORDINAL">
        <rm_type_name>DV_ORDINAL</rm_type_name><occurrences>${interval('0', '1')}</occurrences><node_id/>
        <list><value>1</value>${symbol('at0001')}</list>
        <list><value>1</value>${symbol('at0001')}</list>
      </children>
      <children xsi:type="ARCHETYPE_INTERNAL_REF">
        <rm_type_name>SECTION</rm_type_name><occurrences>${interval('0', '1')}</occurrences><node_id/>
        <target_path>/content[at0404]</target_path>
      </children>
    </attributes>`;
    const terms = '<term_definitions code="at0001"><items id="text">One</items></term_definitions>';
    expect(validateOperationalTemplate(parseOperationalTemplate(template('openEHR-EHR-COMPOSITION.minimal.v1', body, terms)))).toEqual([
      '[openEHR-EHR-COMPOSITION.minimal.v1]/content: ordinal value 1 is used twice',
      '[openEHR-EHR-COMPOSITION.minimal.v1]/content: internal reference to /content[at0404] does not resolve in openEHR-EHR-COMPOSITION.minimal.v1',
    ]);
  });
});
