import type { CDvQuantity, CQuantityItem } from '../template/opt-model.js';
import type { ConstraintProblem } from './constraint-problem.js';
import { interval } from './interval.js';

/** Decimal places of a JSON number as written (shortest round-trip form): 72.5 → 1, 1e-7 → 7. */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function formatUnits(items: readonly CQuantityItem[]): string {
  return `{${items.map((item) => item.units).join(', ')}}`;
}

/**
 * Checks a DV_QUANTITY against C_DV_QUANTITY: units in the list, then, for the matching unit, the
 * magnitude range and the precision. AOM precision is the number of decimal places: the data's
 * `precision` must lie in the interval and the magnitude may not carry more decimals than its
 * upper bound allows (-1 means no limit).
 */
export function checkQuantity(constraint: CDvQuantity, value: Record<string, unknown>): ConstraintProblem[] {
  if (constraint.list.length === 0) return [];
  const units = value.units;
  const magnitude = value.magnitude;
  if (typeof units !== 'string') return [];
  const item = constraint.list.find((candidate) => candidate.units === units);
  if (!item) {
    return [
      {
        constraint: `units in ${formatUnits(constraint.list)}`,
        message: `units '${units}' are not allowed here; the template allows ${formatUnits(constraint.list)}`,
        subPath: '/units',
        value: units,
      },
    ];
  }
  const problems: ConstraintProblem[] = [];
  if (typeof magnitude === 'number' && item.magnitude !== undefined && !interval.contains(item.magnitude, magnitude)) {
    problems.push({
      constraint: `magnitude ${interval.format(item.magnitude)}`,
      message: `magnitude ${magnitude} ${units} is outside the range ${interval.format(item.magnitude)} the template allows for ${units}`,
      subPath: '/magnitude',
      value: magnitude,
    });
  }
  const precision = item.precision;
  if (precision !== undefined) {
    const declared = value.precision;
    if (typeof declared === 'number' && declared !== -1 && !interval.contains(precision, declared)) {
      problems.push({
        constraint: `precision ${interval.format(precision)}`,
        message: `precision ${declared} is outside the precision ${interval.format(precision)} the template allows for ${units}`,
        subPath: '/precision',
        value: declared,
      });
    }
    const limit = interval.upperLimit(precision);
    if (typeof magnitude === 'number' && limit !== undefined && limit >= 0 && decimalPlaces(magnitude) > limit) {
      problems.push({
        constraint: `precision ${interval.format(precision)}`,
        message: `magnitude ${magnitude} has ${decimalPlaces(magnitude)} decimal places; the template allows at most ${limit} for ${units}`,
        subPath: '/magnitude',
        value: magnitude,
      });
    }
  }
  return problems;
}
