import { describe, expect, it } from 'vitest';
import { exampleNumber, inRange } from './example-number.js';

describe('exampleNumber', () => {
  it('takes the middle of a closed range, rounded to the allowed decimals', () => {
    expect(exampleNumber({ range: { minOp: '>=', min: 0, maxOp: '<', max: 1000 } })).toBe(500);
    expect(exampleNumber({ range: { minOp: '>=', min: 0, maxOp: '<=', max: 1 }, decimals: 1 })).toBe(0.5);
    expect(exampleNumber({ range: { minOp: '>=', min: 30, maxOp: '<=', max: 45 }, decimals: 0 })).toBe(38);
  });

  it('steps inside an open bound and respects exclusive limits', () => {
    expect(exampleNumber({ range: { minOp: '>', min: 0 } })).toBe(1);
    expect(exampleNumber({ range: { minOp: '>=', min: 18 } })).toBe(19);
    expect(exampleNumber({ range: { maxOp: '<', max: -5 } })).toBe(-6);
    expect(exampleNumber({ range: { minOp: '>', min: 0, maxOp: '<', max: 1 }, decimals: 1 })).toBe(0.5);
  });

  it('uses the preferred value when nothing constrains it, and honours extra conditions', () => {
    expect(exampleNumber({}, 50)).toBe(50);
    expect(exampleNumber({ range: { minOp: '>=', min: 0, maxOp: '<=', max: 0 }, accept: (n) => n !== 0 })).toBeUndefined();
  });

  it('reports ranges with no number of the allowed precision', () => {
    expect(exampleNumber({ range: { minOp: '>', min: 0, maxOp: '<', max: 1 }, decimals: 0 })).toBeUndefined();
  });

  it('reads web template ranges', () => {
    expect(inRange(5, undefined)).toBe(true);
    expect(inRange(5, { minOp: '>', min: 5 })).toBe(false);
    expect(inRange(5, { minOp: '>=', min: 5, maxOp: '<=', max: 5 })).toBe(true);
    expect(inRange(5, { maxOp: '<', max: 5 })).toBe(false);
  });
});
