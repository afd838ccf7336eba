import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositionToFlat, compositionToStructured, flatToComposition, skippedNodesFromTemplate } from '../flat/index.js';
import { toCanonicalXml } from '../rm/index.js';
import {
  buildWebTemplate,
  parseOperationalTemplate,
  type OperationalTemplate,
  type WebTemplate,
  type WebTemplateNode,
} from '../template/index.js';
import { compileTemplateValidator, type ValidationIssue } from '../validation/index.js';
import { EXAMPLE_COMPOSER, EXAMPLE_TEXT, buildExampleComposition, buildExampleFlat } from './index.js';

const FIXTURES = new URL('../../../test/fixtures/openehr/', import.meta.url);
const NOW = '2024-05-06T07:08:09.123Z';

/** Every valid OPT of the fixtures, relative to test/fixtures/openehr. */
const OPT_FILES = (readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((file) => file.endsWith('.opt') && !file.includes('invalid_templates'))
  .sort();

interface Loaded {
  readonly opt: OperationalTemplate;
  readonly webTemplate: WebTemplate;
}

const loaded = new Map<string, Loaded>();
function load(file: string): Loaded {
  let entry = loaded.get(file);
  if (entry === undefined) {
    const opt = parseOperationalTemplate(readFileSync(new URL(file, FIXTURES), 'utf8'));
    entry = { opt, webTemplate: buildWebTemplate(opt) };
    loaded.set(file, entry);
  }
  return entry;
}

interface ExpectedIssue {
  readonly constraint: string;
  /** A fragment of the issue path. */
  readonly at: string;
  readonly count: number;
}

interface KnownGap {
  readonly reason: string;
  readonly issues: readonly ExpectedIssue[];
}

/**
 * Templates for which no example built from the web template validates, each with the reason and
 * the issues it produces. None of them is a choice of this module: the information is missing
 * from the web template, the template contradicts itself, or a library loses it.
 */
const KNOWN_GAPS: Readonly<Record<string, KnownGap>> = {
  'ehrbase-integration-tests/test_data_sets/valid_templates/all_types/Test_dv_boolean_false_true.v0.opt': {
    reason: 'C_BOOLEAN allows only false; a web template states no DV_BOOLEAN constraint, so the example writes true',
    issues: [{ constraint: 'value in {false}', at: '/items[at0029]/value/value', count: 1 }],
  },
  'ehrbase-integration-tests/test_data_sets/valid_templates/all_types/Test_dv_multimedia_open_constraint.v0.opt': {
    reason: 'media_type is limited to application/pdf; a web template states no DV_MULTIMEDIA constraint, so the example writes image/png',
    issues: [{ constraint: 'code in {application/pdf}', at: '/items[at0028]/value/media_type/code_string', count: 1 }],
  },
  'ehrbase-integration-tests/test_data_sets/valid_templates/validation/cardinality_of_section.opt': {
    reason: 'the template contradicts itself: content has cardinality 1..1 but its sections require at least 1 + 1 + 3 + 3 occurrences',
    issues: [{ constraint: 'cardinality 1..1', at: '/content', count: 1 }],
  },
};

function summary(issues: readonly ValidationIssue[]): string[] {
  return issues.map((issue) => `${issue.constraint} @ ${issue.path}`);
}

function expectKnownIssues(issues: readonly ValidationIssue[], gap: KnownGap): void {
  const unexpected = issues.filter((issue) => !gap.issues.some((e) => e.constraint === issue.constraint && issue.path.includes(e.at)));
  expect(summary(unexpected)).toEqual([]);
  for (const expected of gap.issues) {
    const matching = issues.filter((issue) => issue.constraint === expected.constraint && issue.path.includes(expected.at));
    expect(matching, `${expected.constraint} @ …${expected.at}`).toHaveLength(expected.count);
  }
}

describe('buildExampleComposition on every valid fixture template', () => {
  it('finds the fixture templates', () => {
    expect(OPT_FILES.length).toBeGreaterThan(100);
    for (const file of Object.keys(KNOWN_GAPS)) expect(OPT_FILES).toContain(file);
  });

  it.each(OPT_FILES)('%s', (file) => {
    const { opt, webTemplate } = load(file);
    const composition = buildExampleComposition(opt, { now: NOW, webTemplate });
    const issues = compileTemplateValidator(opt).validate(composition);
    const gap = KNOWN_GAPS[file];
    if (gap === undefined) expect(summary(issues)).toEqual([]);
    else expectKnownIssues(issues, gap);

    const flat = compositionToFlat(composition, webTemplate);
    expect(Object.keys(flat).every((key) => key.startsWith(`${webTemplate.tree.id}/`))).toBe(true);
    expect(Object.keys(compositionToStructured(composition, webTemplate))).toEqual([webTemplate.tree.id]);
    expect(toCanonicalXml(composition)).toContain('<composition ');
  });
});

const ALL_TYPES = 'ehrbase-openEHR_SDK/operationaltemplate/Test_all_types.opt';
const CONFORMANCE = 'ehrbase-openEHR_SDK/operationaltemplate/conformance_ehrbase.de.v0.opt';

describe('buildExampleFlat values per data type', () => {
  const { webTemplate } = load(ALL_TYPES);
  const flat = buildExampleFlat(webTemplate, { now: NOW });
  const observation = 'test_all_types/test_all_types:0';
  const evaluation = 'test_all_types/test_all_types2:0';
  const activity = 'test_all_types/test_all_types3:0/section_2/section_3/test_all_types:0/current_activity';
  const action = 'test_all_types/test_all_types3:0/section_2/section_3/test_all_types2:0';

  it('gives composer and context as ctx/ defaults', () => {
    expect(flat['ctx/language']).toBe('en');
    expect(flat['ctx/territory']).toBe('GB');
    expect(flat['ctx/composer_name']).toBe(EXAMPLE_COMPOSER);
    expect(buildExampleFlat(webTemplate, { now: NOW, territory: 'NL' })['ctx/territory']).toBe('NL');
    expect(flat['test_all_types/context/start_time']).toBe('2024-05-06T07:08:09Z');
    expect(flat['test_all_types/context/setting|code']).toBe('238');
    expect(flat['test_all_types/category|code']).toBe('433');
  });

  it('takes coded texts from the first list value, or a plausible code of the named terminology', () => {
    expect(flat['test_all_types/context/context_coded_text|code']).toBe('at0006');
    expect(flat['test_all_types/context/context_coded_text|value']).toBe('value1');
    expect(flat['test_all_types/context/context_coded_text|terminology']).toBe('local');
    expect(flat[`${observation}/coded_text_terminology|terminology`]).toBe('SNOMED-CT');
    expect(flat[`${observation}/coded_text_terminology|code`]).toBe('138875005');
  });

  it('writes neutral text, the first ordinal, booleans and identifiers', () => {
    expect(flat[`${observation}/text`]).toBe(EXAMPLE_TEXT);
    expect(flat[`${observation}/ordinal|code`]).toBe('at0014');
    expect(flat[`${observation}/ordinal|value`]).toBe('ord1');
    expect(flat[`${observation}/ordinal|ordinal`]).toBe(0);
    expect(flat[`${observation}/boolean`]).toBe(true);
    expect(flat[`${observation}/identifier|id`]).toBe('EX-0001');
    expect(flat[`${observation}/identifier|issuer`]).toBe('Example issuer');
  });

  it('writes quantities in the first unit, counts and proportions', () => {
    expect(flat[`${observation}/quantity|unit`]).toBe('mg');
    expect(flat[`${observation}/quantity|magnitude`]).toBe(1);
    expect(flat[`${observation}/count`]).toBe(1);
    expect(flat[`${observation}/proportion_any|numerator`]).toBe(1);
    expect(flat[`${observation}/proportion_any|denominator`]).toBe(2);
    expect(flat[`${observation}/proportion_any|type`]).toBe(0);
  });

  it('cuts dates and times from options.now to the precision their pattern allows', () => {
    expect(flat[`${observation}/date`]).toBe('2024-05-06');
    expect(flat[`${observation}/datetime`]).toBe('2024-05-06T07:08:09Z');
    expect(flat[`${observation}/time`]).toBe('07:08:09');
    expect(flat[`${observation}/time2`]).toBe('2024-05-06T07:08:09Z');
    expect(flat[`${observation}/duration_any`]).toBe('P1D');
    expect(flat[`${activity}/partial_date`]).toBe('2024-05'); // pattern yyyy-??-XX
    expect(flat[`${activity}/timing`]).toBe('R/2024-05-06T07:08:09Z/P1D');
    expect(flat[`${activity}/timing|formalism`]).toBe('ISO8601');
  });

  it('writes multimedia with media type and size, parsables, URIs and intervals', () => {
    expect(flat[`${observation}/multimedia_any`]).toBe('https://example.org/example.png');
    expect(flat[`${observation}/multimedia_any|mediatype`]).toBe('image/png');
    expect(flat[`${observation}/multimedia_any|size`]).toBe(1024);
    expect(flat[`${observation}/parsable_any`]).toBe(EXAMPLE_TEXT);
    expect(flat[`${observation}/parsable_any|formalism`]).toBe('text/plain');
    expect(flat[`${evaluation}/uri`]).toBe('https://example.org/example');
    expect(flat[`${evaluation}/interval_count/lower`]).toBe(1);
    expect(flat[`${evaluation}/interval_count/upper`]).toBe(1);
    expect(flat[`${evaluation}/interval_datetime/lower`]).toBe('2024-05-06T07:08:09Z');
  });

  it('uses the first alternative type of a choice', () => {
    expect(flat[`${evaluation}/choice/quantity_value|unit`]).toBe('mm[H20]');
    expect(Object.keys(flat).some((key) => key.includes('/choice/count_value'))).toBe(false);
  });

  it('records an action in a state its careflow step allows, with a transition into it', () => {
    expect(flat[`${action}/ism_transition/careflow_step|code`]).toBe('at0003');
    expect(flat[`${action}/ism_transition/current_state|code`]).toBe('526');
    expect(flat[`${action}/ism_transition/transition|code`]).toBe('535');
    expect(flat[`${action}/time`]).toBe('2024-05-06T07:08:09Z');
  });

  it('writes the EHR URI and the interval kinds of the conformance template', () => {
    const conformance = buildExampleFlat(load(CONFORMANCE).webTemplate, { now: NOW });
    const event = 'conformance-ehrbase.de.v0/conformance_section/conformance_observation/any_event:0';
    const intervals = 'conformance-ehrbase.de.v0/conformance_section/conformance_interval/any_event:0';
    expect(conformance[`${event}/dv_ehr_uri`]).toBe('ehr://example/example');
    expect(conformance[`${intervals}/interval_dv_date/lower`]).toBe('2024-05-06');
    expect(conformance[`${intervals}/interval_dv_time2/upper`]).toBe('07:08:09');
    expect(conformance[`${intervals}/interval_dv_duration/lower`]).toBe('P1D');
  });

  it('is deterministic and follows options.now', () => {
    expect(buildExampleFlat(webTemplate, { now: NOW })).toEqual(flat);
    const later = buildExampleFlat(webTemplate, { now: '2030-12-31T23:59:00+01:00' });
    expect(later[`${observation}/datetime`]).toBe('2030-12-31T23:59:00+01:00');
    expect(later[`${observation}/date`]).toBe('2030-12-31');
  });

  it('refuses a now that is not an ISO 8601 date-time', () => {
    expect(() => buildExampleFlat(webTemplate, { now: 'yesterday' })).toThrow(RangeError);
  });
});

/** Moves the `index`-th of each group of alternatives (children at one path) to the front. */
function preferAlternative(node: WebTemplateNode, index: number): WebTemplateNode {
  const children = node.children?.map((child) => preferAlternative(child, index));
  if (children === undefined) return node;
  const byPath = new Map<string, WebTemplateNode[]>();
  for (const child of children) {
    const group = byPath.get(child.aqlPath ?? child.id) ?? [];
    group.push(child);
    byPath.set(child.aqlPath ?? child.id, group);
  }
  const reordered = children.flatMap((child) => {
    const group = byPath.get(child.aqlPath ?? child.id) ?? [child];
    if (group.length === 1) return [child];
    if (group[0] !== child) return [];
    const chosen = group[index % group.length] ?? child;
    return [chosen, ...group.filter((other) => other !== chosen)];
  });
  return { ...node, children: reordered };
}

describe('every alternative data type of the conformance template', () => {
  const { opt, webTemplate } = load(CONFORMANCE);
  const validator = compileTemplateValidator(opt);
  const anyElement = (tree: WebTemplateNode): WebTemplateNode | undefined => {
    if (tree.id === 'any' && tree.rmType === 'ELEMENT') return tree;
    for (const child of tree.children ?? []) {
      const found = anyElement(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const alternatives = anyElement(webTemplate.tree)?.children ?? [];

  it('offers the element of any type', () => {
    expect(alternatives.map((node) => node.rmType)).toContain('DV_EHR_URI');
    expect(alternatives.length).toBeGreaterThan(15);
  });

  it.each(alternatives.map((node, index) => [node.rmType, index] as const))('%s validates when chosen', (rmType, index) => {
    const variant: WebTemplate = { ...webTemplate, tree: preferAlternative(webTemplate.tree, index) };
    const flat = buildExampleFlat(variant, { now: NOW });
    const chosen = Object.keys(flat).filter((key) => key.includes('/conformance_cluster/any/'));
    expect(chosen.length).toBeGreaterThan(0);
    // DV_STATE and DV_SCALE have no FLAT form except |raw JSON: the next alternative stands in.
    if (rmType !== 'DV_STATE' && rmType !== 'DV_SCALE') {
      expect(chosen.every((key) => key.includes(`/any/${alternatives[index]?.id ?? '?'}`))).toBe(true);
    }
    const composition = flatToComposition(flat, variant, { now: NOW, skippedNode: skippedNodesFromTemplate(opt) });
    expect(summary(validator.validate(composition))).toEqual([]);
  });
});

describe('structure rules', () => {
  const { webTemplate } = load(ALL_TYPES);
  const replaceNode = (node: WebTemplateNode, id: string, change: (node: WebTemplateNode) => WebTemplateNode): WebTemplateNode => {
    const children = node.children?.map((child) => replaceNode(child, id, change));
    const copy = children === undefined ? node : { ...node, children };
    return copy.id === id ? change(copy) : copy;
  };

  it('leaves out nodes with max 0', () => {
    const tree = replaceNode(webTemplate.tree, 'cluster_1', (node) => ({ ...node, max: 0 }));
    const flat = buildExampleFlat({ ...webTemplate, tree }, { now: NOW });
    expect(Object.keys(flat).some((key) => key.includes('/cluster_1'))).toBe(false);
    expect(Object.keys(flat).some((key) => key.includes('/uri'))).toBe(true);
  });

  it('writes the minimum number of occurrences of a repeating node', () => {
    const tree = replaceNode(webTemplate.tree, 'test_all_types2', (node) => ({ ...node, min: 3 }));
    const flat = buildExampleFlat({ ...webTemplate, tree }, { now: NOW });
    expect(flat['test_all_types/test_all_types2:2/uri']).toBe('https://example.org/example');
    expect(flat['test_all_types/test_all_types2:3/uri']).toBeUndefined();
  });

  it('names an empty node so that it exists', () => {
    const tree = replaceNode(webTemplate.tree, 'section_3', (node) => ({ ...node, children: [] }));
    const flat = buildExampleFlat({ ...webTemplate, tree }, { now: NOW });
    expect(flat['test_all_types/test_all_types3:0/section_2/section_3/_name']).toBe('section 3');
  });

  it('leaves out an optional node the RM would refuse empty', () => {
    const tree = replaceNode(webTemplate.tree, 'cluster_3', (node) => ({ ...node, children: [] }));
    const flat = buildExampleFlat({ ...webTemplate, tree }, { now: NOW });
    expect(Object.keys(flat).some((key) => key.includes('/cluster_1'))).toBe(false);
  });

  it('flags a mandatory element whose value FLAT cannot express as having no information', () => {
    const tree = replaceNode(webTemplate.tree, 'choice', (node) => ({
      ...node,
      min: 1,
      children: (node.children ?? []).map((child) => ({ ...child, rmType: 'DV_STATE', inputs: [] })),
    }));
    const variant = { ...webTemplate, tree };
    const flat = buildExampleFlat(variant, { now: NOW });
    expect(flat['test_all_types/test_all_types2:0/choice/_null_flavour|code']).toBe('271');
    const composition = flatToComposition(flat, variant, { now: NOW });
    expect(JSON.stringify(composition)).toContain('"no information"');
  });

  it('honours cardinalities the web template states', () => {
    const tree = replaceNode(webTemplate.tree, 'test_all_types2', (node) => ({
      ...node,
      cardinalities: [{ min: 1, max: 2, ids: ['uri', 'interval_count', 'interval_quantity'] }],
    }));
    const flat = buildExampleFlat({ ...webTemplate, tree }, { now: NOW });
    expect(flat['test_all_types/test_all_types2:0/uri']).toBeDefined();
    expect(flat['test_all_types/test_all_types2:0/interval_count/lower']).toBeDefined();
    expect(Object.keys(flat).some((key) => key.includes('/interval_quantity'))).toBe(false);
  });
});

describe('coded names the template fixes (End of Life Patient Preferences)', () => {
  const { opt, webTemplate } = load('ehrbase-server/IDCR - End of Life Patient Preferences.v0.opt');
  const skippedNode = skippedNodesFromTemplate(opt);
  const flat = buildExampleFlat(webTemplate, { now: NOW });
  const composition = flatToComposition(flat, webTemplate, { now: NOW, skippedNode });
  const codedNames = (value: unknown): unknown[] => {
    if (Array.isArray(value)) return value.flatMap(codedNames);
    if (typeof value !== 'object' || value === null) return [];
    const own = 'name' in value && (value.name as { _type?: unknown })._type === 'DV_CODED_TEXT' ? [value.name] : [];
    return [...own, ...Object.values(value).flatMap(codedNames)];
  };

  it('turns the FLAT example into a composition that validates, with the coded names of at0003 and at0015', () => {
    expect(Object.keys(flat).some((key) => key.includes('_name|code'))).toBe(false);
    expect(summary(compileTemplateValidator(opt).validate(composition))).toEqual([]);
    expect(codedNames(composition)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          defining_code: expect.objectContaining({ code_string: 'at0004', terminology_id: expect.objectContaining({ value: 'local' }) }),
        }),
        expect.objectContaining({ defining_code: expect.objectContaining({ code_string: 'at0027' }) }),
      ]),
    );
  });

  it('writes the implied coded names back as no key when given the same lookup, and as _name without it', () => {
    const written = compositionToFlat(composition, webTemplate, { skippedNode });
    expect(Object.keys(written).filter((key) => key.includes('/_name'))).toEqual([]);
    expect(flatToComposition(written, webTemplate, { now: NOW, skippedNode })).toEqual(composition);
    const withoutLookup = compositionToFlat(composition, webTemplate);
    expect(Object.keys(withoutLookup).filter((key) => key.endsWith('/_name|code'))).toHaveLength(2);
    expect(flatToComposition(withoutLookup, webTemplate, { now: NOW })).toEqual(composition);
  });
});
