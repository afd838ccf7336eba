import { parseIso8601 } from '../rm/iso8601.js';
import type { Iso8601Kind } from '../rm/iso8601.js';
import { rmBaseTypeName } from '../rm/rm-info.js';
import type { ConstraintProblem } from './constraint-problem.js';

/**
 * Invariants of the RM data types that hold whatever the template says (RM 1.1.0 data_types),
 * named as the specification names them. Formats and mandatory attributes are the RM structure
 * check's; these are the rules between attributes.
 */

type Checker = (value: Record<string, unknown>) => ConstraintProblem[];

function invariant(name: string, message: string, subPath?: string, value?: unknown): ConstraintProblem {
  return {
    constraint: `invariant ${name}`,
    message,
    ...(subPath !== undefined ? { subPath } : {}),
    ...(value !== undefined ? { value } : {}),
  };
}

const isIntegral = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value);

const proportion: Checker = (value) => {
  const { numerator, denominator, type, precision } = value;
  if (typeof numerator !== 'number' || typeof denominator !== 'number' || typeof type !== 'number') return [];
  const problems: ConstraintProblem[] = [];
  if (denominator === 0)
    problems.push(invariant('Valid_denominator', 'a proportion needs a denominator other than 0', '/denominator', denominator));
  if (type === 1 && denominator !== 1) {
    problems.push(
      invariant('Unitary_validity', `a unitary proportion (type 1) needs denominator 1, found ${denominator}`, '/denominator', denominator),
    );
  }
  if (type === 2 && denominator !== 100) {
    problems.push(
      invariant(
        'Percent_validity',
        `a percent proportion (type 2) needs denominator 100, found ${denominator}`,
        '/denominator',
        denominator,
      ),
    );
  }
  if (type === 3 || type === 4) {
    if (typeof precision === 'number' && precision !== 0) {
      problems.push(
        invariant(
          'Fraction_validity',
          `a fraction (type ${type}) is integral, so its precision must be 0, found ${precision}`,
          '/precision',
          precision,
        ),
      );
    } else if (!isIntegral(numerator) || !isIntegral(denominator)) {
      problems.push(
        invariant(
          'Fraction_validity',
          `a fraction (type ${type}) needs an integral numerator and denominator, found ${numerator}/${denominator}`,
          '/numerator',
          numerator,
        ),
      );
    }
  } else if (precision === 0 && (!isIntegral(numerator) || !isIntegral(denominator))) {
    problems.push(
      invariant(
        'Is_integral_validity',
        `precision 0 makes the proportion integral, but it is ${numerator}/${denominator}`,
        '/numerator',
        numerator,
      ),
    );
  }
  return problems;
};

const TEMPORAL_KINDS: Readonly<Record<string, Iso8601Kind>> = {
  DV_DATE: 'date',
  DV_TIME: 'time',
  DV_DATE_TIME: 'date_time',
  DV_DURATION: 'duration',
};

/** A number that orders two DV_ORDERED values of the same type, when one can be read. */
function orderingValue(value: unknown): { type: string; units?: string; magnitude: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const type = typeof record._type === 'string' ? rmBaseTypeName(record._type) : '';
  const kind = TEMPORAL_KINDS[type];
  if (kind !== undefined) {
    if (typeof record.value !== 'string') return undefined;
    const parsed = parseIso8601(kind, record.value);
    return parsed.ok ? { type, magnitude: parsed.value.magnitude } : undefined;
  }
  if (type === 'DV_ORDINAL' || type === 'DV_SCALE') return typeof record.value === 'number' ? { type, magnitude: record.value } : undefined;
  if (type === 'DV_PROPORTION') {
    const { numerator, denominator } = record;
    return typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0
      ? { type, magnitude: numerator / denominator }
      : undefined;
  }
  if (typeof record.magnitude === 'number') {
    return { type, magnitude: record.magnitude, ...(typeof record.units === 'string' ? { units: record.units } : {}) };
  }
  return undefined;
}

const dvInterval: Checker = (value) => {
  const problems: ConstraintProblem[] = [];
  if (value.lower_unbounded === true && value.lower_included === true) {
    problems.push(invariant('Lower_included_valid', 'an interval unbounded below cannot include its lower limit', '/lower_included', true));
  }
  if (value.upper_unbounded === true && value.upper_included === true) {
    problems.push(invariant('Upper_included_valid', 'an interval unbounded above cannot include its upper limit', '/upper_included', true));
  }
  if (value.lower_unbounded !== true && value.upper_unbounded !== true) {
    const lower = orderingValue(value.lower);
    const upper = orderingValue(value.upper);
    const comparable = lower && upper && lower.type === upper.type && lower.units === upper.units;
    if (comparable && lower.magnitude > upper.magnitude) {
      problems.push(
        invariant('Limits_consistent', 'the lower limit of the interval is greater than its upper limit', '/lower', value.lower),
      );
    }
  }
  return problems;
};

const multimedia: Checker = (value) =>
  value.data == null && value.uri == null ? [invariant('Not_empty', 'a multimedia value needs inline data or a uri')] : [];

const parsable: Checker = (value) =>
  typeof value.formalism === 'string' && value.formalism.trim() === ''
    ? [invariant('Formalism_valid', 'a parsable value needs a formalism', '/formalism', value.formalism)]
    : [];

/**
 * DV_URI.value is a URI reference (RFC 3986 section 4.1): a relative reference without a scheme
 * is as valid as an absolute URI, so the RM's only rule is that it is not empty.
 */
const uri: Checker = (value) =>
  typeof value.value === 'string' && value.value.trim() === ''
    ? [invariant('Value_valid', 'a URI value may not be empty', '/value', value.value)]
    : [];

const ehrUri: Checker = (value) =>
  typeof value.value === 'string' && !/^ehr:/i.test(value.value)
    ? [invariant('Scheme_valid', `'${value.value}' is not an EHR URI; it must use the ehr: scheme`, '/value', value.value)]
    : [];

const CHECKERS: Readonly<Record<string, Checker>> = {
  DV_PROPORTION: proportion,
  DV_INTERVAL: dvInterval,
  DV_MULTIMEDIA: multimedia,
  DV_PARSABLE: parsable,
  DV_URI: uri,
  DV_EHR_URI: ehrUri,
};

/** The invariant violations of one data value object of RM type `type`. */
export function checkDataValueInvariants(type: string, value: Record<string, unknown>): ConstraintProblem[] {
  return CHECKERS[rmBaseTypeName(type)]?.(value) ?? [];
}
