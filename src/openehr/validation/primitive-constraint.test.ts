import { describe, expect, it } from 'vitest';
import { checkPrimitive } from './primitive-constraint.js';

const inclusive = { lowerIncluded: true, upperIncluded: true, lowerUnbounded: false, upperUnbounded: false };

describe('checkPrimitive', () => {
  it('C_STRING: list, whole-value pattern, open list', () => {
    expect(checkPrimitive({ type: 'C_STRING', list: ['XYZ', 'OPQ'] }, 'OPQ', 'value')).toEqual([]);
    expect(checkPrimitive({ type: 'C_STRING', list: ['XYZ', 'OPQ'] }, 'opq', 'value')).toEqual([
      { constraint: 'value in {XYZ, OPQ}', message: "value 'opq' is not one of the values the template allows: 'XYZ', 'OPQ'" },
    ]);
    expect(checkPrimitive({ type: 'C_STRING', list: ['XYZ'], listOpen: true }, 'ABC', 'value')).toEqual([]);
    expect(checkPrimitive({ type: 'C_STRING', pattern: '^\\d{10}$', list: [] }, '0123456789', 'id')).toEqual([]);
    expect(checkPrimitive({ type: 'C_STRING', pattern: '\\d{10}', list: [] }, '0123456789x', 'id')).toEqual([
      { constraint: 'pattern \\d{10}', message: "id '0123456789x' does not match the pattern \\d{10} the template requires" },
    ]);
    // A pattern JavaScript cannot compile does not refuse every value.
    expect(checkPrimitive({ type: 'C_STRING', pattern: '(?<', list: [] }, 'anything', 'value')).toEqual([]);
  });

  it('C_INTEGER and C_REAL: range or list', () => {
    expect(checkPrimitive({ type: 'C_INTEGER', list: [], range: { lower: 10, upper: 20, ...inclusive } }, 15, 'magnitude')).toEqual([]);
    expect(checkPrimitive({ type: 'C_INTEGER', list: [], range: { lower: 10, upper: 20, ...inclusive } }, 30, 'magnitude')).toEqual([
      { constraint: 'magnitude 10..20', message: 'magnitude 30 is outside the range 10..20 the template allows' },
    ]);
    expect(checkPrimitive({ type: 'C_INTEGER', list: [10, 15, 20] }, 1, 'magnitude').map((problem) => problem.constraint)).toEqual([
      'magnitude in {10, 15, 20}',
    ]);
    expect(
      checkPrimitive({ type: 'C_REAL', list: [], range: { lower: 5, upper: 20, ...inclusive, upperIncluded: false } }, 20, 'numerator').map(
        (problem) => problem.constraint,
      ),
    ).toEqual(['numerator 5..<20']);
  });

  it('C_BOOLEAN', () => {
    expect(checkPrimitive({ type: 'C_BOOLEAN', trueValid: true, falseValid: false }, true, 'value')).toEqual([]);
    expect(checkPrimitive({ type: 'C_BOOLEAN', trueValid: true, falseValid: false }, false, 'value')).toEqual([
      { constraint: 'value in {true}', message: 'value false is not allowed by the template; only true is' },
    ]);
  });

  it('skips values of the wrong JSON type (the RM structure check reports them)', () => {
    expect(checkPrimitive({ type: 'C_INTEGER', list: [1] }, '1', 'magnitude')).toEqual([]);
    expect(checkPrimitive({ type: 'C_STRING', list: ['a'] }, 1, 'value')).toEqual([]);
  });
});
