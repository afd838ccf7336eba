import { describe, expect, it } from 'vitest';
import type { Composition, ContentItem, DataValue, DvInterval, DvQuantity, Element, Observation, PartyProxy } from './index.js';
import { checkRmStructure, getRmClass, listRmAttributes } from './index.js';

/** The TypeScript types describe canonical JSON: a value typed with them passes the run-time check. */
const observation: Observation = {
  _type: 'OBSERVATION',
  archetype_node_id: 'openEHR-EHR-OBSERVATION.body_weight.v2',
  name: { value: 'Body weight' },
  language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
  encoding: { terminology_id: { value: 'IANA_character-sets' }, code_string: 'UTF-8' },
  subject: { _type: 'PARTY_SELF' },
  data: {
    archetype_node_id: 'at0002',
    name: { value: 'History' },
    origin: { value: '2024-03-01T10:00:00Z' },
    events: [
      {
        _type: 'POINT_EVENT',
        archetype_node_id: 'at0003',
        name: { value: 'Any event' },
        time: { value: '2024-03-01T10:00:00Z' },
        data: {
          _type: 'ITEM_TREE',
          archetype_node_id: 'at0001',
          name: { value: 'Tree' },
          items: [
            {
              _type: 'ELEMENT',
              archetype_node_id: 'at0004',
              name: { value: 'Weight' },
              value: {
                _type: 'DV_QUANTITY',
                magnitude: 72.5,
                units: 'kg',
                normal_range: { lower: { magnitude: 50, units: 'kg' }, lower_unbounded: false, upper_unbounded: true },
              },
            },
          ],
        },
      },
    ],
  },
};

const composition: Composition = {
  _type: 'COMPOSITION',
  archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
  name: { value: 'Encounter' },
  language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
  territory: { terminology_id: { value: 'ISO_3166-1' }, code_string: 'GB' },
  category: { value: 'event', defining_code: { terminology_id: { value: 'openehr' }, code_string: '433' } },
  composer: { _type: 'PARTY_IDENTIFIED', name: 'Dr Who' },
  content: [observation],
};

function describeContent(item: ContentItem): string {
  switch (item._type) {
    case 'OBSERVATION':
      return `observation with ${item.data.events?.length ?? 0} event(s)`;
    case 'SECTION':
      return `section of ${item.items?.length ?? 0}`;
    default:
      return item._type ?? 'untyped';
  }
}

function magnitudeOf(value: DataValue | undefined): number | undefined {
  return value?._type === 'DV_QUANTITY' || value?._type === 'DV_COUNT' ? value.magnitude : undefined;
}

describe('RM TypeScript types', () => {
  it('type canonical JSON that the structure check accepts', () => {
    expect(checkRmStructure(composition)).toEqual([]);
  });

  it('narrow on _type', () => {
    expect(describeContent(observation)).toBe('observation with 1 event(s)');
    const tree = observation.data.events?.[0]?.data;
    const item = tree?._type === 'ITEM_TREE' ? tree.items?.[0] : undefined;
    const element: Element | undefined = item?._type === 'ELEMENT' ? item : undefined;
    expect(magnitudeOf(element?.value)).toBe(72.5);
    const range: DvInterval<DvQuantity> | undefined = (element?.value as DvQuantity).normal_range;
    expect(range?.lower?.units).toBe('kg');
    const composer: PartyProxy = composition.composer;
    expect(composer._type === 'PARTY_IDENTIFIED' ? composer.name : undefined).toBe('Dr Who');
  });

  it('name every attribute the run-time model knows for the classes they cover', () => {
    // A typo in a field name of the types would show up as an attribute the model lacks.
    const fields: Record<string, readonly string[]> = {
      COMPOSITION: Object.keys(composition),
      OBSERVATION: Object.keys(observation),
    };
    for (const [type, keys] of Object.entries(fields)) {
      const known = listRmAttributes(type).map((attribute) => attribute.name);
      expect(
        keys.filter((key) => key !== '_type' && !known.includes(key)),
        type,
      ).toEqual([]);
      expect(getRmClass(type)?.abstract).toBe(false);
    }
  });
});
