import { parseIso8601 } from '../rm/iso8601.js';
import type { Iso8601Kind, Iso8601Precision } from '../rm/iso8601.js';
import type { CDate, CDateTime, CDuration, CTime } from '../template/opt-model.js';
import type { ConstraintProblem } from './constraint-problem.js';
import { interval } from './interval.js';

type TemporalConstraint = CDate | CTime | CDateTime | CDuration;

const KINDS: Readonly<Record<TemporalConstraint['type'], Iso8601Kind>> = {
  C_DATE: 'date',
  C_TIME: 'time',
  C_DATE_TIME: 'date_time',
  C_DURATION: 'duration',
};

const COMPONENTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
type Component = (typeof COMPONENTS)[number];

/** Index of the last component a value carries (fractions count as seconds). */
const PRECISION_RANK: Readonly<Record<Iso8601Precision, number>> = {
  year: 0,
  month: 1,
  day: 2,
  hour: 3,
  minute: 4,
  second: 5,
  fraction: 5,
};

type Requirement = 'mandatory' | 'optional' | 'prohibited';

/**
 * AOM 1.4 date/time patterns: each component is written with its letters (mandatory), `??`
 * (optional) or `XX` (prohibited): `yyyy-mm-dd`, `yyyy-??-??`, `hh:mm:XX`, `YYYY-MM-DDTHH:MM:SS`.
 * Letters are read case-insensitively because templates use both cases.
 */
function parseDatePattern(pattern: string, kind: 'date' | 'time' | 'date_time'): Map<Component, Requirement> | undefined {
  const parts = pattern.trim().replace(/^T/, '').split(/[-:T]/);
  const first = kind === 'time' ? 3 : 0;
  const result = new Map<Component, Requirement>();
  for (const [offset, part] of parts.entries()) {
    const component = COMPONENTS[first + offset];
    if (component === undefined || part === '') return undefined;
    result.set(component, part.includes('?') ? 'optional' : /x/i.test(part) ? 'prohibited' : 'mandatory');
  }
  return result;
}

function present(kind: Iso8601Kind, precision: Iso8601Precision): ReadonlySet<Component> {
  const first = kind === 'time' ? 3 : 0;
  return new Set(COMPONENTS.slice(first, PRECISION_RANK[precision] + 1));
}

const DURATION_DESIGNATORS: Readonly<Record<string, string>> = {
  years: 'Y',
  months: 'M',
  weeks: 'W',
  days: 'D',
  hours: 'TH',
  minutes: 'TM',
  seconds: 'TS',
};

/** `PYMWDTHMS`-style duration patterns name the designators allowed; `TH` means hours. */
function allowedDurationDesignators(pattern: string): ReadonlySet<string> | undefined {
  const match = /^P([YMWD]*)(?:T([HMS]*))?$/i.exec(pattern.trim());
  if (!match) return undefined;
  const allowed = new Set<string>();
  for (const letter of (match[1] ?? '').toUpperCase()) allowed.add(letter);
  for (const letter of (match[2] ?? '').toUpperCase()) allowed.add(`T${letter}`);
  return allowed;
}

const TIMEZONE_VALIDITY: Readonly<Record<string, Requirement>> = { '1001': 'mandatory', '1002': 'optional', '1003': 'prohibited' };

/**
 * Checks an ISO 8601 string against a C_DATE / C_TIME / C_DATE_TIME / C_DURATION: the pattern and
 * the range. Values that do not parse are left to the RM structure check, which reports them.
 */
export function checkTemporal(constraint: TemporalConstraint, value: string, label: string): ConstraintProblem[] {
  const kind = KINDS[constraint.type];
  const parsed = parseIso8601(kind, value);
  if (!parsed.ok) return [];
  const problems: ConstraintProblem[] = [];
  const result = parsed.value;
  if (constraint.pattern !== undefined) {
    if (result.kind === 'duration') {
      const allowed = allowedDurationDesignators(constraint.pattern);
      // A zero component (PT0S where only years are allowed) does not make the duration need that field.
      const fields = result as unknown as Record<string, unknown>;
      const used = Object.entries(DURATION_DESIGNATORS)
        .filter(([field]) => fields[field] !== undefined && fields[field] !== 0)
        .map(([, designator]) => designator);
      const refused = allowed === undefined ? [] : used.filter((designator) => !allowed.has(designator));
      if (refused.length > 0) {
        problems.push({
          constraint: `pattern ${constraint.pattern}`,
          message: `${label} '${value}' uses ${refused.map((d) => d.replace('T', 'time ')).join(', ')}, which the pattern ${constraint.pattern} does not allow`,
        });
      }
    } else {
      const requirements = parseDatePattern(constraint.pattern, result.kind);
      const has = present(result.kind, result.precision);
      for (const [component, requirement] of requirements ?? []) {
        if (requirement === 'mandatory' && !has.has(component)) {
          problems.push({
            constraint: `pattern ${constraint.pattern}`,
            message: `${label} '${value}' has no ${component}, which the pattern ${constraint.pattern} requires`,
          });
          break;
        }
        if (requirement === 'prohibited' && has.has(component)) {
          problems.push({
            constraint: `pattern ${constraint.pattern}`,
            message: `${label} '${value}' has a ${component}, which the pattern ${constraint.pattern} does not allow`,
          });
          break;
        }
      }
    }
  }
  if (
    constraint.type !== 'C_DURATION' &&
    constraint.timezoneValidity !== undefined &&
    (result.kind === 'time' || result.kind === 'date_time')
  ) {
    const requirement = TIMEZONE_VALIDITY[constraint.timezoneValidity];
    const zoned = result.timezone !== undefined;
    // A date-time without a time part has nowhere to put a zone.
    const hasTime = result.precision !== 'year' && result.precision !== 'month' && result.precision !== 'day';
    if ((requirement === 'mandatory' && hasTime && !zoned) || (requirement === 'prohibited' && zoned)) {
      problems.push({
        constraint: `timezone ${requirement}`,
        message: `${label} '${value}' ${zoned ? 'has a time zone, which the template does not allow' : 'needs a time zone'}`,
      });
    }
  }
  const range = constraint.range;
  if (range !== undefined) {
    const magnitudeOf = (text: string): number | undefined => {
      const bound = parseIso8601(kind, text);
      return bound.ok ? bound.value.magnitude : undefined;
    };
    const lower = range.lower === undefined ? undefined : magnitudeOf(range.lower);
    const upper = range.upper === undefined ? undefined : magnitudeOf(range.upper);
    const numeric = {
      ...range,
      ...(lower !== undefined ? { lower } : { lower: undefined, lowerUnbounded: true }),
      ...(upper !== undefined ? { upper } : { upper: undefined, upperUnbounded: true }),
    };
    if (!interval.contains(numeric, result.magnitude)) {
      problems.push({
        constraint: `${label} ${interval.format(range)}`,
        message: `${label} '${value}' is outside the range ${interval.format(range)} the template allows`,
      });
    }
  }
  return problems;
}
