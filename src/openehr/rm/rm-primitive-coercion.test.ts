import { describe, expect, it } from 'vitest';
import { coerceRmPrimitives } from './rm-primitive-coercion.js';
import { checkRmStructure } from './rm-structure-check.js';
import { readOpenEhrFixture } from '../../../test/support/openehr/fixture-index.js';

const quantity = (magnitude: unknown, precision?: unknown) => ({
  _type: 'ELEMENT',
  archetype_node_id: 'at0001',
  name: { _type: 'DV_TEXT', value: 'Height' },
  value: { _type: 'DV_QUANTITY', magnitude, units: 'cm', ...(precision !== undefined ? { precision } : {}) },
});

describe('coerceRmPrimitives', () => {
  it('turns numeric and boolean strings into the primitive their RM attribute declares', () => {
    expect(coerceRmPrimitives(quantity('130.5', '1'))).toEqual(quantity(130.5, 1));
    expect(coerceRmPrimitives({ _type: 'DV_COUNT', magnitude: '-3' })).toEqual({ _type: 'DV_COUNT', magnitude: -3 });
    expect(coerceRmPrimitives({ _type: 'DV_BOOLEAN', value: 'false' })).toEqual({ _type: 'DV_BOOLEAN', value: false });
    expect(coerceRmPrimitives({ _type: 'DV_PROPORTION', numerator: '10', denominator: '5e2', type: '2' })).toEqual({
      _type: 'DV_PROPORTION',
      numerator: 10,
      denominator: 500,
      type: 2,
    });
    // Nested, in lists, and where _type is left to the declared type.
    const ordinal = {
      _type: 'DV_ORDINAL',
      value: '1',
      symbol: { value: 'x', defining_code: { terminology_id: { value: 'local' }, code_string: 'at1' } },
    };
    expect(
      coerceRmPrimitives({
        _type: 'CLUSTER',
        archetype_node_id: 'at0',
        name: { value: 'c' },
        items: [{ ...quantity('2'), value: ordinal }],
      }),
    ).toMatchObject({
      items: [{ value: { value: 1 } }],
    });
  });

  it('leaves strings that do not spell the primitive exactly, and String attributes, as they are', () => {
    for (const magnitude of [' 130', '+130', '0x10', '1,5', '', 'NaN', 'Infinity', '1e999', '130.']) {
      expect(coerceRmPrimitives(quantity(magnitude)).value.magnitude).toBe(magnitude);
    }
    expect(coerceRmPrimitives({ _type: 'DV_COUNT', magnitude: '1.5' }).magnitude).toBe('1.5');
    expect(coerceRmPrimitives({ _type: 'DV_COUNT', magnitude: '12345678901234567890' }).magnitude).toBe('12345678901234567890');
    expect(coerceRmPrimitives({ _type: 'DV_BOOLEAN', value: 'TRUE' }).value).toBe('TRUE');
    // A DV_TEXT whose text happens to be a number stays text.
    expect(coerceRmPrimitives({ _type: 'DV_TEXT', value: '42' })).toEqual({ _type: 'DV_TEXT', value: '42' });
    // Unknown attributes and untypable objects are not touched (the structure check reports them).
    expect(coerceRmPrimitives({ _type: 'DV_COUNT', magnitude: 1, extra: '2' })).toEqual({ _type: 'DV_COUNT', magnitude: 1, extra: '2' });
    expect(coerceRmPrimitives({ _type: 'NO_SUCH_TYPE', magnitude: '2' })).toEqual({ _type: 'NO_SUCH_TYPE', magnitude: '2' });
  });

  it('never modifies its input and shares what needs no change', () => {
    const input = { _type: 'CLUSTER', archetype_node_id: 'at0', name: { value: 'c' }, items: [quantity('7'), quantity(8)] };
    const snapshot = structuredClone(input);
    const output = coerceRmPrimitives(input);
    expect(input).toEqual(snapshot);
    expect(output.items[0]?.value.magnitude).toBe(7);
    expect(output.items[1]).toBe(input.items[1]);
    expect(output.name).toBe(input.name);
    const clean = { _type: 'DV_COUNT', magnitude: 3 };
    expect(coerceRmPrimitives(clean)).toBe(clean);
  });

  it('keeps a "__proto__" key as data', () => {
    const input = JSON.parse('{"_type":"DV_COUNT","magnitude":"4","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const output = coerceRmPrimitives(input);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toContain('__proto__');
    expect(output['magnitude']).toBe(4);
  });

  it('makes the EHRbase data-type fixture with string magnitudes pass the RM structure check', () => {
    const composition: unknown = JSON.parse(
      readOpenEhrFixture('ehrbase-integration-tests/test_data_sets/compositions/CANONICAL_JSON/Test_dv_quantity_open_constraint.v0__.json'),
    );
    expect(checkRmStructure(composition, 'COMPOSITION').map((issue) => issue.code)).toContain('wrong_primitive_type');
    expect(checkRmStructure(coerceRmPrimitives(composition, 'COMPOSITION'), 'COMPOSITION')).toEqual([]);
  });
});
