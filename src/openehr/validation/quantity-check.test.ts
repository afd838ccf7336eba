import { describe, expect, it } from 'vitest';
import type { CDvQuantity } from '../template/opt-model.js';
import { checkQuantity, decimalPlaces } from './quantity-check.js';

const inclusive = { lowerIncluded: true, upperIncluded: true, lowerUnbounded: false, upperUnbounded: false };
const bodyTemperature: CDvQuantity = {
  type: 'C_DV_QUANTITY',
  rmTypeName: 'DV_QUANTITY',
  nodeId: '',
  occurrences: { lower: 1, upper: 1, ...inclusive },
  list: [
    { units: 'Cel', magnitude: { lower: 0, upper: 100, ...inclusive }, precision: { lower: 1, upper: 1, ...inclusive } },
    { units: '[degF]', magnitude: { lower: 30, upper: 220, ...inclusive } },
  ],
};

describe('checkQuantity', () => {
  it('accepts a value within the unit’s range and precision', () => {
    expect(checkQuantity(bodyTemperature, { magnitude: 37.5, units: 'Cel', precision: 1 })).toEqual([]);
    expect(checkQuantity(bodyTemperature, { magnitude: 37, units: 'Cel' })).toEqual([]);
    expect(checkQuantity(bodyTemperature, { magnitude: 99.55, units: '[degF]' })).toEqual([]);
  });

  it('reports units, range and precision where they fail', () => {
    expect(checkQuantity(bodyTemperature, { magnitude: 300, units: 'K' }).map((problem) => [problem.subPath, problem.constraint])).toEqual([
      ['/units', 'units in {Cel, [degF]}'],
    ]);
    expect(
      checkQuantity(bodyTemperature, { magnitude: 20, units: '[degF]' }).map((problem) => [problem.subPath, problem.constraint]),
    ).toEqual([['/magnitude', 'magnitude 30..220']]);
    expect(
      checkQuantity(bodyTemperature, { magnitude: 37.55, units: 'Cel', precision: 2 }).map((problem) => [
        problem.subPath,
        problem.constraint,
      ]),
    ).toEqual([
      ['/precision', 'precision 1'],
      ['/magnitude', 'precision 1'],
    ]);
  });

  it('counts decimal places of the number as written', () => {
    expect(decimalPlaces(72)).toBe(0);
    expect(decimalPlaces(72.5)).toBe(1);
    expect(decimalPlaces(0.125)).toBe(3);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(1.5e-7)).toBe(8);
    expect(decimalPlaces(1e21)).toBe(0);
  });
});
