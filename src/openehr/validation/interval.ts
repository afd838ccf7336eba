import type { Interval } from '../template/opt-model.js';

/**
 * Interval helpers shared by the checks: membership and the compact textual form used in the
 * `constraint` of an issue. The form follows ADL without the bars: `0..1000`, `0..<1000`, `>=0`,
 * `<10`; multiplicities (occurrences, existence, cardinality) use `1..*`.
 */
export const interval = {
  contains<T extends number | string>(range: Interval<T>, value: T, compare: (a: T, b: T) => number = defaultCompare): boolean {
    if (!range.lowerUnbounded && range.lower !== undefined) {
      const order = compare(value, range.lower);
      if (order < 0 || (order === 0 && !range.lowerIncluded)) return false;
    }
    if (!range.upperUnbounded && range.upper !== undefined) {
      const order = compare(value, range.upper);
      if (order > 0 || (order === 0 && !range.upperIncluded)) return false;
    }
    return true;
  },

  /** `0..1`, `1..*` for occurrences, existence and cardinality. */
  formatMultiplicity(range: Interval<number>): string {
    const lower = range.lowerUnbounded || range.lower === undefined ? 0 : range.lower;
    const upper = range.upperUnbounded || range.upper === undefined ? '*' : String(range.upper);
    return `${lower}..${upper}`;
  },

  /** `0..1000`, `>0..<10`, `>=0`, `<=100`, `*`. */
  format<T extends number | string>(range: Interval<T>): string {
    const hasLower = !range.lowerUnbounded && range.lower !== undefined;
    const hasUpper = !range.upperUnbounded && range.upper !== undefined;
    const lower = String(range.lower);
    const upper = String(range.upper);
    if (hasLower && hasUpper) {
      if (range.lowerIncluded && range.upperIncluded && lower === upper) return lower;
      return `${range.lowerIncluded ? '' : '>'}${lower}..${range.upperIncluded ? '' : '<'}${upper}`;
    }
    if (hasLower) return `${range.lowerIncluded ? '>=' : '>'}${lower}`;
    if (hasUpper) return `${range.upperIncluded ? '<=' : '<'}${upper}`;
    return '*';
  },

  /** The largest value allowed, or undefined when unbounded above. */
  upperLimit(range: Interval<number>): number | undefined {
    return range.upperUnbounded || range.upper === undefined ? undefined : range.upperIncluded ? range.upper : range.upper - 1;
  },

  lowerLimit(range: Interval<number>): number {
    return range.lowerUnbounded || range.lower === undefined ? 0 : range.lowerIncluded ? range.lower : range.lower + 1;
  },
};

function defaultCompare<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
