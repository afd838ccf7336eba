import { describe, expect, it } from 'vitest';
import type { Interval } from '../template/opt-model.js';
import { interval } from './interval.js';

const range = (lower: number | undefined, upper: number | undefined, lowerIncluded = true, upperIncluded = true): Interval<number> => ({
  ...(lower !== undefined ? { lower } : {}),
  ...(upper !== undefined ? { upper } : {}),
  lowerIncluded: lower !== undefined && lowerIncluded,
  upperIncluded: upper !== undefined && upperIncluded,
  lowerUnbounded: lower === undefined,
  upperUnbounded: upper === undefined,
});

describe('interval', () => {
  it('contains honours included and excluded bounds', () => {
    expect(interval.contains(range(0, 1000, true, false), 0)).toBe(true);
    expect(interval.contains(range(0, 1000, true, false), 999.9)).toBe(true);
    expect(interval.contains(range(0, 1000, true, false), 1000)).toBe(false);
    expect(interval.contains(range(0, 10, false, true), 0)).toBe(false);
    expect(interval.contains(range(undefined, 10), -1e9)).toBe(true);
    expect(interval.contains(range(5, undefined), 4)).toBe(false);
  });

  it('formats ranges the ADL way, without the bars', () => {
    expect(interval.format(range(0, 1000))).toBe('0..1000');
    expect(interval.format(range(0, 1000, true, false))).toBe('0..<1000');
    expect(interval.format(range(0, 10, false, false))).toBe('>0..<10');
    expect(interval.format(range(0, undefined))).toBe('>=0');
    expect(interval.format(range(undefined, 100, true, false))).toBe('<100');
    expect(interval.format(range(1, 1))).toBe('1');
    expect(interval.format(range(undefined, undefined))).toBe('*');
  });

  it('formats multiplicities and gives their integral limits', () => {
    expect(interval.formatMultiplicity(range(1, undefined))).toBe('1..*');
    expect(interval.formatMultiplicity(range(0, 1))).toBe('0..1');
    expect(interval.upperLimit(range(0, 5, true, false))).toBe(4);
    expect(interval.upperLimit(range(0, undefined))).toBeUndefined();
    expect(interval.lowerLimit(range(3, 5))).toBe(3);
    expect(interval.lowerLimit(range(undefined, 5))).toBe(0);
  });
});
