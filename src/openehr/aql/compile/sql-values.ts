/**
 * SQL for AQL's typing of values. Values travel as jsonb, so a comparison is typed by what the
 * JSON holds: numbers compare numerically, strings as text, booleans as booleans, and values of
 * different JSON types by jsonb's fixed order of types (as EHRbase does). Whole DV_ORDERED
 * objects compare by the value that orders them, and ISO 8601 date-times compare by instant,
 * so that `…+01:00` and `…+02:00` are told apart correctly.
 */

/** Matches the ISO 8601 extended date-time forms PostgreSQL's timestamptz input accepts. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

const ISO_DATE_TIME_SQL = `'^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?$'`;

/** The value a DV_ORDERED (or a text, for LIKE and MATCHES) is compared by; other values as they are. */
export function orderedValue(value: string, options: { text?: boolean } = {}): string {
  const text = options.text === true ? ` WHEN 'DV_TEXT' THEN ${value}->'value' WHEN 'DV_CODED_TEXT' THEN ${value}->'value'` : '';
  return (
    `(CASE WHEN jsonb_typeof(${value}) = 'object' THEN CASE ${value}->>'_type'` +
    ` WHEN 'DV_QUANTITY' THEN ${value}->'magnitude' WHEN 'DV_COUNT' THEN ${value}->'magnitude'` +
    ` WHEN 'DV_PROPORTION' THEN CASE WHEN (${value}->>'denominator')::numeric <> 0 THEN to_jsonb((${value}->>'numerator')::numeric / (${value}->>'denominator')::numeric) END` +
    ` WHEN 'DV_ORDINAL' THEN ${value}->'value' WHEN 'DV_SCALE' THEN ${value}->'value'` +
    ` WHEN 'DV_DATE_TIME' THEN ${value}->'value' WHEN 'DV_DATE' THEN ${value}->'value' WHEN 'DV_TIME' THEN ${value}->'value'` +
    ` WHEN 'DV_DURATION' THEN ${value}->'value'${text} ELSE ${value} END ELSE ${value} END)`
  );
}

function isDateTime(value: string): string {
  return `(jsonb_typeof(${value}) = 'string' AND (${value} #>> '{}') ~ ${ISO_DATE_TIME_SQL})`;
}

function instant(value: string): string {
  return `(${value} #>> '{}')::timestamptz`;
}

export type SqlComparison = '=' | '<>' | '>' | '>=' | '<' | '<=';

/**
 * `left op right` for two jsonb values. When `right` is known to be a date-time (a literal or a
 * parameter), `rightInstant` holds it as timestamptz and only the left side is inspected.
 */
export function compareJson(left: string, op: SqlComparison, right: string, rightInstant?: string): string {
  if (rightInstant !== undefined) {
    return `(CASE WHEN ${isDateTime(left)} THEN ${instant(left)} ${op} ${rightInstant} ELSE ${left} ${op} ${right} END)`;
  }
  return `(CASE WHEN ${isDateTime(left)} AND ${isDateTime(right)} THEN ${instant(left)} ${op} ${instant(right)} ELSE ${left} ${op} ${right} END)`;
}

/** The text of a jsonb string (or the printed form of a number or boolean). */
export function jsonText(value: string): string {
  return `(${value} #>> '{}')`;
}

/** The number in a jsonb value, NULL when it holds something else. */
export function jsonNumber(value: string): string {
  return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END)`;
}

/** What kind of value a literal is, for comparing it with a whole data value. */
export type LiteralCategory = 'number' | 'date-time' | 'date' | 'time' | 'duration' | 'other';

export function literalCategory(value: unknown): LiteralCategory {
  if (typeof value === 'number') return 'number';
  if (typeof value !== 'string') return 'other';
  if (ISO_DATE_TIME.test(value)) return 'date-time';
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return 'date';
  if (/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(value)) return 'time';
  if (/^-?P/.test(value)) return 'duration';
  return 'other';
}

const ORDERING: Readonly<Record<LiteralCategory, readonly (readonly [string, string])[]>> = {
  number: [
    ['DV_QUANTITY', "->'magnitude'"],
    ['DV_COUNT', "->'magnitude'"],
    ['DV_ORDINAL', "->'value'"],
    ['DV_SCALE', "->'value'"],
  ],
  'date-time': [['DV_DATE_TIME', "->'value'"]],
  date: [['DV_DATE', "->'value'"]],
  time: [['DV_TIME', "->'value'"]],
  duration: [['DV_DURATION', "->'value'"]],
  other: [],
};

/**
 * The value a whole data value is compared by against a literal of `category`: a DV_QUANTITY
 * with a number, a DV_DATE_TIME with a date-time, and so on. A data value of another kind is
 * not comparable with the literal (NULL), as EHRbase answers; a primitive stays as it is.
 */
export function orderedValueFor(value: string, category: LiteralCategory): string {
  const cases = ORDERING[category].map(([type, access]) => ` WHEN '${type}' THEN ${value}${access}`);
  if (category === 'number') {
    cases.push(
      ` WHEN 'DV_PROPORTION' THEN CASE WHEN (${value}->>'denominator')::numeric <> 0 THEN to_jsonb((${value}->>'numerator')::numeric / (${value}->>'denominator')::numeric) END`,
    );
  }
  const inner = cases.length > 0 ? `CASE ${value}->>'_type'${cases.join('')} END` : 'NULL::jsonb';
  return `(CASE WHEN jsonb_typeof(${value}) = 'object' THEN ${inner} ELSE ${value} END)`;
}
