import { describe, expect, it } from 'vitest';
import type { CArchetypeRoot, CAttribute, CObject, Interval, OperationalTemplate } from '../template/opt-model.js';
import { compileTemplate } from './compiled-template.js';
import { IT, fixtures } from '../../../test/support/openehr/validation-fixtures.js';

const ONE: Interval<number> = {
  lower: 1,
  upper: 1,
  lowerIncluded: true,
  upperIncluded: true,
  lowerUnbounded: false,
  upperUnbounded: false,
};

const attribute = (name: string, children: CObject[]): CAttribute => ({
  type: 'C_SINGLE_ATTRIBUTE',
  rmAttributeName: name,
  existence: ONE,
  children,
});
const node = (rmTypeName: string, nodeId: string, attributes: CAttribute[] = []): CObject => ({
  type: 'C_COMPLEX_OBJECT',
  rmTypeName,
  nodeId,
  occurrences: ONE,
  attributes,
});
const reference = (targetPath: string): CObject => ({
  type: 'ARCHETYPE_INTERNAL_REF',
  rmTypeName: 'ITEM_TREE',
  nodeId: '',
  occurrences: ONE,
  targetPath,
});

function template(attributes: CAttribute[]): OperationalTemplate {
  const definition: CArchetypeRoot = {
    type: 'C_ARCHETYPE_ROOT',
    rmTypeName: 'COMPOSITION',
    nodeId: 'at0000',
    occurrences: ONE,
    archetypeId: 'openEHR-EHR-COMPOSITION.test.v1',
    attributes,
    termDefinitions: { en: { at0001: { code: 'at0001', text: 'Tree', other: {} } } },
    termBindings: {},
  };
  return {
    templateId: 't',
    concept: 't',
    language: { terminologyId: 'ISO_639-1', codeString: 'en' },
    definition,
    annotations: [],
    constraints: [],
    ontologies: {},
  };
}

describe('compileTemplate', () => {
  it('indexes children by node id (archetype roots by archetype id) and keeps slots apart', () => {
    const compiled = compileTemplate(fixtures.template(`${IT}aql/data_load/opts/ehrbase_blood_pressure_simple.de.v0.opt`));
    const content = compiled.root.attributes.get('content');
    const observation = content?.byNodeId.get('openEHR-EHR-OBSERVATION.sample_blood_pressure.v1')?.[0];
    expect(observation?.archetype.texts('at0004')).toEqual(['Systolic']);
    const state = observation?.attributes.get('data')?.children[0]?.attributes.get('events')?.children[0]?.attributes.get('state')
      ?.children[0];
    const items = state?.attributes.get('items');
    expect([...(items?.byNodeId.keys() ?? [])]).toEqual(['at0008', 'at1005']);
    expect(items?.slots.map((slot) => slot.nodeId)).toEqual(['at1030']);
  });

  it('resolves internal references, through chains, relative to their archetype', () => {
    const tree = node('ITEM_TREE', 'at0001', [attribute('items', [node('ELEMENT', 'at0002')])]);
    const compiled = compileTemplate(
      template([
        attribute('context', [node('EVENT_CONTEXT', '', [attribute('other_context', [tree])])]),
        attribute('feeder_audit', [reference('/context/other_context[at0001]')]),
        attribute('uid', [reference('/feeder_audit')]),
        attribute('links', [reference('/nowhere[at0009]')]),
      ]),
    );
    const resolved = compiled.root.attributes.get('feeder_audit')?.children[0];
    expect(resolved?.nodeId).toBe('at0001');
    expect(resolved?.target?.constraint).toBe(tree);
    expect(compiled.root.attributes.get('uid')?.children[0]?.target?.constraint).toBe(tree);
    expect(compiled.root.attributes.get('feeder_audit')?.byNodeId.get('at0001')).toEqual([resolved]);
    expect(compiled.unresolvedReferences).toEqual(['/nowhere[at0009]']);
    expect(compiled.root.attributes.get('links')?.children[0]?.target).toBeUndefined();
  });
});
