import { describe, expect, it } from 'vitest';
import { buildExampleComposition, buildExampleFlat } from '../example/index.js';
import { compositionToFlat, flatToComposition, skippedNodesFromTemplate } from '../flat/index.js';
import { buildWebTemplate, parseOperationalTemplate, validateOperationalTemplate, type WebTemplateNode } from '../template/index.js';
import { validateComposition } from '../validation/index.js';
import { allTypesDescription } from '../../../test/support/openehr/all-types-description.js';
import { TemplateDescriptionError, checkTemplateDescription, compileTemplate, type TemplateDescription } from './index.js';

const NOW = '2026-12-04T10:00:00Z';

function nodes(node: WebTemplateNode): WebTemplateNode[] {
  return [node, ...(node.children ?? []).flatMap(nodes)];
}

function problemsOf(description: unknown): readonly string[] {
  try {
    compileTemplate(description);
  } catch (error) {
    if (error instanceof TemplateDescriptionError) return error.problems;
    throw error;
  }
  return [];
}

describe('compileTemplate', () => {
  const xml = compileTemplate(allTypesDescription());
  const opt = parseOperationalTemplate(xml);
  const webTemplate = buildWebTemplate(opt);
  const all = nodes(webTemplate.tree);
  const byName = (name: string): WebTemplateNode => {
    const found = all.find((node) => node.name === name);
    if (found === undefined) throw new Error(`no node ${name}`);
    return found;
  };

  it('writes an OPT that our parser reads and the OPT validator finds sound', () => {
    expect(opt.templateId).toBe('Builder all types.v1');
    expect(opt.concept).toBe('Builder all types');
    expect(opt.definition.archetypeId).toBe('openEHR-EHR-COMPOSITION.builder_test.v0');
    expect(opt.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(validateOperationalTemplate(opt)).toEqual([]);
  });

  it('is deterministic: the same description gives the same text', () => {
    expect(compileTemplate(allTypesDescription())).toBe(xml);
  });

  it('gives every node its name, occurrences and inputs in the web template', () => {
    expect(webTemplate.tree.id).toBe('all_types');
    expect(byName('Weight')).toMatchObject({ rmType: 'DV_QUANTITY', nodeId: 'at0004', min: 1, max: 1 });
    expect(byName('SNOMED coded')).toMatchObject({ min: 0, max: -1 });
    expect(byName('Group')).toMatchObject({ rmType: 'CLUSTER', min: 1, max: 3 });
    expect(byName('Count').termBindings).toEqual({ 'SNOMED-CT': { value: '246205007', terminologyId: 'SNOMED-CT' } });
    expect(byName('Renamed member').nodeId).toBe('at0019');
    expect(byName('Second member')).toMatchObject({
      nodeId: 'at0019',
      aqlPath: expect.stringContaining("[at0019 and name/value='Second member']"),
    });
    expect(byName('Person')).toMatchObject({ rmType: 'CLUSTER', nodeId: 'openEHR-EHR-CLUSTER.builder_test.v0', max: -1 });
    const rmTypes = new Set(all.map((node) => node.rmType));
    for (const type of [
      'DV_QUANTITY',
      'DV_ORDINAL',
      'DV_COUNT',
      'DV_CODED_TEXT',
      'DV_TEXT',
      'DV_BOOLEAN',
      'DV_DATE',
      'DV_DATE_TIME',
      'DV_TIME',
      'DV_DURATION',
      'DV_IDENTIFIER',
      'DV_URI',
      'DV_EHR_URI',
      'DV_PARSABLE',
      'DV_MULTIMEDIA',
      'OBSERVATION',
      'EVALUATION',
      'INSTRUCTION',
      'ACTION',
      'ADMIN_ENTRY',
      'SECTION',
    ]) {
      expect(rmTypes, type).toContain(type);
    }
    const snomed = byName('SNOMED coded').inputs?.[0];
    expect(snomed).toMatchObject({
      terminology: 'SNOMED-CT',
      list: [{ value: '450475007', label: 'For cardiopulmonary resuscitation' }, { value: '450476008' }],
    });
    expect(byName('Any SNOMED').inputs).toEqual([
      { suffix: 'code', type: 'TEXT', terminology: 'SNOMED-CT' },
      { suffix: 'value', type: 'TEXT', terminology: 'SNOMED-CT' },
    ]);
    const local = byName('Local coded').inputs?.[0];
    expect(local?.list?.map((entry) => entry.label)).toEqual(['Yes', 'No']);
    const quantity = byName('Weight').inputs;
    expect(quantity?.find((input) => input.suffix === 'unit')?.list?.map((entry) => entry.value)).toEqual(['kg', 'g']);
    expect(opt.definition.attributes.length).toBeGreaterThan(0);
  });

  it('binds local codes to their external terminology', () => {
    const section = opt.definition.attributes.find((attribute) => attribute.rmAttributeName === 'content')?.children[0];
    const evaluation = section?.type === 'C_ARCHETYPE_ROOT' ? section.attributes[0]?.children[1] : undefined;
    expect(evaluation?.type === 'C_ARCHETYPE_ROOT' ? evaluation.termBindings['SNOMED-CT']?.['at0003'] : undefined).toEqual({
      terminologyId: 'SNOMED-CT',
      codeString: '373066001',
    });
  });

  it('yields an example composition that validates and survives FLAT and back', () => {
    const composition = buildExampleComposition(opt, { now: NOW, webTemplate });
    expect(validateComposition(composition, opt).map((issue) => `${issue.constraint} @ ${issue.path}`)).toEqual([]);
    const flat = compositionToFlat(composition, webTemplate);
    expect(flat['all_types/section/evaluation:0/snomed_coded:0|code']).toBe('450475007');
    const back = flatToComposition(flat, webTemplate, { skippedNode: skippedNodesFromTemplate(opt) });
    expect(compositionToFlat(back, webTemplate)).toEqual(flat);
    expect(validateComposition(back, opt)).toEqual([]);
  });

  it('renames a node keeping its former name allowed: data stored under the old name validates and reads at the new FLAT path', () => {
    const composition = buildExampleComposition(opt, { now: NOW, webTemplate });
    const before = compositionToFlat(composition, webTemplate);
    const oldKeys = Object.keys(before).filter((key) => key.includes('/renamed_member'));
    expect(oldKeys.length).toBeGreaterThan(0);
    const description = JSON.stringify(allTypesDescription()).replace(
      '"rename":"Renamed member"',
      '"rename":"Group member","formerNames":["Renamed member"]',
    );
    expect(description).toContain('formerNames');
    const revised = parseOperationalTemplate(compileTemplate(JSON.parse(description)));
    const revisedWeb = buildWebTemplate(revised);
    expect(validateComposition(composition, revised)).toEqual([]);
    const after = compositionToFlat(composition, revisedWeb);
    for (const key of oldKeys) expect(after[key.replace('/renamed_member', '/group_member')]).toEqual(before[key]);
    expect(Object.keys(after).some((key) => key.includes('/renamed_member'))).toBe(false);
    // Without the former name, the stored name is refused.
    const strict = parseOperationalTemplate(compileTemplate(JSON.parse(description.replace(',"formerNames":["Renamed member"]', ''))));
    expect(validateComposition(composition, strict).length).toBeGreaterThan(0);
  });

  it('refuses data the template does not allow', () => {
    const flat = buildExampleFlat(webTemplate, { now: NOW });
    const weight = Object.keys(flat).find((key) => key.endsWith('/weight|magnitude'));
    const ordinal = Object.keys(flat).find((key) => key.endsWith('/score|code'));
    expect(weight).toBeDefined();
    expect(ordinal).toBeDefined();
    const bad = { ...flat, [weight ?? '']: 900, [`${(weight ?? '').replace('|magnitude', '|unit')}`]: 'kg' };
    const composition = flatToComposition(bad, webTemplate, { skippedNode: skippedNodesFromTemplate(opt) });
    const issues = validateComposition(composition, opt);
    expect(issues.some((issue) => issue.path.includes('at0004'))).toBe(true);
  });
});

describe('checkTemplateDescription', () => {
  it('accepts the all-types description', () => {
    expect(checkTemplateDescription(allTypesDescription())).toEqual([]);
  });

  it('lists every problem of a bad description, each with its path', () => {
    const description = allTypesDescription() as unknown as { root: { content: Record<string, unknown>[] } };
    const [section, instruction, action, admin] = description.root.content as [
      { items: { items: Record<string, unknown>[] }[] },
      Record<string, unknown>,
      Record<string, unknown>,
      { items: Record<string, unknown>[] },
    ];
    const evaluationItems = section.items[1]?.items ?? [];
    evaluationItems[1] = { ...evaluationItems[1], code: 'at0002' }; // duplicate at-code
    evaluationItems[0] = { ...evaluationItems[0], value: { type: 'DV_CODED_TEXT', terminology: 'local', codes: [] } }; // empty list
    evaluationItems[2] = { ...evaluationItems[2], rmType: 'ITEM_SINGLE' }; // unknown RM type
    evaluationItems[3] = { ...evaluationItems[3], value: { type: 'DV_STRING' } }; // unknown data type
    evaluationItems[4] = { ...evaluationItems[4], occurrences: '2..1' };
    instruction['archetypeId'] = 'openEHR-EHR-EVALUATION.builder_test.v0'; // wrong RM type for the id
    action['rmType'] = 'TASK';
    admin.items[0] = { ...admin.items[0], archetypeId: 'not an archetype id' };
    const problems = problemsOf(description);
    expect(problems).toEqual([
      '/root/content/0/items/1/items/0/value/codes: an empty list allows no code at all',
      '/root/content/0/items/1/items/1/code: at0002 is used twice in the same archetype (give each use its own rename)',
      '/root/content/0/items/1/items/2/rmType: unknown RM type "ITEM_SINGLE" for an item (ELEMENT or CLUSTER)',
      expect.stringMatching(/^\/root\/content\/0\/items\/1\/items\/3\/value\/type: unknown data value type "DV_STRING"/),
      '/root/content/0/items/1/items/4/occurrences: 2..1 has a minimum above its maximum',
      '/root/content/1/archetypeId: openEHR-EHR-EVALUATION.builder_test.v0 is a EVALUATION archetype, but the node is a INSTRUCTION',
      expect.stringMatching(/^\/root\/content\/2\/rmType: unknown RM type "TASK"/),
      expect.stringMatching(/^\/root\/content\/3\/items\/0\/archetypeId: "not an archetype id" is not an openEHR-EHR archetype id/),
    ]);
  });

  it('refuses contradictory or empty value constraints and bad shapes', () => {
    const base = allTypesDescription();
    const element = (value: unknown): TemplateDescription =>
      ({
        ...base,
        root: {
          ...base.root,
          otherContext: { code: 'at0001', items: [{ rmType: 'ELEMENT', code: 'at0002', text: 'X', description: '', value }] },
        },
      }) as TemplateDescription;
    expect(problemsOf(element({ type: 'DV_TEXT', list: [] }))).toEqual([
      '/root/otherContext/items/0/value/list: an empty list allows no text at all',
    ]);
    expect(problemsOf(element({ type: 'DV_TEXT', list: ['a', 'a'] }))).toEqual([
      '/root/otherContext/items/0/value/list: text "a" is listed twice',
    ]);
    expect(problemsOf(element({ type: 'DV_ORDINAL', scale: [] }))).toEqual([
      '/root/otherContext/items/0/value/scale: an empty scale allows no value at all',
    ]);
    expect(problemsOf(element({ type: 'DV_QUANTITY', units: [{ units: 'kg', min: 5, max: 1 }] }))).toEqual([
      '/root/otherContext/items/0/value/units/0: min 5 is above max 1',
    ]);
    expect(problemsOf(element({ type: 'DV_COUNT', min: 3, max: 2 }))).toEqual(['/root/otherContext/items/0/value: min 3 is above max 2']);
    expect(problemsOf(element({ type: 'DV_CODED_TEXT', terminology: 'local', codes: [{ code: '123', text: 'x' }] }))).toEqual([
      '/root/otherContext/items/0/value/codes/0/code: "123" is not an at-code (at0001, at0001.1)',
    ]);
    expect(problemsOf(element({ type: 'DV_CODED_TEXT', terminology: 'local' }))).toEqual([
      '/root/otherContext/items/0/value/codes: local codes must be listed',
    ]);
    const twice = (first: string | undefined, second: string | undefined): readonly string[] =>
      problemsOf({
        ...base,
        root: {
          ...base.root,
          otherContext: {
            code: 'at0001',
            items: [
              {
                rmType: 'ELEMENT',
                code: 'at0002',
                text: 'X',
                description: '',
                ...(first !== undefined ? { rename: first } : {}),
                value: { type: 'DV_TEXT' },
              },
              {
                rmType: 'ELEMENT',
                code: 'at0002',
                text: 'X',
                description: '',
                ...(second !== undefined ? { rename: second } : {}),
                value: { type: 'DV_TEXT' },
              },
            ],
          },
        },
      });
    expect(twice('A', 'B')).toEqual([]);
    expect(twice('A', 'A')).toEqual(['/root/otherContext/items/1/code: at0002 is used twice in the same archetype with the name "A"']);
    expect(twice(undefined, 'B')).toEqual(['/root/otherContext/items/1/code: at0002 is used twice in the same archetype']);
    expect(twice('A', undefined)).toEqual([
      '/root/otherContext/items/1/code: at0002 is used twice in the same archetype (give each use its own rename)',
    ]);
    expect(problemsOf(element({ type: 'DV_BOOLEAN', extra: true })).length).toBeGreaterThan(0);
    expect(problemsOf({ ...base, templateId: '' })).toEqual([expect.stringMatching(/^\/templateId: /)]);
    expect(problemsOf({ ...base, root: { ...base.root, archetypeId: 'openEHR-EHR-SECTION.builder_test.v0' } })).toEqual([
      '/root/archetypeId: openEHR-EHR-SECTION.builder_test.v0 is a SECTION archetype, but the node is a COMPOSITION',
    ]);
    expect(problemsOf('not an object').length).toBeGreaterThan(0);
  });
});
