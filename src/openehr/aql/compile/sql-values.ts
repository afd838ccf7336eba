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

/** A calendar date, complete or partial (`2022`, `2022-02`, `2022-02-03`). */
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const ISO_DATE_SQL = `'^\\d{4}(-\\d{2}(-\\d{2})?)?$'`;

function isDate(value: string): string {
  return `(jsonb_typeof(${value}) = 'string' AND (${value} #>> '{}') ~ ${ISO_DATE_SQL})`;
}

/** How many characters of a date or date-time are its date: a date-time's date is always complete. */
function dateLength(value: string): string {
  return `(CASE WHEN ${isDateTime(value)} THEN 10 ELSE length(${value} #>> '{}') END)`;
}

/**
 * An ISO 8601 duration as the RM writes it, `[-]P[nY][nM][nW][nD][T[nH][nM][nS]]`, with at
 * least one component; the groups are the sign and the components in that order.
 */
export const ISO_DURATION =
  /^-?P(?=\d|T\d)(\d+([.,]\d+)?Y)?(\d+([.,]\d+)?M)?(\d+([.,]\d+)?W)?(\d+([.,]\d+)?D)?(T(?=\d)(\d+([.,]\d+)?H)?(\d+([.,]\d+)?M)?(\d+([.,]\d+)?S)?)?$/;
const N = `(\\d+(?:[.,]\\d+)?)`;
const ISO_DURATION_SQL = `'^(-)?P(?=\\d|T\\d)(?:${N}Y)?(?:${N}M)?(?:${N}W)?(?:${N}D)?(?:T(?=\\d)(?:${N}H)?(?:${N}M)?(?:${N}S)?)?$'`;

/**
 * Seconds per component of a duration: years and months at the openEHR averages
 * (Time_Definitions: 365.24 and 30.42 days), as the validator and DV_DURATION.magnitude count them.
 */
const DURATION_SECONDS = [31_556_736, 2_628_288, 604_800, 86_400, 3_600, 60, 1] as const;

/** The length of a duration held in a jsonb string, in seconds (numeric); NULL for anything else. */
export function durationSeconds(value: string): string {
  const terms = DURATION_SECONDS.map((seconds, index) => `coalesce(replace(dur.m[${index + 2}], ',', '.')::numeric, 0) * ${seconds}`);
  return (
    `(SELECT CASE WHEN dur.m[1] = '-' THEN -1 ELSE 1 END * (${terms.join(' + ')}) ` +
    `FROM regexp_match(CASE WHEN jsonb_typeof(${value}) = 'string' THEN ${value} #>> '{}' END, ${ISO_DURATION_SQL}) AS dur(m) WHERE dur.m IS NOT NULL)`
  );
}

/**
 * The numeric key an ordered value sorts by before its JSON: the instant of a date-time (epoch
 * seconds), the length of a duration; NULL for other values, which then sort by their JSON.
 */
export function orderingKey(value: string): string {
  return `(CASE WHEN ${isDateTime(value)} THEN extract(epoch FROM ${instant(value)}) ELSE ${durationSeconds(value)} END)`;
}

export type SqlComparison = '=' | '<>' | '>' | '>=' | '<' | '<=';

/** A literal as its comparison needs it: a date-time, date or duration with its typed parameters, or anything else. */
export type TypedLiteral =
  | { readonly kind: 'date-time'; readonly instant: string; readonly text: string }
  | { readonly kind: 'date'; readonly text: string }
  | { readonly kind: 'duration'; readonly seconds: string }
  /** Any other literal: compared as JSON. */
  | { readonly kind: 'other' };

/**
 * `left op right` for two jsonb values, by the openEHR rules for ordered values: date-times by
 * instant; a date against a date or date-time at the coarser of the two granularities (a day of
 * `2022-02-03T04:05` equals `2022-02-03`, a month `2022-02` equals any day in it); durations by
 * length (`PT59H33M` = `P2DT11H33M`); anything else by jsonb. When `right` is a literal, `literal`
 * carries it typed and only the left side is inspected.
 */
export function compareJson(left: string, op: SqlComparison, right: string, literal?: TypedLiteral): string {
  const text = (value: string) => `(${value} #>> '{}')`;
  const fallback = `${left} ${op} ${right}`;
  if (literal?.kind === 'date-time') {
    return (
      `(CASE WHEN ${isDateTime(left)} THEN ${instant(left)} ${op} ${literal.instant}` +
      ` WHEN ${isDate(left)} THEN ${text(left)} ${op} left(${literal.text}, length(${text(left)})) ELSE ${fallback} END)`
    );
  }
  if (literal?.kind === 'date') {
    const length = `least(length(${literal.text}), ${dateLength(left)})`;
    return (
      `(CASE WHEN ${isDateTime(left)} OR ${isDate(left)} THEN left(${text(left)}, ${length}) ${op} left(${literal.text}, ${length})` +
      ` ELSE ${fallback} END)`
    );
  }
  if (literal?.kind === 'duration') {
    return `(CASE WHEN ${durationSeconds(left)} IS NOT NULL THEN ${durationSeconds(left)} ${op} ${literal.seconds} ELSE ${fallback} END)`;
  }
  if (literal?.kind === 'other') return `(${fallback})`;
  const length = `least(${dateLength(left)}, ${dateLength(right)})`;
  return (
    `(CASE WHEN ${isDateTime(left)} AND ${isDateTime(right)} THEN ${instant(left)} ${op} ${instant(right)}` +
    ` WHEN (${isDateTime(left)} OR ${isDate(left)}) AND (${isDateTime(right)} OR ${isDate(right)}) THEN left(${text(left)}, ${length}) ${op} left(${text(right)}, ${length})` +
    ` WHEN ${durationSeconds(left)} IS NOT NULL AND ${durationSeconds(right)} IS NOT NULL THEN ${durationSeconds(left)} ${op} ${durationSeconds(right)}` +
    ` ELSE ${fallback} END)`
  );
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
  if (ISO_DATE.test(value)) return 'date';
  if (/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(value)) return 'time';
  if (ISO_DURATION.test(value)) return 'duration';
  return 'other';
}

const ORDERING: Readonly<Record<LiteralCategory, readonly (readonly [string, string])[]>> = {
  number: [
    ['DV_QUANTITY', "->'magnitude'"],
    ['DV_COUNT', "->'magnitude'"],
    ['DV_ORDINAL', "->'value'"],
    ['DV_SCALE', "->'value'"],
  ],
  'date-time': [
    ['DV_DATE_TIME', "->'value'"],
    ['DV_DATE', "->'value'"],
  ],
  date: [
    ['DV_DATE', "->'value'"],
    ['DV_DATE_TIME', "->'value'"],
  ],
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
