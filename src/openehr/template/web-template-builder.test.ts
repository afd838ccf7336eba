import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOperationalTemplate } from './opt-parser.js';
import { buildWebTemplate } from './web-template-builder.js';
import type { WebTemplate, WebTemplateNode } from './web-template-model.js';

const FIXTURES = new URL('../../../test/fixtures/openehr/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');
const json = (path: string): unknown => JSON.parse(read(path));
const webTemplateOf = (optPath: string, flavour?: 'ehrbase' | 'ehrscape'): WebTemplate =>
  buildWebTemplate(parseOperationalTemplate(read(optPath)), flavour === undefined ? {} : { flavour });

const SDK = 'ehrbase-openEHR_SDK/';
const IT = 'ehrbase-integration-tests/test_data_sets/';

function nodes(tree: WebTemplateNode): WebTemplateNode[] {
  return [tree, ...(tree.children ?? []).flatMap(nodes)];
}

function find(tree: WebTemplateNode, idPath: string): WebTemplateNode | undefined {
  let current: WebTemplateNode | undefined = tree;
  for (const id of idPath.split('/').slice(1)) current = current?.children?.find((child) => child.id === id);
  return current;
}

// The answer keys are compared as parsed JSON, with no normalisation of any kind.
describe('buildWebTemplate against the answer keys', () => {
  it('reproduces test_all_types.json from Test_all_types.opt', () => {
    expect(webTemplateOf(`${SDK}operationaltemplate/Test_all_types.opt`)).toStrictEqual(json(`${SDK}webtemplate/test_all_types.json`));
  });

  it('reproduces GECCO_Serologischer_Befund_wt.json from GECCO_Serologischer_Befund.opt', () => {
    expect(webTemplateOf(`${IT}valid_templates/all_types/GECCO_Serologischer_Befund.opt`)).toStrictEqual(
      json(`${IT}valid_templates/expected_webtemplates/GECCO_Serologischer_Befund_wt.json`),
    );
  });

  it('reproduces multi_occurrence.json (EhrScape dialect) from ehrbase_multi_occurrence.de.opt', () => {
    expect(webTemplateOf(`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`, 'ehrscape')).toStrictEqual(
      json(`${SDK}webtemplate/multi_occurrence.json`),
    );
  });
});

describe('buildWebTemplate rules', () => {
  const allTypes = webTemplateOf(`${SDK}operationaltemplate/Test_all_types.opt`);
  const gecco = webTemplateOf(`${IT}valid_templates/all_types/GECCO_Serologischer_Befund.opt`);

  it('gives later siblings with the same id a numeric suffix, first one unchanged', () => {
    const ids = allTypes.tree.children?.map((child) => child.id);
    expect(ids).toEqual([
      'category',
      'context',
      'test_all_types',
      'test_all_types2',
      'test_all_types3',
      'composer',
      'language',
      'territory',
    ]);
    expect(find(allTypes.tree, 'test_all_types/test_all_types/time')?.rmType).toBe('DV_TIME');
    expect(find(allTypes.tree, 'test_all_types/test_all_types/time2')?.aqlPath).toBe(
      '/content[openEHR-EHR-OBSERVATION.test_all_types.v1]/data[at0001]/events[at0002]/time',
    );
  });

  it('shows the content of a lone single event in its observation, but keeps several events', () => {
    expect(find(allTypes.tree, 'test_all_types/test_all_types/text')?.aqlPath).toContain(
      '/events[at0002]/data[at0003]/items[at0004]/value',
    );
    const ripple = webTemplateOf(`${SDK}operationaltemplate/RIPPLE-Conformance Test.opt`);
    const pulse = nodes(ripple.tree).find((node) => node.nodeId === 'openEHR-EHR-OBSERVATION.pulse.v1');
    expect(pulse?.children?.filter((child) => child.rmType.endsWith('EVENT')).map((child) => child.id)).toEqual([
      'first_event',
      'second_event',
      'maximum',
    ]);
  });

  it('adds name predicates where the template names a node, and takes the name from there', () => {
    const kategorie = find(gecco.tree, 'gecco_serologischer_befund/context/kategorie_loinc');
    expect(kategorie?.aqlPath).toBe(
      "/context/other_context[at0001 and name/value='Tree']/items[at0005 and name/value='Kategorie (LOINC)']/value",
    );
    expect(kategorie?.localizedNames).toEqual({ de: 'Kategorie (LOINC)' });
    expect(find(gecco.tree, 'gecco_serologischer_befund/context/status')?.aqlPath).toBe(
      "/context/other_context[at0001 and name/value='Tree']/items[at0004]/value",
    );
  });

  it('offers every data value type for an ELEMENT whose value the template leaves open', () => {
    const element = find(gecco.tree, 'gecco_serologischer_befund/befund/jedes_ereignis/labortest-panel/pro_analyt/testmethode');
    expect(element?.rmType).toBe('ELEMENT');
    expect(element?.children?.map((child) => child.rmType)).toEqual([
      'DV_TEXT',
      'DV_CODED_TEXT',
      'DV_MULTIMEDIA',
      'DV_PARSABLE',
      'DV_STATE',
      'DV_BOOLEAN',
      'DV_IDENTIFIER',
      'DV_URI',
      'DV_EHR_URI',
      'DV_DURATION',
      'DV_QUANTITY',
      'DV_COUNT',
      'DV_PROPORTION',
      'DV_DATE_TIME',
      'DV_TIME',
      'DV_ORDINAL',
      'DV_DATE',
    ]);
  });

  it('merges a DV_CODED_TEXT | DV_TEXT choice into an open list with an |other input', () => {
    const location = find(
      webTemplateOf(`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`).tree,
      'encounter/body_temperature/location_of_measurement',
    );
    expect(location?.rmType).toBe('DV_CODED_TEXT');
    expect(location?.inputs?.map((input) => [input.suffix, input.type, input.listOpen])).toEqual([
      ['code', 'CODED_TEXT', true],
      ['other', 'TEXT', undefined],
    ]);
  });

  it('presents RM attributes differently per dialect', () => {
    const ehrbase = webTemplateOf(`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`);
    const ehrscape = webTemplateOf(`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`, 'ehrscape');
    expect(ehrbase.tree.children?.map((child) => child.id)).toEqual([
      'category',
      'context',
      'body_temperature',
      'composer',
      'language',
      'territory',
    ]);
    expect(ehrscape.tree.children?.map((child) => child.id)).toEqual([
      'context',
      'body_temperature',
      'category',
      'language',
      'territory',
      'composer',
    ]);
    expect(find(ehrbase.tree, 'encounter/composer')).toMatchObject({ name: 'composer', min: 1 });
    expect(find(ehrscape.tree, 'encounter/composer')).toMatchObject({ name: 'Composer', min: 0 });
    expect(find(ehrbase.tree, 'encounter/body_temperature/location_of_measurement')?.dependsOn).toBeUndefined();
    expect(find(ehrscape.tree, 'encounter/body_temperature/location_of_measurement')?.dependsOn).toEqual(['any_event']);
  });

  it('carries units with their magnitude and precision ranges, ordinals and term bindings', () => {
    const temperature = find(
      webTemplateOf(`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`).tree,
      'encounter/body_temperature/any_event/temperature',
    );
    expect(temperature?.inputs?.[1]?.list?.[0]).toEqual({
      value: 'Cel',
      label: 'Cel',
      validation: { range: { minOp: '>=', min: 0, maxOp: '<', max: 100 }, precision: { minOp: '>=', min: 1, maxOp: '<=', max: 1 } },
    });
    expect(temperature?.termBindings).toEqual({
      LNC205: { value: '8310-5', terminologyId: 'LNC205' },
      'SNOMED-CT': { value: '386725007', terminologyId: 'SNOMED-CT' },
    });
    const ordinal = find(allTypes.tree, 'test_all_types/test_all_types/ordinal');
    expect(ordinal?.inputs?.[0]?.list?.map((item) => [item.value, item.ordinal])).toEqual([
      ['at0014', 0],
      ['at0015', 1],
      ['at0016', 2],
    ]);
  });

  it('puts the template-level default values on the inputs they fill', () => {
    const adverse = webTemplateOf(`${SDK}operationaltemplate/IDCR - Adverse Reaction List.v1.opt`);
    const defaults = nodes(adverse.tree).flatMap((node) =>
      (node.inputs ?? []).flatMap((input) => (input.defaultValue === undefined ? [] : [input.defaultValue])),
    );
    expect(defaults).toEqual(
      expect.arrayContaining(['No known allergies or adverse reactions', 'No information for known allergies and adverse reactions']),
    );
    const respect = webTemplateOf('respect-nes/Templates/ReSPECT-3.v0.opt');
    const documentType = nodes(respect.tree).find((node) => node.id === 'document_type');
    expect(documentType?.inputs?.find((input) => input.suffix === 'code')?.defaultValue).toBe('827701000000106');
  });

  it('states the cardinalities a template narrows on the node that shows the items, and no 0..* or 1..*', () => {
    const careplan = webTemplateOf('ehrbase-server/careplan.v1.opt');
    const target = nodes(careplan.tree).find(
      (node) => node.aqlPath === '/content[openEHR-EHR-EVALUATION.goal.v1]/data[at0001]/items[at0005]',
    );
    expect(target?.cardinalities).toEqual([
      { min: 2, max: 4, ids: ['target', 'target_measurement', 'target_archetype_node', 'proposed_target_date', 'actual_target_date'] },
    ]);
    // The ITEM_TREE's items (4..*) show on the EVALUATION, which shows the tree's items.
    const goal = nodes(careplan.tree).find((node) => node.aqlPath === '/content[openEHR-EHR-EVALUATION.goal.v1]');
    expect(goal?.cardinalities?.map(({ min, max }) => ({ min, max }))).toEqual([{ min: 4, max: -1 }]);
    const specimen = webTemplateOf(`${IT}valid_templates/cache/case.opt`);
    expect(nodes(specimen.tree).find((node) => node.id === 'specific_preparation')?.cardinalities).toEqual([
      { min: 1, max: 1, ids: ['image_micron_per_pixel', 'staining_method'] },
    ]);
    // Test_all_types has items 1..* throughout and its answer key states no cardinality.
    expect(nodes(webTemplateOf(`${SDK}operationaltemplate/Test_all_types.opt`).tree).some((node) => node.cardinalities !== undefined)).toBe(
      false,
    );
  });

  it('makes no node for an RM function the template constrains (EVENT.offset): no data can fill it', () => {
    const pressure = webTemplateOf(`${IT}aql/data_load/opts/ehrbase_blood_pressure_simple.de.v0.opt`);
    const paths = nodes(pressure.tree).map((node) => node.aqlPath ?? '');
    expect(paths.some((path) => path.endsWith('/offset'))).toBe(false);
    expect(paths).toContain('/content[openEHR-EHR-OBSERVATION.sample_blood_pressure.v1]/data[at0001]/events[at0002]/time');
  });

  it('merges the ISM transitions of an ACTION into careflow steps with their allowed states', () => {
    const transition = find(allTypes.tree, 'test_all_types/test_all_types3/section_2/section_3/test_all_types2/ism_transition');
    const steps = transition?.children?.find((child) => child.id === 'careflow_step')?.inputs?.[0]?.list;
    expect(steps?.map((step) => [step.value, step.currentStates])).toEqual([
      ['at0003', ['526']],
      ['at0004', ['245']],
      ['at0005', ['532']],
    ]);
  });
});

describe('buildWebTemplate over every fixture template', () => {
  const root = fileURLToPath(FIXTURES);
  const all = (readdirSync(root, { recursive: true }) as string[]).filter((path) => path.endsWith('.opt')).sort();
  const valid = all.filter((path) => !path.includes('invalid_templates'));

  it('finds the fixture templates', () => {
    expect(valid.length).toBeGreaterThanOrEqual(100);
  });

  it.each(valid)('builds %s in both dialects', (path) => {
    const template = parseOperationalTemplate(read(path));
    const webTemplate = buildWebTemplate(template);
    expect(webTemplate.tree.children?.length ?? 0).toBeGreaterThan(0);
    for (const node of nodes(webTemplate.tree)) {
      const siblingIds = (node.children ?? []).map((child) => child.id);
      expect(new Set(siblingIds).size, `${node.id}: sibling ids must be unique`).toBe(siblingIds.length);
      expect(node.id).toMatch(/^[\p{L}\p{N}._<>-]+$/u);
      // Only the value alternatives of an ELEMENT share a path (…/value); any other pair of
      // siblings with one path would make FLAT and AQL ambiguous.
      const siblingPaths = (node.children ?? []).map((child) => child.aqlPath);
      if (node.rmType !== 'ELEMENT') expect(new Set(siblingPaths).size, `${node.id}: sibling paths must differ`).toBe(siblingPaths.length);
    }
    expect(buildWebTemplate(template, { flavour: 'ehrscape' }).tree.aqlPath).toBe('');
  });

  it('parses and builds the 600 kB ReSPECT template well under a second', () => {
    const xml = read('respect-nes/Templates/ReSPECT-3.v0.opt');
    const started = performance.now();
    const webTemplate = buildWebTemplate(parseOperationalTemplate(xml));
    const elapsed = performance.now() - started;
    expect(xml.length).toBeGreaterThan(600_000);
    expect(nodes(webTemplate.tree).length).toBeGreaterThan(100);
    expect(elapsed).toBeLessThan(1000);
  });
});

/**
 * Every key of the SDK's FLAT example compositions must name a node of our web template. Not
 * compared: the FLAT indexes (:0), the input suffixes (|code), ctx/ keys and segments starting with
 * '_' (_uid, _feeder_audit, _end_time...), which the FLAT format defines outside the web template.
 * Also outside the web template, in this dialect, are a few RM attributes FLAT writes as plain
 * segments: history_origin under an OBSERVATION, width/math_function under an EVENT whose instance
 * is an INTERVAL_EVENT, relationship under a PARTY_RELATED party. The GECCO answer key, of the same
 * dialect, has no such nodes (its EVENT has only data and time), so they are accepted only there.
 */
const RM_ONLY_SEGMENTS: Readonly<Record<string, readonly string[]>> = {
  history_origin: ['OBSERVATION'],
  width: ['EVENT'],
  math_function: ['EVENT'],
  relationship: ['PARTY_PROXY'],
};

function unresolvedFlatPaths(webTemplate: WebTemplate, flat: Record<string, unknown>): string[] {
  const unresolved = new Set<string>();
  for (const key of Object.keys(flat)) {
    if (key.startsWith('ctx/')) continue;
    const segments: string[] = [];
    for (const segment of (key.split('|')[0] ?? '').split('/')) {
      if (segment.startsWith('_')) break;
      segments.push(segment.replace(/:[0-9]+$/, ''));
    }
    const [rootId, ...rest] = segments;
    if (rootId !== webTemplate.tree.id) {
      unresolved.add(key);
      continue;
    }
    let node: WebTemplateNode | undefined = webTemplate.tree;
    for (const [index, segment] of rest.entries()) {
      const child: WebTemplateNode | undefined = node?.children?.find((candidate) => candidate.id === segment);
      if (child === undefined && index === rest.length - 1 && node !== undefined && RM_ONLY_SEGMENTS[segment]?.includes(node.rmType)) break;
      node = child;
    }
    if (node === undefined) unresolved.add(segments.join('/'));
  }
  return [...unresolved];
}

describe('FLAT example compositions resolve against the web templates', () => {
  const flatDirectory = `${SDK}composition/flat/simSDT/`;
  const conformance = (readdirSync(new URL(`${flatDirectory}conformance/`, FIXTURES)) as string[])
    .filter((name) => name.endsWith('.json'))
    .sort();
  const pairs: [string, string][] = [
    [`${SDK}operationaltemplate/ReSPECT-3.v0.opt`, `${flatDirectory}ReSPECT.json`],
    [`${SDK}operationaltemplate/IDCR - Adverse Reaction List.v1.opt`, `${flatDirectory}IDCR - Adverse Reaction List.json`],
    [`${SDK}operationaltemplate/Multi_list.opt`, `${flatDirectory}multi_list.json`],
    [`${SDK}operationaltemplate/nested.en.v1.opt`, `${flatDirectory}nested.en.v1.json`],
    [`${SDK}operationaltemplate/Test_all_types.opt`, `${flatDirectory}test_all_types.json`],
    [`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`, `${flatDirectory}multi_occurrence.json`],
    [`${IT}valid_templates/all_types/opt_24h_average.opt`, `${IT}compositions/FLAT/a1__24hour_average_value.json`],
    [
      `${SDK}operationaltemplate/RIPPLE-Conformance Test.opt`,
      `${IT}compositions/FLAT/RIPPLE_-_Conformance_Test_template_20211019014737_000001_1.xml.flat.json`,
    ],
    ...conformance.map((name): [string, string] => [
      `${SDK}operationaltemplate/conformance_ehrbase.de.v0.opt`,
      `${flatDirectory}conformance/${name}`,
    ]),
  ];

  it('covers all 34 conformance compositions', () => {
    expect(conformance).toHaveLength(34);
  });

  it.each(pairs)('%s resolves every key of %s', (optPath, flatPath) => {
    const flat = json(flatPath) as Record<string, unknown>;
    expect(unresolvedFlatPaths(webTemplateOf(optPath), flat)).toEqual([]);
  });
});

// Small hand-written templates for rules the fixture templates do not exercise.

const occurrences = (lower: number, upper: number | '*'): string =>
  `<occurrences><lower_included>true</lower_included><upper_included>${upper !== '*'}</upper_included>` +
  `<lower_unbounded>false</lower_unbounded><upper_unbounded>${upper === '*'}</upper_unbounded>` +
  `<lower>${lower}</lower>${upper === '*' ? '' : `<upper>${upper}</upper>`}</occurrences>`;

const attribute = (name: string, children: string, multiple = false): string =>
  `<attributes xsi:type="${multiple ? 'C_MULTIPLE_ATTRIBUTE' : 'C_SINGLE_ATTRIBUTE'}"><rm_attribute_name>${name}</rm_attribute_name>` +
  `<existence><lower>0</lower><upper>1</upper></existence>${children}` +
  (multiple
    ? '<cardinality><is_ordered>false</is_ordered><is_unique>false</is_unique><interval><lower>0</lower><upper_unbounded>true</upper_unbounded></interval></cardinality>'
    : '') +
  '</attributes>';

const complex = (rmType: string, nodeId: string, body = '', bounds = occurrences(0, 1)): string =>
  `<children xsi:type="C_COMPLEX_OBJECT"><rm_type_name>${rmType}</rm_type_name>${bounds}<node_id>${nodeId}</node_id>${body}</children>`;

const primitive = (rmType: string, item: string): string =>
  `<children xsi:type="C_PRIMITIVE_OBJECT"><rm_type_name>${rmType}</rm_type_name>${occurrences(1, 1)}<node_id/><item xsi:type="C_${rmType}">${item}</item></children>`;

const named = (name: string): string =>
  attribute('name', complex('DV_TEXT', '', attribute('value', primitive('STRING', `<list>${name}</list>`)), occurrences(1, 1)));

const term = (code: string, text: string): string =>
  `<term_definitions code="${code}"><items id="text">${text}</items><items id="description">${text}.</items></term_definitions>`;

function craftedTemplate(items: string, terms: string): string {
  return `<template xmlns="http://schemas.openehr.org/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <language><terminology_id><value>ISO_639-1</value></terminology_id><code_string>en</code_string></language>
  <template_id><value>crafted.v1</value></template_id><concept>Crafted</concept>
  <definition><rm_type_name>COMPOSITION</rm_type_name>${occurrences(1, 1)}<node_id>at0000</node_id>
    ${attribute(
      'content',
      `<children xsi:type="C_ARCHETYPE_ROOT"><rm_type_name>EVALUATION</rm_type_name>${occurrences(0, '*')}<node_id>at0000</node_id>
        ${attribute('data', complex('ITEM_TREE', 'at0001', attribute('items', items, true), occurrences(1, 1)))}
        <archetype_id><value>openEHR-EHR-EVALUATION.crafted.v1</value></archetype_id>
        ${term('at0000', 'Crafted evaluation')}${term('at0001', 'Tree')}${terms}
      </children>`,
      true,
    )}
    <archetype_id><value>openEHR-EHR-COMPOSITION.crafted.v1</value></archetype_id>${term('at0000', 'Crafted')}
  </definition></template>`;
}

function evaluation(items: string, terms: string): WebTemplateNode {
  const tree = buildWebTemplate(parseOperationalTemplate(craftedTemplate(items, terms))).tree;
  const node = tree.children?.find((child) => child.rmType === 'EVALUATION');
  if (node === undefined) throw new Error('no evaluation');
  return node;
}

describe('buildWebTemplate on crafted templates', () => {
  it('expands internal references and stops at recursion', () => {
    const cluster = complex(
      'CLUSTER',
      'at0002',
      attribute(
        'items',
        complex('ELEMENT', 'at0003', attribute('value', complex('DV_TEXT', '', '', occurrences(1, 1)))) +
          `<children xsi:type="ARCHETYPE_INTERNAL_REF"><rm_type_name>CLUSTER</rm_type_name>${occurrences(0, 1)}<node_id/><target_path>/data[at0001]/items[at0002]</target_path></children>`,
        true,
      ),
    );
    const reference = `<children xsi:type="ARCHETYPE_INTERNAL_REF"><rm_type_name>CLUSTER</rm_type_name>${occurrences(0, 3)}<node_id/><target_path>/data[at0001]/items[at0002]</target_path></children>`;
    const node = evaluation(cluster + reference, term('at0002', 'Group') + term('at0003', 'Note'));
    const groups = node.children?.filter((child) => child.rmType === 'CLUSTER');
    expect(groups?.map((group) => [group.id, group.max])).toEqual([
      ['group', 1],
      ['group2', 3],
    ]);
    // A self-reference is expanded once: inside the expanded copy it is not followed again.
    expect(groups?.[0]?.children?.map((child) => child.id)).toEqual(['note', 'group']);
    expect(groups?.[0]?.children?.[1]?.children?.map((child) => child.id)).toEqual(['note']);
    expect(groups?.[1]?.children?.map((child) => child.id)).toEqual(['note']);
    expect(groups?.[1]?.aqlPath).toBe('/content[openEHR-EHR-EVALUATION.crafted.v1]/data[at0001]/items[at0002]');
  });

  it('drops nodes the template prohibits (occurrences 0..0)', () => {
    const items =
      complex('ELEMENT', 'at0002', attribute('value', complex('DV_TEXT', '', '', occurrences(1, 1)))) +
      complex('ELEMENT', 'at0003', attribute('value', complex('DV_TEXT', '', '', occurrences(1, 1))), occurrences(0, 0));
    const node = evaluation(items, term('at0002', 'Kept') + term('at0003', 'Removed'));
    expect(node.children?.map((child) => child.id)).toEqual(['kept', 'subject', 'language', 'encoding']);
  });

  it('escapes quotes in name predicates and limits duration fields to the pattern and range', () => {
    const duration = complex(
      'ELEMENT',
      'at0002',
      named("Patient's interval") +
        attribute(
          'value',
          complex(
            'DV_DURATION',
            '',
            attribute('value', primitive('DURATION', '<pattern>PTHM</pattern><range><lower>PT1H</lower><upper>PT24H</upper></range>')),
            occurrences(1, 1),
          ),
        ),
    );
    const node = evaluation(duration, term('at0002', 'Interval'));
    const interval = node.children?.[0];
    expect(interval?.id).toBe('patient_s_interval');
    expect(interval?.aqlPath).toBe(
      "/content[openEHR-EHR-EVALUATION.crafted.v1]/data[at0001]/items[at0002 and name/value='Patient\\'s interval']/value",
    );
    expect(interval?.inputs).toEqual([
      { suffix: 'hour', type: 'INTEGER', validation: { range: { min: 1, minOp: '>=', max: 24, maxOp: '<=' } } },
      { suffix: 'minute', type: 'INTEGER', validation: { range: { min: 0, minOp: '>=' } } },
    ]);
  });

  it('keeps a text pattern as validation and shows an ELEMENT choice as typed children', () => {
    const element = complex(
      'ELEMENT',
      'at0002',
      attribute(
        'value',
        complex('DV_TEXT', '', attribute('value', primitive('STRING', '<pattern>[A-Z]{3}</pattern>')), occurrences(1, 1)) +
          complex('DV_COUNT', '', '', occurrences(1, 1)) +
          complex('DV_INTERVAL&lt;DV_DATE&gt;', '', '', occurrences(1, 1)),
      ),
    );
    const node = evaluation(element, term('at0002', 'Code or count'));
    const choice = node.children?.[0];
    expect(choice?.rmType).toBe('ELEMENT');
    expect(choice?.children?.map((child) => [child.id, child.rmType])).toEqual([
      ['text_value', 'DV_TEXT'],
      ['count_value', 'DV_COUNT'],
      ['interval<dv_date>_value', 'DV_INTERVAL<DV_DATE>'],
    ]);
    expect(choice?.children?.[0]?.inputs).toEqual([{ type: 'TEXT', validation: { pattern: '[A-Z]{3}' } }]);
    expect(choice?.children?.[2]?.children?.map((child) => [child.id, child.rmType, child.inputs])).toEqual([
      ['upper', 'DV_DATE', [{ type: 'DATE' }]],
      ['lower', 'DV_DATE', [{ type: 'DATE' }]],
    ]);
  });
});
