import { describe, expect, it } from 'vitest';
import { withExplicitRmTypes } from './rm-explicit-types.js';
import { checkRmStructure } from './rm-structure-check.js';
import { listOpenEhrFixtures, readOpenEhrFixture } from '../../../test/support/openehr/fixture-index.js';

describe('withExplicitRmTypes', () => {
  it('adds _type wherever canonical JSON left it to the declared type', () => {
    const status = {
      archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
      name: { value: 'EHR Status' },
      subject: {
        external_ref: { id: { _type: 'GENERIC_ID', value: '9999999999', scheme: 'NHS' }, namespace: 'demographic', type: 'PERSON' },
      },
      is_queryable: true,
      is_modifiable: true,
    };
    expect(withExplicitRmTypes(status, 'EHR_STATUS')).toEqual({
      _type: 'EHR_STATUS',
      archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
      name: { _type: 'DV_TEXT', value: 'EHR Status' },
      subject: {
        _type: 'PARTY_SELF',
        external_ref: {
          _type: 'PARTY_REF',
          id: { _type: 'GENERIC_ID', value: '9999999999', scheme: 'NHS' },
          namespace: 'demographic',
          type: 'PERSON',
        },
      },
      is_queryable: true,
      is_modifiable: true,
    });
    expect(status).not.toHaveProperty('_type');
  });

  it('keeps written types, generic ones included, and leaves untypable values as they are', () => {
    const value = {
      _type: 'ELEMENT',
      archetype_node_id: 'at0001',
      name: { _type: 'DV_CODED_TEXT', value: 'x', defining_code: { terminology_id: { value: 'local' }, code_string: 'at1' } },
      value: { _type: 'DV_INTERVAL<DV_COUNT>', lower: { magnitude: 1 }, lower_unbounded: false, upper_unbounded: true },
      null_reason: { no: 'type' },
      extra: { kept: true },
    };
    const explicit = withExplicitRmTypes(value);
    expect(explicit.name.defining_code).toEqual({
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'local' },
      code_string: 'at1',
    });
    expect(explicit.value).toEqual({
      _type: 'DV_INTERVAL<DV_COUNT>',
      lower: { _type: 'DV_COUNT', magnitude: 1 },
      lower_unbounded: false,
      upper_unbounded: true,
    });
    expect(explicit.extra).toEqual({ kept: true });
    expect(withExplicitRmTypes({ composer: { name: 'x' } }, 'COMPOSITION').composer).toEqual({ name: 'x' });
    expect(withExplicitRmTypes('text')).toBe('text');
    const hostile = withExplicitRmTypes(
      JSON.parse('{"_type":"DV_TEXT","value":"x","__proto__":{"polluted":true}}') as Record<string, unknown>,
    );
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
    expect(Object.keys(hostile)).toEqual(['_type', 'value', '__proto__']);
  });

  it('keeps every valid fixture composition valid and fully typed', () => {
    const files = listOpenEhrFixtures('K1')
      .filter(({ file }) => !/invalid/.test(file))
      .slice(0, 40);
    let checked = 0;
    for (const { file } of files) {
      const value: unknown = JSON.parse(readOpenEhrFixture(file));
      if (checkRmStructure(value, 'COMPOSITION').length > 0) continue;
      const explicit = withExplicitRmTypes(value, 'COMPOSITION');
      expect(checkRmStructure(explicit), file).toEqual([]);
      const untyped = JSON.stringify(explicit).match(/\{"(?!_type")/g) ?? [];
      expect(untyped, file).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
