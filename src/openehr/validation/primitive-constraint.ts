import type { CPrimitive, CString } from '../template/opt-model.js';
import type { ConstraintProblem } from './constraint-problem.js';
import { interval } from './interval.js';
import { checkTemporal } from './temporal-constraint.js';

const patternCache = new Map<string, RegExp | null>();

/**
 * C_STRING patterns are whole-value regular expressions (ADL writes them between slashes, the
 * OPT without). Java-style syntax mostly carries over; a pattern JavaScript cannot compile is
 * treated as absent rather than refusing every value.
 */
function compilePattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled !== undefined) return compiled;
  const source = pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/') ? pattern.slice(1, -1) : pattern;
  compiled = null;
  for (const flags of ['u', '']) {
    try {
      compiled = new RegExp(`^(?:${source})$`, flags);
      break;
    } catch {
      // try the next flag set
    }
  }
  patternCache.set(pattern, compiled);
  return compiled;
}

function formatList(values: readonly (string | number)[]): string {
  return `{${values.join(', ')}}`;
}

function checkString(constraint: CString, value: string, label: string): ConstraintProblem[] {
  const listed = constraint.list.length > 0 && constraint.listOpen !== true;
  const regex = constraint.pattern === undefined ? null : compilePattern(constraint.pattern);
  // AOM 1.4 gives a C_STRING either a pattern or a list; when a template has both, either may admit the value.
  if (listed && constraint.list.includes(value)) return [];
  if (regex !== null && regex.test(value)) return [];
  if (listed) {
    return [
      {
        constraint: `${label} in ${formatList(constraint.list)}`,
        message: `${label} '${value}' is not one of the values the template allows: ${constraint.list.map((item) => `'${item}'`).join(', ')}`,
      },
    ];
  }
  if (regex !== null) {
    return [
      {
        constraint: `pattern ${constraint.pattern ?? ''}`,
        message: `${label} '${value}' does not match the pattern ${constraint.pattern ?? ''} the template requires`,
      },
    ];
  }
  return [];
}

function checkNumber(constraint: Extract<CPrimitive, { type: 'C_INTEGER' | 'C_REAL' }>, value: number, label: string): ConstraintProblem[] {
  const inList = constraint.list.length > 0 && constraint.list.includes(value);
  const inRange = constraint.range !== undefined && interval.contains(constraint.range, value);
  if (inList || inRange || (constraint.list.length === 0 && constraint.range === undefined)) return [];
  if (constraint.range !== undefined && constraint.list.length === 0) {
    return [
      {
        constraint: `${label} ${interval.format(constraint.range)}`,
        message: `${label} ${value} is outside the range ${interval.format(constraint.range)} the template allows`,
      },
    ];
  }
  return [
    {
      constraint: `${label} in ${formatList(constraint.list)}`,
      message: `${label} ${value} is not one of the values the template allows: ${constraint.list.join(', ')}`,
    },
  ];
}

/**
 * Checks a JSON primitive against a C_PRIMITIVE constraint. `label` names the attribute in the
 * constraint text (`magnitude 0..100`, `value in {XYZ}`). A value of the wrong JSON type is the
 * RM structure check's finding, so it is skipped here.
 */
export function checkPrimitive(constraint: CPrimitive, value: unknown, label: string): ConstraintProblem[] {
  switch (constraint.type) {
    case 'C_STRING':
      return typeof value === 'string' ? checkString(constraint, value, label) : [];
    case 'C_INTEGER':
    case 'C_REAL':
      return typeof value === 'number' ? checkNumber(constraint, value, label) : [];
    case 'C_BOOLEAN': {
      if (typeof value !== 'boolean') return [];
      if (value ? constraint.trueValid : constraint.falseValid) return [];
      const allowed = [constraint.trueValid ? 'true' : undefined, constraint.falseValid ? 'false' : undefined].filter(
        (item) => item !== undefined,
      );
      return [
        {
          constraint: `${label} in {${allowed.join(', ')}}`,
          message: `${label} ${String(value)} is not allowed by the template${allowed.length > 0 ? `; only ${allowed.join(' or ')} is` : ''}`,
        },
      ];
    }
    case 'C_DATE':
    case 'C_TIME':
    case 'C_DATE_TIME':
    case 'C_DURATION':
      return typeof value === 'string' ? checkTemporal(constraint, value, label) : [];
  }
}
