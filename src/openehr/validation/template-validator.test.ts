import { describe, expect, it } from 'vitest';
import type { CArchetypeRoot, CAttribute, CObject, Interval, OperationalTemplate } from '../template/opt-model.js';
import { compileTemplateValidator } from './template-validator.js';
import { validateComposition } from './validate-composition.js';
import type { ValidationIssue } from './validation-issue.js';
import { IT, fixtures, listAt, objectAt } from '../../../test/support/openehr/validation-fixtures.js';
import type { JsonObject } from '../../shared/json.js';

function brief(issues: readonly ValidationIssue[]): { path: string; constraint: string }[] {
  return issues.map(({ path, constraint }) => ({ path, constraint }));
}

// --- one rule broken at a time, on the blood pressure sample --------------------------------------

const BP_TEMPLATE = `${IT}aql/data_load/opts/ehrbase_blood_pressure_simple.de.v0.opt`;
const BP_COMPOSITION = `${IT}aql/data_load/compositions/ehrbase_blood_pressure_simple.de.v0.json`;
const OBS = '/content[openEHR-EHR-OBSERVATION.sample_blood_pressure.v1]';
const EVENT = `${OBS}/data[at0001]/events[at0002]`;
const ITEMS = `${EVENT}/data[at0003]/items`;

const bp = compileTemplateValidator(fixtures.template(BP_TEMPLATE));

function breakBp(edit: (composition: JsonObject, observation: JsonObject) => void): ValidationIssue[] {
  const composition = fixtures.composition(BP_COMPOSITION);
  edit(composition, objectAt(composition, 'content', 0));
  return bp.validate(composition);
}

const item = (observation: JsonObject, index: number): JsonObject => objectAt(observation, 'data', 'events', 0, 'data', 'items', index);

const codedText = (code: string, text: string): JsonObject => ({
  _type: 'DV_CODED_TEXT',
  value: text,
  defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'local' }, code_string: code },
});

const element = (nodeId: string, name: string, value?: JsonObject): JsonObject => ({
  _type: 'ELEMENT',
  archetype_node_id: nodeId,
  name: { _type: 'DV_TEXT', value: name },
  ...(value !== undefined ? { value } : {}),
});

describe('compositions of the blood pressure sample with one rule broken', () => {
  it('the sample itself is valid', () => {
    expect(breakBp(() => undefined)).toEqual([]);
  });

  it('template id of another template', () => {
    expect(
      breakBp((composition) => {
        objectAt(composition, 'archetype_details', 'template_id').value = 'vital_signs.v1';
      }),
    ).toEqual([
      {
        path: '/archetype_details/template_id/value',
        constraint: 'template_id = ehrbase_blood_pressure_simple.de.v0',
        message: "the composition names template 'vital_signs.v1' but is being validated against 'ehrbase_blood_pressure_simple.de.v0'",
        value: 'vital_signs.v1',
      },
    ]);
  });

  it('no template id', () => {
    expect(
      brief(
        breakBp((composition) => {
          delete objectAt(composition, 'archetype_details').template_id;
        }),
      ),
    ).toEqual([{ path: '/archetype_details/template_id', constraint: 'template_id = ehrbase_blood_pressure_simple.de.v0' }]);
  });

  it('another root archetype', () => {
    expect(
      brief(
        breakBp((composition) => {
          composition.archetype_node_id = 'openEHR-EHR-COMPOSITION.report.v1';
        }),
      ),
    ).toEqual([{ path: '/archetype_node_id', constraint: 'archetype_node_id = openEHR-EHR-COMPOSITION.sample_encounter.v1' }]);
  });

  it('a mandatory node missing (OBSERVATION occurrences 1..8)', () => {
    const expected = [
      {
        path: OBS,
        constraint: 'occurrences 1..8',
        message: 'openEHR-EHR-OBSERVATION.sample_blood_pressure.v1 (Blood pressure (Training sample)) is mandatory (1..8) but missing',
        missing: true,
      },
    ];
    expect(
      breakBp((composition) => {
        composition.content = [];
      }),
    ).toEqual(expected);
    expect(
      breakBp((composition) => {
        delete composition.content;
      }),
    ).toEqual(expected);
  });

  it('too many occurrences (nine observations where eight are allowed)', () => {
    const issues = breakBp((composition, observation) => {
      composition.content = Array.from({ length: 9 }, () => structuredClone(observation));
    });
    expect(brief(issues)).toEqual([
      { path: '/content[openEHR-EHR-OBSERVATION.sample_blood_pressure.v1,8]', constraint: 'occurrences 1..8' },
    ]);
  });

  it('a repeated element where one is allowed: the index tells the siblings apart', () => {
    const issues = breakBp((_composition, observation) => {
      listAt(observation, 'data', 'events', 0, 'data', 'items').push(structuredClone(item(observation, 0)));
    });
    expect(issues).toEqual([
      { path: `${ITEMS}[at0004,4]`, constraint: 'occurrences 0..1', message: 'at0004 (Systolic) occurs 2 times; the template allows 0..1' },
    ]);
  });

  it('a node the template does not define', () => {
    const issues = breakBp((_composition, observation) => {
      listAt(observation, 'data', 'events', 0, 'data', 'items').push(element('at9999', 'Invented', { _type: 'DV_TEXT', value: 'x' }));
    });
    expect(issues).toEqual([
      {
        path: `${ITEMS}[at9999]`,
        constraint: 'archetype_node_id in {at0004, at0005, at1006, at1007, at0033}',
        message: "node 'at9999' is not defined by the template under items; expected at0004, at0005, at1006, at1007, at0033",
        value: 'at9999',
      },
    ]);
  });

  it('a wrong unit', () => {
    expect(
      breakBp((_composition, observation) => {
        objectAt(item(observation, 0), 'value').units = 'kPa';
      }),
    ).toEqual([
      {
        path: `${ITEMS}[at0004]/value/units`,
        constraint: 'units in {mm[Hg]}',
        message: "units 'kPa' are not allowed here; the template allows {mm[Hg]}",
        value: 'kPa',
      },
    ]);
  });

  it('a magnitude out of range (the upper bound 1000 is excluded)', () => {
    expect(
      breakBp((_composition, observation) => {
        objectAt(item(observation, 0), 'value').magnitude = 1000;
      }),
    ).toEqual([
      {
        path: `${ITEMS}[at0004]/value/magnitude`,
        constraint: 'magnitude 0..<1000',
        message: 'magnitude 1000 mm[Hg] is outside the range 0..<1000 the template allows for mm[Hg]',
        value: 1000,
      },
    ]);
  });

  it('more decimals than the precision allows, and a precision outside the interval', () => {
    const issues = breakBp((_composition, observation) => {
      Object.assign(objectAt(item(observation, 0), 'value'), { magnitude: 120.5, precision: 1 });
    });
    expect(brief(issues)).toEqual([
      { path: `${ITEMS}[at0004]/value/precision`, constraint: 'precision 0' },
      { path: `${ITEMS}[at0004]/value/magnitude`, constraint: 'precision 0' },
    ]);
  });

  it('a code not in the list', () => {
    expect(
      breakBp((_composition, observation) => {
        objectAt(observation, 'protocol', 'items', 0).value = codedText('at0099', 'Adult');
      }),
    ).toEqual([
      {
        path: `${OBS}/protocol[at0011]/items[at0013]/value/defining_code/code_string`,
        constraint: 'code in {at0015, at0016, at0017, at1008, at1009, at1018, at1019}',
        message:
          "the code 'at0099' is not in the list the template allows for local: {at0015, at0016, at0017, at1008, at1009, at1018, at1019}",
        value: 'at0099',
      },
    ]);
  });

  it('a local code with another text than its term', () => {
    expect(
      breakBp((_composition, observation) => {
        objectAt(observation, 'protocol', 'items', 0).value = codedText('at0015', 'adult');
      }),
    ).toEqual([
      {
        path: `${OBS}/protocol[at0011]/items[at0013]/value/value`,
        constraint: "term text 'Adult'",
        message: "'adult' is not the text of at0015 in openEHR-EHR-OBSERVATION.sample_blood_pressure.v1; expected 'Adult'",
        value: 'adult',
      },
    ]);
  });

  it('a date that is not ISO 8601', () => {
    const issues = breakBp((_composition, observation) => {
      objectAt(observation, 'data', 'events', 0, 'time').value = '2021-13-45T10:00:00Z';
    });
    expect(issues).toEqual([
      { path: `${EVENT}/time/value`, constraint: 'RM value format', message: 'month 13 is not in 01..12', value: '2021-13-45T10:00:00Z' },
    ]);
  });

  it('an RM type the template does not allow', () => {
    expect(
      brief(
        breakBp((_composition, observation) => {
          item(observation, 0).value = { _type: 'DV_TEXT', value: '120 mmHg' };
        }),
      ),
    ).toEqual([{ path: `${ITEMS}[at0004]/value`, constraint: 'type DV_QUANTITY' }]);
  });

  it('a DV_CODED_TEXT where DV_TEXT is allowed is fine', () => {
    expect(
      breakBp((_composition, observation) => {
        listAt(observation, 'data', 'events', 0, 'data', 'items').push(element('at0033', 'Comment', codedText('42', 'forty-two')));
      }),
    ).toEqual([]);
  });

  it('an attribute the RM does not have (delegated to the RM structure check)', () => {
    expect(
      breakBp((_composition, observation) => {
        item(observation, 0).colour = 'red';
      }),
    ).toEqual([
      { path: `${ITEMS}[at0004]/colour`, constraint: 'RM known attribute', message: "ELEMENT has no attribute 'colour'", value: 'red' },
    ]);
  });

  it('state: a mandatory element missing and a slot filled with an archetype it does not include', () => {
    const cluster = (archetypeId: string): JsonObject => ({
      _type: 'CLUSTER',
      archetype_node_id: archetypeId,
      name: { _type: 'DV_TEXT', value: 'Exertion' },
      archetype_details: { archetype_id: { value: archetypeId }, rm_version: '1.0.4' },
      items: [element('at0001', 'Detail', { _type: 'DV_TEXT', value: 'x' })],
    });
    const state = (items: JsonObject[]): JsonObject => ({
      _type: 'ITEM_TREE',
      archetype_node_id: 'at0007',
      name: { _type: 'DV_TEXT', value: 'state structure' },
      items,
    });
    const position = element('at0008', 'Position', codedText('at1000', 'Standing'));
    expect(
      breakBp((_composition, observation) => {
        objectAt(observation, 'data', 'events', 0).state = state([position, cluster('openEHR-EHR-CLUSTER.sample_level_of_exertion.v1')]);
      }),
    ).toEqual([]);
    expect(
      brief(
        breakBp((_composition, observation) => {
          objectAt(observation, 'data', 'events', 0).state = state([cluster('openEHR-EHR-CLUSTER.device.v1')]);
        }),
      ),
    ).toEqual([
      {
        path: `${EVENT}/state[at0007]/items[openEHR-EHR-CLUSTER.device.v1]`,
        constraint: 'slot include /openEHR-EHR-CLUSTER\\.sample_level_of_exertion\\.v1/',
      },
      { path: `${EVENT}/state[at0007]/items[at0008]`, constraint: 'occurrences 1..1' },
    ]);
  });

  it('returns every issue, not the first one', () => {
    const issues = breakBp((composition, observation) => {
      objectAt(composition, 'archetype_details', 'template_id').value = 'other';
      objectAt(item(observation, 0), 'value').units = 'kPa';
      objectAt(item(observation, 1), 'value').magnitude = -5;
      objectAt(observation, 'protocol', 'items', 0).value = codedText('at0099', 'Adult');
    });
    expect(issues.map((issue) => issue.constraint)).toEqual([
      'template_id = ehrbase_blood_pressure_simple.de.v0',
      'units in {mm[Hg]}',
      'magnitude 0..<1000',
      'code in {at0015, at0016, at0017, at1008, at1009, at1018, at1019}',
    ]);
  });
});

describe('inputs that are not compositions', () => {
  it.each([null, 'composition', 42, []])('%j yields an issue at the root instead of throwing', (input) => {
    expect(brief(bp.validate(input))).toEqual([{ path: '/', constraint: 'RM object' }]);
  });

  it('an empty object yields the missing mandatory attributes', () => {
    const issues = brief(bp.validate({}));
    expect(issues).toContainEqual({ path: '/archetype_node_id', constraint: 'RM mandatory attribute' });
    expect(issues).toContainEqual({
      path: '/archetype_details/template_id',
      constraint: 'template_id = ehrbase_blood_pressure_simple.de.v0',
    });
    expect(issues).toContainEqual({ path: OBS, constraint: 'occurrences 1..8' });
  });
});

describe('compiling once', () => {
  it('validateComposition reuses the validator of a template object and agrees with compileTemplateValidator', () => {
    const template = fixtures.template(BP_TEMPLATE);
    const composition = fixtures.composition(BP_COMPOSITION);
    objectAt(composition, 'content', 0, 'data', 'events', 0, 'data', 'items', 0, 'value').units = 'kPa';
    const first = validateComposition(composition, template);
    expect(validateComposition(composition, template)).toEqual(first);
    expect(compileTemplateValidator(template).validate(composition)).toEqual(first);
    expect(first).toHaveLength(1);
  });

  it('validates a 24 kB composition in a few milliseconds', () => {
    const validator = compileTemplateValidator(fixtures.template(`${IT}aql/data_load/opts/aql-conformance-ehrbase.org.v0.opt`));
    const composition = fixtures.composition(`${IT}aql/data_load/compositions/aql-conformance-ehrbase.org.v0_contains_with_compo_uid.json`);
    expect(validator.validate(composition)).toEqual([]);
    const runs = 50;
    const start = performance.now();
    for (let run = 0; run < runs; run++) validator.validate(composition);
    // Typically ~1 ms on a laptop; the bound leaves room for a loaded CI machine.
    expect((performance.now() - start) / runs).toBeLessThan(20);
  });
});

// --- synthetic templates, for constraints no fixture exercises ------------------------------------

const ONE: Interval<number> = {
  lower: 1,
  upper: 1,
  lowerIncluded: true,
  upperIncluded: true,
  lowerUnbounded: false,
  upperUnbounded: false,
};
const OPTIONAL: Interval<number> = {
  lower: 0,
  upper: 1,
  lowerIncluded: true,
  upperIncluded: true,
  lowerUnbounded: false,
  upperUnbounded: false,
};
const MANY: Interval<number> = { lower: 0, lowerIncluded: true, upperIncluded: false, lowerUnbounded: false, upperUnbounded: true };
const NONE: Interval<number> = {
  lower: 0,
  upper: 0,
  lowerIncluded: true,
  upperIncluded: true,
  lowerUnbounded: false,
  upperUnbounded: false,
};

function single(name: string, children: CObject[], existence: Interval<number> = OPTIONAL): CAttribute {
  return { type: 'C_SINGLE_ATTRIBUTE', rmAttributeName: name, existence, children };
}

function multiple(name: string, children: CObject[]): CAttribute {
  return {
    type: 'C_MULTIPLE_ATTRIBUTE',
    rmAttributeName: name,
    existence: OPTIONAL,
    children,
    cardinality: { isOrdered: false, isUnique: false, interval: MANY },
  };
}

function complex(rmTypeName: string, nodeId: string, attributes: CAttribute[], occurrences: Interval<number> = ONE): CObject {
  return { type: 'C_COMPLEX_OBJECT', rmTypeName, nodeId, occurrences, attributes };
}

function named(text: string): CAttribute {
  return single(
    'name',
    [
      complex('DV_TEXT', '', [
        single(
          'value',
          [{ type: 'C_PRIMITIVE_OBJECT', rmTypeName: 'STRING', nodeId: '', occurrences: ONE, item: { type: 'C_STRING', list: [text] } }],
          ONE,
        ),
      ]),
    ],
    ONE,
  );
}

const countUpTo10 = complex('DV_COUNT', '', [
  single(
    'magnitude',
    [
      {
        type: 'C_PRIMITIVE_OBJECT',
        rmTypeName: 'INTEGER',
        nodeId: '',
        occurrences: ONE,
        item: { type: 'C_INTEGER', list: [], range: { ...ONE, lower: 0, upper: 10 } },
      },
    ],
    ONE,
  ),
]);

function root(archetypeId: string, rmTypeName: string, attributes: CAttribute[], occurrences: Interval<number> = ONE): CArchetypeRoot {
  return {
    type: 'C_ARCHETYPE_ROOT',
    rmTypeName,
    nodeId: 'at0000',
    occurrences,
    archetypeId,
    attributes,
    termDefinitions: { en: { at0004: { code: 'at0004', text: 'Count', other: {} } } },
    termBindings: {},
  };
}

function template(content: CObject[]): OperationalTemplate {
  return {
    templateId: 'synthetic.v1',
    concept: 'synthetic',
    language: { terminologyId: 'ISO_639-1', codeString: 'en' },
    definition: root('openEHR-EHR-COMPOSITION.synthetic.v1', 'COMPOSITION', [multiple('content', content)]),
    annotations: [],
    constraints: [],
    ontologies: {},
  };
}

/** An OBSERVATION whose event `data` is given, and whose `state` is whatever `state` says. */
function observation(items: CObject[], state: CObject, dataAttributes: CAttribute[] = []): CObject {
  const event = complex(
    'EVENT',
    'at0002',
    [single('data', [complex('ITEM_TREE', 'at0003', [multiple('items', items)])], ONE), single('state', [state])],
    MANY,
  );
  return root(
    'openEHR-EHR-OBSERVATION.synthetic.v1',
    'OBSERVATION',
    [single('data', [complex('HISTORY', 'at0001', [multiple('events', [event])])], ONE), ...dataAttributes],
    OPTIONAL,
  );
}

const text = (value: string): JsonObject => ({ _type: 'DV_TEXT', value });

function composition(eventData: JsonObject[], state?: JsonObject): JsonObject {
  return {
    _type: 'COMPOSITION',
    archetype_node_id: 'openEHR-EHR-COMPOSITION.synthetic.v1',
    name: text('Synthetic'),
    archetype_details: {
      archetype_id: { value: 'openEHR-EHR-COMPOSITION.synthetic.v1' },
      template_id: { value: 'synthetic.v1' },
      rm_version: '1.1.0',
    },
    language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
    territory: { terminology_id: { value: 'ISO_3166-1' }, code_string: 'GB' },
    category: { value: 'event', defining_code: { terminology_id: { value: 'openehr' }, code_string: '433' } },
    composer: { _type: 'PARTY_SELF' },
    content: [
      {
        _type: 'OBSERVATION',
        archetype_node_id: 'openEHR-EHR-OBSERVATION.synthetic.v1',
        name: text('Observation'),
        archetype_details: { archetype_id: { value: 'openEHR-EHR-OBSERVATION.synthetic.v1' }, rm_version: '1.1.0' },
        language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
        encoding: { terminology_id: { value: 'IANA_character-sets' }, code_string: 'UTF-8' },
        subject: { _type: 'PARTY_SELF' },
        data: {
          _type: 'HISTORY',
          archetype_node_id: 'at0001',
          name: text('History'),
          origin: { _type: 'DV_DATE_TIME', value: '2024-01-01T10:00:00Z' },
          events: [
            {
              _type: 'POINT_EVENT',
              archetype_node_id: 'at0002',
              name: text('Any event'),
              time: { _type: 'DV_DATE_TIME', value: '2024-01-01T10:00:00Z' },
              data: { _type: 'ITEM_TREE', archetype_node_id: 'at0003', name: text('Tree'), items: eventData },
              ...(state !== undefined ? { state } : {}),
            },
          ],
        },
      },
    ],
  };
}

const countElement = (magnitude: number, name = 'Count', nodeId = 'at0004'): JsonObject => ({
  _type: 'ELEMENT',
  archetype_node_id: nodeId,
  name: text(name),
  value: { _type: 'DV_COUNT', magnitude },
});

const STATE_PATH = '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/state[at0003]';

describe('ARCHETYPE_INTERNAL_REF', () => {
  const counted = complex('ELEMENT', 'at0004', [single('value', [countUpTo10])]);
  const reference: CObject = {
    type: 'ARCHETYPE_INTERNAL_REF',
    rmTypeName: 'ITEM_TREE',
    nodeId: '',
    occurrences: ONE,
    targetPath: '/data[at0001]/events[at0002]/data[at0003]',
  };
  const validator = compileTemplateValidator(template([observation([counted], reference)]));
  const stateTree = (items: JsonObject[]): JsonObject => ({ _type: 'ITEM_TREE', archetype_node_id: 'at0003', name: text('State'), items });

  it('validates the referring node against the referenced one', () => {
    expect(validator.validate(composition([countElement(3)], stateTree([countElement(5)])))).toEqual([]);
    expect(
      brief(validator.validate(composition([countElement(3)], stateTree([countElement(50), countElement(1, 'x', 'at0099')])))),
    ).toEqual([
      { path: `${STATE_PATH}/items[at0004]/value/magnitude`, constraint: 'magnitude 0..10' },
      { path: `${STATE_PATH}/items[at0099]`, constraint: 'archetype_node_id in {at0004}' },
    ]);
  });

  it('refuses a node id other than the target node id', () => {
    const tree = { ...stateTree([]), archetype_node_id: 'at0007' };
    expect(brief(validator.validate(composition([countElement(3)], tree)))).toEqual([
      {
        path: '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/state[at0007]',
        constraint: 'archetype_node_id in {at0003}',
      },
    ]);
  });
});

describe('existence', () => {
  it('a value the template makes mandatory (ELEMENT.value 1..1), unless the element carries a null flavour', () => {
    const required = complex('ELEMENT', 'at0004', [single('value', [countUpTo10], ONE)]);
    const validator = compileTemplateValidator(template([observation([required], complex('ITEM_TREE', 'at0005', []))]));
    const empty: JsonObject = { _type: 'ELEMENT', archetype_node_id: 'at0004', name: text('Count') };
    const items = '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/data[at0003]/items';
    expect(validator.validate(composition([empty]))).toEqual([
      {
        path: `${items}[at0004]/value`,
        constraint: 'existence 1..1',
        message: 'value is mandatory in the template but missing',
        missing: true,
      },
      {
        path: `${items}[at0004]/value`,
        constraint: 'invariant Null_flavour_indicated',
        message: 'an ELEMENT without a value must say why with a null_flavour',
        value: empty,
      },
    ]);
    const flavoured = {
      ...empty,
      null_flavour: { value: 'unknown', defining_code: { terminology_id: { value: 'openehr' }, code_string: '253' } },
    };
    expect(validator.validate(composition([flavoured]))).toEqual([]);
  });

  it('an attribute the template excludes (existence 0..0)', () => {
    const validator = compileTemplateValidator(
      template([observation([complex('ELEMENT', 'at0004', [])], complex('ITEM_TREE', 'at0005', []), [single('protocol', [], NONE)])]),
    );
    const data = composition([countElement(1)]);
    objectAt(data, 'content', 0).protocol = { _type: 'ITEM_TREE', archetype_node_id: 'at0009', name: text('Protocol'), items: [] };
    expect(brief(validator.validate(data))).toEqual([
      { path: '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/protocol', constraint: 'existence 0..0' },
    ]);
  });
});

describe('siblings with one node id told apart by name', () => {
  const first = complex('ELEMENT', 'at0004', [named('Left'), single('value', [countUpTo10])], ONE);
  const second = complex('ELEMENT', 'at0004', [named('Right'), single('value', [complex('DV_COUNT', '', [])])], OPTIONAL);
  const validator = compileTemplateValidator(template([observation([first, second], complex('ITEM_TREE', 'at0005', []))]));
  const items = '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/data[at0003]/items';

  it('matches each element to the alternative its name selects', () => {
    // 50 is only allowed for 'Right', so matching by name is what makes this valid.
    expect(validator.validate(composition([countElement(5, 'Left'), countElement(50, 'Right')]))).toEqual([]);
    expect(brief(validator.validate(composition([countElement(50, 'Left')])))).toEqual([
      { path: `${items}[at0004]/value/magnitude`, constraint: 'magnitude 0..10' },
    ]);
  });

  it('reports the mandatory alternative when only the optional one is present, and unknown names', () => {
    expect(validator.validate(composition([countElement(50, 'Right')]))).toEqual([
      {
        path: `${items}[at0004]`,
        constraint: 'occurrences 1..1',
        message: "at0004 named 'Left' is mandatory (1..1) but missing",
        missing: true,
      },
    ]);
    // 'Left' is taken, so the unknown name is held against the alternative that still has room.
    expect(brief(validator.validate(composition([countElement(5, 'Left'), countElement(5, 'Middle')])))).toEqual([
      { path: `${items}[at0004,1]/name/value`, constraint: 'value in {Right}' },
    ]);
  });
});

describe('siblings with one node id, one of them named and one free', () => {
  // As in the RIPPLE conformance template: ACTIVITY at0001 (1..*, any name) and at0001 named 'Request #3' (1..1).
  const free = complex('ELEMENT', 'at0004', [single('value', [countUpTo10])], { ...MANY, lower: 1 });
  const namedOne = complex('ELEMENT', 'at0004', [named('Special'), single('value', [complex('DV_COUNT', '', [])])], ONE);
  const validator = compileTemplateValidator(template([observation([free, namedOne], complex('ITEM_TREE', 'at0005', []))]));
  const items = '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/data[at0003]/items';

  it('gives an item to the sibling whose name constraint it satisfies, whatever the order', () => {
    // 5 fits both siblings; only the name says it belongs to 'Special', which would otherwise be reported missing.
    expect(validator.validate(composition([countElement(5, 'Plain'), countElement(5, 'Special')]))).toEqual([]);
    expect(validator.validate(composition([countElement(5, 'Special'), countElement(5, 'Plain')]))).toEqual([]);
  });

  it('lets the free sibling take a second item of that name once the named one is full', () => {
    expect(validator.validate(composition([countElement(5, 'Plain'), countElement(50, 'Special'), countElement(3, 'Special')]))).toEqual(
      [],
    );
    expect(
      brief(validator.validate(composition([countElement(5, 'Plain'), countElement(50, 'Special'), countElement(30, 'Special')]))),
    ).toEqual([{ path: `${items}[at0004,2]/value/magnitude`, constraint: 'magnitude 0..10' }]);
  });

  it('still reports the named sibling when no item carries its name', () => {
    expect(brief(validator.validate(composition([countElement(5, 'Plain')])))).toEqual([
      { path: `${items}[at0004]`, constraint: 'occurrences 1..1' },
    ]);
  });
});

describe('ARCHETYPE_SLOT exclusions and CONSTRAINT_REF', () => {
  it('an archetype matching an exclusion may not fill the slot', () => {
    const slot: CObject = {
      type: 'ARCHETYPE_SLOT',
      rmTypeName: 'CLUSTER',
      nodeId: 'at0010',
      occurrences: MANY,
      includes: [{ archetypeIdPattern: '.*' }],
      excludes: [{ stringExpression: 'archetype_id/value matches {/openEHR-EHR-CLUSTER\\.device\\.v1/}' }],
    };
    const validator = compileTemplateValidator(template([observation([slot], complex('ITEM_TREE', 'at0005', []))]));
    const cluster = (archetypeId: string): JsonObject => ({
      _type: 'CLUSTER',
      archetype_node_id: archetypeId,
      name: text('Cluster'),
      items: [countElement(1)],
    });
    expect(validator.validate(composition([cluster('openEHR-EHR-CLUSTER.anatomical_location.v1')]))).toEqual([]);
    expect(validator.validate(composition([cluster('openEHR-EHR-CLUSTER.device.v1')]))).toEqual([
      {
        path: '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/data[at0003]/items[openEHR-EHR-CLUSTER.device.v1]',
        constraint: 'slot exclude /openEHR-EHR-CLUSTER\\.device\\.v1/',
        message:
          'archetype openEHR-EHR-CLUSTER.device.v1 may not fill this slot: it matches the exclusion /openEHR-EHR-CLUSTER\\.device\\.v1/',
        value: 'openEHR-EHR-CLUSTER.device.v1',
      },
    ]);
  });

  it('a code bound to an external terminology (CONSTRAINT_REF) cannot be a local code', () => {
    const externallyCoded = complex('ELEMENT', 'at0004', [
      single('value', [
        complex('DV_CODED_TEXT', '', [
          single(
            'defining_code',
            [{ type: 'CONSTRAINT_REF', rmTypeName: 'CODE_PHRASE', nodeId: '', occurrences: ONE, reference: 'ac0001' }],
            ONE,
          ),
        ]),
      ]),
    ]);
    const validator = compileTemplateValidator(template([observation([externallyCoded], complex('ITEM_TREE', 'at0005', []))]));
    const coded = (terminology: string, code: string): JsonObject => ({
      _type: 'ELEMENT',
      archetype_node_id: 'at0004',
      name: text('Diagnosis'),
      value: { _type: 'DV_CODED_TEXT', value: 'Asthma', defining_code: { terminology_id: { value: terminology }, code_string: code } },
    });
    expect(validator.validate(composition([coded('SNOMED-CT', '195967001')]))).toEqual([]);
    expect(brief(validator.validate(composition([coded('local', 'at0002')])))).toEqual([
      {
        path: '/content[openEHR-EHR-OBSERVATION.synthetic.v1]/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/defining_code/terminology_id/value',
        constraint: 'external terminology (ac0001)',
      },
    ]);
  });
});
