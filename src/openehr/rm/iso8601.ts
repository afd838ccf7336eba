/**
 * ISO 8601 dates, times, date-times and durations as openEHR uses them (BASE foundation types,
 * Iso8601_date / _time / _date_time / _duration):
 *
 * - extended (`2021-10-24T10:30:47.5+01:00`) and basic (`20211024T103047,5+0100`) formats;
 * - partial values: a date-time may stop after the year, month, day, hour or minute, a date after
 *   the year or month, a time after the hour or minute;
 * - fractions only on seconds (`T10.5` and `T10:05.5` are rejected), with `.` or `,`;
 * - time zones `Z`, `±hh`, `±hh:mm`, `±hhmm` (hour 00..14);
 * - no `24:00:00`, no leap second, no expanded years, no week dates;
 * - durations `[-]P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]`, with the openEHR exceptions: a leading
 *   minus and `W` mixed with other designators.
 *
 * Every parsed value carries `magnitude`, a number that orders values of the same kind:
 * seconds since 1970-01-01T00:00:00Z for dates and date-times (the start of the period a partial
 * value denotes; values without a zone are read as UTC), seconds since midnight for times
 * (normalised to UTC when a zone is given, so it may fall outside 0..86400), and seconds for
 * durations (years and months at the openEHR averages of 365.24 and 30.42 days).
 * `magnitudeEnd` is the exclusive end of the period a date, time or date-time denotes
 * (`2021` covers 2021-01-01 up to 2022-01-01), which range checks on partial values need.
 */

export type Iso8601Precision = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

export interface Iso8601Timezone {
  /** As written: `Z`, `+01:00`, `-0300`, `+05`. */
  readonly text: string;
  /** Offset from UTC in seconds (east positive). */
  readonly offsetSeconds: number;
}

interface TemporalParts {
  /** The text that was parsed. */
  readonly value: string;
  /** Basic format (`20211024`, `103047`) is false; extended (`2021-10-24`, `10:30:47`) is true. */
  readonly extended: boolean;
  readonly precision: Iso8601Precision;
  readonly magnitude: number;
  readonly magnitudeEnd: number;
}

interface TimeParts {
  readonly hour: number;
  readonly minute?: number;
  readonly second?: number;
  /** The fraction of a second, 0 ≤ f < 1, when the value has one. */
  readonly fractionalSecond?: number;
  /** Number of digits written after the decimal mark. */
  readonly fractionDigits?: number;
  readonly timezone?: Iso8601Timezone;
}

export interface Iso8601Date extends TemporalParts {
  readonly kind: 'date';
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

export interface Iso8601Time extends TemporalParts, TimeParts {
  readonly kind: 'time';
}

export interface Iso8601DateTime extends TemporalParts, Partial<TimeParts> {
  readonly kind: 'date_time';
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

export interface Iso8601Duration {
  readonly kind: 'duration';
  readonly value: string;
  readonly negative: boolean;
  readonly years?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  /** May carry a fraction. */
  readonly seconds?: number;
  /** Signed length in seconds, with years and months at their openEHR averages. */
  readonly magnitude: number;
}

export type Iso8601Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export type Iso8601Kind = 'date' | 'time' | 'date_time' | 'duration';

const SECONDS_PER_DAY = 86_400;
/** Time_Definitions.Average_days_in_year (365.24) and Average_days_in_month (30.42), in seconds. */
const SECONDS_PER_AVERAGE_YEAR = 31_556_736;
const SECONDS_PER_AVERAGE_MONTH = 2_628_288;

const TIMEZONE = '(Z|[+-]\\d{2}(?::?\\d{2})?)';
const EXTENDED_TIME = new RegExp(`^(\\d{2})(?::(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?)?${TIMEZONE}?$`);
const BASIC_TIME = new RegExp(`^(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:[.,](\\d+))?)?)?${TIMEZONE}?$`);
const EXTENDED_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const BASIC_DATE = /^(\d{4})(\d{2})(\d{2})?$/;
const FRACTIONAL_HOUR_OR_MINUTE = /^\d{2}(?::?\d{2})?[.,]\d/;
const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:(T)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;

function fail<T>(error: string): Iso8601Result<T> {
  return { ok: false, error };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (works for years 0000-9999, unlike Date.UTC). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function toNumber(digits: string | undefined): number | undefined {
  return digits === undefined ? undefined : Number(digits);
}

interface DateFields {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
  readonly extended: boolean;
}

function parseDateFields(text: string, requireFullDate: boolean): Iso8601Result<DateFields> {
  const basic = BASIC_DATE.exec(text);
  const extended = basic ? null : EXTENDED_DATE.exec(text);
  const match = basic ?? extended;
  if (!match) return fail(`'${text}' is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, YYYYMM or YYYYMMDD)`);
  const year = Number(match[1]);
  const month = toNumber(match[2]);
  const day = toNumber(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) return fail(`month ${match[2]} is not in 01..12`);
  if (day !== undefined && month !== undefined && (day < 1 || day > daysInMonth(year, month))) {
    return fail(`day ${match[3]} does not exist in ${match[1]}-${match[2]}`);
  }
  if (requireFullDate && day === undefined) return fail(`a date with a time needs year, month and day`);
  return {
    ok: true,
    value: { year, extended: basic === null, ...(month === undefined ? {} : { month }), ...(day === undefined ? {} : { day }) },
  };
}

function parseTimezone(text: string): Iso8601Result<Iso8601Timezone> {
  if (text === 'Z') return { ok: true, value: { text, offsetSeconds: 0 } };
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14) return fail(`time zone hour ${digits.slice(0, 2)} is not in 00..14`);
  if (minutes > 59) return fail(`time zone minute ${digits.slice(2)} is not in 00..59`);
  const sign = text.startsWith('-') ? -1 : 1;
  return { ok: true, value: { text, offsetSeconds: sign * (hours * 3600 + minutes * 60) } };
}

interface TimeFields extends TimeParts {
  readonly extended: boolean;
  readonly precision: Iso8601Precision;
  /** Seconds since local midnight, before applying the zone. */
  readonly localSeconds: number;
  readonly unitSeconds: number;
}

function parseTimeFields(text: string): Iso8601Result<TimeFields> {
  const extended = EXTENDED_TIME.exec(text);
  const basic = extended ? null : BASIC_TIME.exec(text);
  const match = extended ?? basic;
  if (!match) {
    if (FRACTIONAL_HOUR_OR_MINUTE.test(text)) return fail(`'${text}': openEHR allows a fraction only on seconds`);
    return fail(`'${text}' is not an ISO 8601 time (hh, hh:mm, hh:mm:ss[.sss] or hhmmss[.sss], optional zone)`);
  }
  const hour = Number(match[1]);
  const minute = toNumber(match[2]);
  const second = toNumber(match[3]);
  const fractionText = match[4];
  if (hour === 24) return fail(`'${text}': openEHR does not allow 24:00`);
  if (hour > 23) return fail(`hour ${match[1]} is not in 00..23`);
  if (minute !== undefined && minute > 59) return fail(`minute ${match[2]} is not in 00..59`);
  if (second !== undefined && second > 59) return fail(`second ${match[3]} is not in 00..59`);
  let timezone: Iso8601Timezone | undefined;
  if (match[5] !== undefined) {
    const zone = parseTimezone(match[5]);
    if (!zone.ok) return zone;
    timezone = zone.value;
  }
  const fractionalSecond = fractionText === undefined ? undefined : Number(`0.${fractionText}`);
  const [precision, unitSeconds]: [Iso8601Precision, number] =
    fractionText !== undefined
      ? ['fraction', 10 ** -fractionText.length]
      : second !== undefined
        ? ['second', 1]
        : minute !== undefined
          ? ['minute', 60]
          : ['hour', 3600];
  return {
    ok: true,
    value: {
      hour,
      ...(minute === undefined ? {} : { minute }),
      ...(second === undefined ? {} : { second }),
      ...(fractionalSecond === undefined ? {} : { fractionalSecond, fractionDigits: fractionText?.length ?? 0 }),
      ...(timezone === undefined ? {} : { timezone }),
      // An hour-only time is written the same way in both formats.
      extended: minute === undefined || extended !== null,
      precision,
      localSeconds: hour * 3600 + (minute ?? 0) * 60 + (second ?? 0) + (fractionalSecond ?? 0),
      unitSeconds,
    },
  };
}

function dateRange(fields: DateFields): { start: number; end: number; precision: Iso8601Precision } {
  const { year, month, day } = fields;
  if (month === undefined) {
    return { start: daysFromCivil(year, 1, 1), end: daysFromCivil(year + 1, 1, 1), precision: 'year' };
  }
  if (day === undefined) {
    const end = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
    return { start: daysFromCivil(year, month, 1), end, precision: 'month' };
  }
  const start = daysFromCivil(year, month, day);
  return { start, end: start + 1, precision: 'day' };
}

export function parseIso8601Date(text: string): Iso8601Result<Iso8601Date> {
  const fields = parseDateFields(text, false);
  if (!fields.ok) return fields;
  const range = dateRange(fields.value);
  return {
    ok: true,
    value: {
      kind: 'date',
      value: text,
      ...fields.value,
      precision: range.precision,
      magnitude: range.start * SECONDS_PER_DAY,
      magnitudeEnd: range.end * SECONDS_PER_DAY,
    },
  };
}

/** A time, with or without the leading `T`. */
export function parseIso8601Time(text: string): Iso8601Result<Iso8601Time> {
  const fields = parseTimeFields(text.startsWith('T') ? text.slice(1) : text);
  if (!fields.ok) return fields;
  const { localSeconds, unitSeconds, ...time } = fields.value;
  const magnitude = localSeconds - (time.timezone?.offsetSeconds ?? 0);
  return { ok: true, value: { kind: 'time', value: text, ...time, magnitude, magnitudeEnd: magnitude + unitSeconds } };
}

export function parseIso8601DateTime(text: string): Iso8601Result<Iso8601DateTime> {
  const separator = text.indexOf('T');
  const dateText = separator < 0 ? text : text.slice(0, separator);
  const date = parseDateFields(dateText, separator >= 0);
  if (!date.ok) return date;
  const range = dateRange(date.value);
  if (separator < 0) {
    return {
      ok: true,
      value: {
        kind: 'date_time',
        value: text,
        ...date.value,
        precision: range.precision,
        magnitude: range.start * SECONDS_PER_DAY,
        magnitudeEnd: range.end * SECONDS_PER_DAY,
      },
    };
  }
  const time = parseTimeFields(text.slice(separator + 1));
  if (!time.ok) return time;
  const { localSeconds, unitSeconds, extended: timeExtended, ...timeParts } = time.value;
  if (timeParts.minute !== undefined && timeExtended !== date.value.extended) {
    return fail(`'${text}' mixes the basic and extended formats`);
  }
  const magnitude = range.start * SECONDS_PER_DAY + localSeconds - (timeParts.timezone?.offsetSeconds ?? 0);
  return {
    ok: true,
    value: {
      kind: 'date_time',
      value: text,
      ...date.value,
      ...timeParts,
      magnitude,
      magnitudeEnd: magnitude + unitSeconds,
    },
  };
}

export function parseIso8601Duration(text: string): Iso8601Result<Iso8601Duration> {
  const match = DURATION.exec(text);
  if (!match) {
    if (/^-?P.*\d[.,]\d+[YMWDH]/.test(text)) return fail(`'${text}': openEHR allows a fraction only on seconds`);
    return fail(`'${text}' is not an ISO 8601 duration ([-]P[nY][nM][nW][nD][T[nH][nM][nS]])`);
  }
  const [, minus, y, mo, w, d, t, h, mi, s, fraction] = match;
  if ([y, mo, w, d, h, mi, s].every((part) => part === undefined)) return fail(`'${text}' has no duration component`);
  if (t !== undefined && [h, mi, s].every((part) => part === undefined)) return fail(`'${text}' has 'T' without a time component`);
  const seconds = s === undefined ? undefined : Number(fraction === undefined ? s : `${s}.${fraction}`);
  const parts = {
    years: toNumber(y),
    months: toNumber(mo),
    weeks: toNumber(w),
    days: toNumber(d),
    hours: toNumber(h),
    minutes: toNumber(mi),
    seconds,
  };
  const length =
    (parts.years ?? 0) * SECONDS_PER_AVERAGE_YEAR +
    (parts.months ?? 0) * SECONDS_PER_AVERAGE_MONTH +
    (parts.weeks ?? 0) * 7 * SECONDS_PER_DAY +
    (parts.days ?? 0) * SECONDS_PER_DAY +
    (parts.hours ?? 0) * 3600 +
    (parts.minutes ?? 0) * 60 +
    (parts.seconds ?? 0);
  const negative = minus !== undefined;
  const defined = Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined));
  return {
    ok: true,
    value: { kind: 'duration', value: text, negative, ...defined, magnitude: negative && length !== 0 ? -length : length },
  };
}

/** Parses a value of the given kind; a convenience for callers that hold the kind as data. */
export function parseIso8601(
  kind: Iso8601Kind,
  text: string,
): Iso8601Result<Iso8601Date | Iso8601Time | Iso8601DateTime | Iso8601Duration> {
  switch (kind) {
    case 'date':
      return parseIso8601Date(text);
    case 'time':
      return parseIso8601Time(text);
    case 'date_time':
      return parseIso8601DateTime(text);
    case 'duration':
      return parseIso8601Duration(text);
  }
}
