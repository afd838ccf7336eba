import { describe, expect, it } from 'vitest';
import { parseIso8601, parseIso8601Date, parseIso8601DateTime, parseIso8601Duration, parseIso8601Time } from './iso8601.js';
import type { Iso8601Date, Iso8601DateTime, Iso8601Duration, Iso8601Kind, Iso8601Time } from './iso8601.js';
import { checkRmStructure } from './rm-structure-check.js';
import { readOpenEhrFixture } from '../../../test/support/openehr/fixture-index.js';

// ---------------------------------------------------------------------------------------------
// The content test cases of the openEHR conformance schedule (DV_DATE, DV_TIME, DV_DATE_TIME,
// DV_DURATION): every row of every table is evaluated here. Validity flags, `allowed` flags and
// ranges are archetype constraints (AOM C_DATE, C_TIME…), evaluated by small helpers below from the
// structured values the parser returns, which is what a validator will do with them.

interface ScheduleTable {
  readonly testCase: string;
  readonly rows: readonly Readonly<Record<string, string>>[];
}

function readSchedule(): readonly ScheduleTable[] {
  const text = readOpenEhrFixture('openehr-specifications-CNF/platform_test_schedule/master17.4-content_tc_data_types-date_time.adoc');
  const tables: ScheduleTable[] = [];
  let testCase = '';
  let header: string[] | undefined;
  let rows: Record<string, string>[] = [];
  let inTable = false;
  const cells = (line: string): string[] =>
    line
      .split('|')
      .slice(1)
      .map((cell) => cell.trim());
  for (const line of text.split('\n')) {
    const heading = /^==== Test Case (\S+)/.exec(line);
    if (heading?.[1]) testCase = heading[1];
    if (line.trim() === '|===') {
      if (inTable && header) tables.push({ testCase, rows });
      inTable = !inTable;
      header = undefined;
      rows = [];
      continue;
    }
    if (!inTable || !line.startsWith('|')) continue;
    if (!header) {
      header = cells(line);
      continue;
    }
    const values = cells(line);
    rows.push(Object.fromEntries(header.map((name, index) => [name, values[index] ?? ''])));
  }
  return tables;
}

const schedule = readSchedule();
const rowsOf = (testCase: string): Readonly<Record<string, string>>[] =>
  schedule.filter((table) => table.testCase === testCase).flatMap((table) => table.rows);

const RM_TYPES: Readonly<Record<Iso8601Kind, string>> = {
  date: 'DV_DATE',
  time: 'DV_TIME',
  date_time: 'DV_DATE_TIME',
  duration: 'DV_DURATION',
};

/** `NULL` means the DV_* has no value at all (an RM error); `''` is the empty string. */
function accepts(kind: Iso8601Kind, cell: string): boolean {
  if (cell === 'NULL') return checkRmStructure({ _type: RM_TYPES[kind] }).length === 0;
  return parseIso8601(kind, cell === "''" ? '' : cell).ok;
}

function parsed<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

type Temporal = Iso8601Date | Iso8601Time | Iso8601DateTime;

const PARTS = {
  month_validity: (value: Temporal) => 'month' in value && value.month !== undefined,
  day_validity: (value: Temporal) => 'day' in value && value.day !== undefined,
  hour_validity: (value: Temporal) => 'hour' in value && value.hour !== undefined,
  minute_validity: (value: Temporal) => 'minute' in value && value.minute !== undefined,
  second_validity: (value: Temporal) => 'second' in value && value.second !== undefined,
  millisecond_validity: (value: Temporal) => 'fractionalSecond' in value && value.fractionalSecond !== undefined,
  timezone_validity: (value: Temporal) => 'timezone' in value && value.timezone !== undefined,
} as const;

/** The C_DATE / C_TIME / C_DATE_TIME validity flags a value violates. */
function violatedValidity(value: Temporal, row: Readonly<Record<string, string>>): string[] {
  return Object.entries(PARTS)
    .filter(([flag, present]) => {
      const validity = row[flag];
      return (validity === 'mandatory' && !present(value)) || (validity === 'prohibited' && present(value));
    })
    .map(([flag]) => flag);
}

/**
 * A partial value denotes a period (`T10` is the whole tenth hour); a range `a..b` covers from the
 * start of `a` to the end of `b`, as the schedule's notes on C_TIME.range explain.
 */
function inRange(value: Temporal, range: string, parse: (text: string) => Temporal): boolean {
  const epsilon = 1e-6;
  if (range.startsWith('>=')) return value.magnitude >= parse(range.slice(2)).magnitude - epsilon;
  if (range.startsWith('<=')) return value.magnitudeEnd <= parse(range.slice(2)).magnitudeEnd + epsilon;
  const [lower = '', upper = ''] = range.split('..');
  return value.magnitude >= parse(lower).magnitude - epsilon && value.magnitudeEnd <= parse(upper).magnitudeEnd + epsilon;
}

function violatedList(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/[,.]\s+/)
    .map((part) => part.trim().replace(/^C_DURATION\./, ''))
    .map((part) => (part === 'lower' ? 'range.lower' : part))
    .filter((part) => part !== '')
    .toSorted();
}

describe('conformance schedule: validate_open (every value of the tables)', () => {
  const cases: [string, Iso8601Kind][] = [
    ['CONT-DV_DURATION-validate_open', 'duration'],
    ['CONT-DV_TIME-validate_open', 'time'],
    ['CONT-DV_DATE-validate_open', 'date'],
    ['CONT-DV_DATE_TIME-validate_open', 'date_time'],
  ];
  for (const [testCase, kind] of cases) {
    const rows = rowsOf(testCase);
    it(`${testCase} (${rows.length} rows)`, () => {
      expect(rows.length).toBeGreaterThan(9);
      for (const row of rows) {
        expect(accepts(kind, row.value ?? '') ? 'accepted' : 'rejected', `${row.value} (${row['violated constraints']})`).toBe(
          row.expected,
        );
      }
    });
  }
});

describe('conformance schedule: validity constraints on the parts present', () => {
  const cases: [string, (text: string) => Temporal][] = [
    ['CONT-DV_TIME-validate_constraint', (text) => parsed(parseIso8601Time(text))],
    ['CONT-DV_DATE-validate_constraint', (text) => parsed(parseIso8601Date(text))],
    ['CONT-DV_DATE_TIME-validate_constraint', (text) => parsed(parseIso8601DateTime(text))],
  ];
  for (const [testCase, parse] of cases) {
    const rows = rowsOf(testCase);
    it(`${testCase} (${rows.length} rows)`, () => {
      expect(rows.length).toBeGreaterThan(14);
      for (const row of rows) {
        const violated = violatedValidity(parse(row.value ?? ''), row);
        const label = `${row.value} ${JSON.stringify(row)}`;
        expect(violated.length === 0 ? 'accepted' : 'rejected', label).toBe(row.expected);
        expect(violated.toSorted(), label).toEqual(violatedList(row['violated constraints']));
      }
    });
  }
});

describe('conformance schedule: range constraints', () => {
  it('CONT-DV_TIME-validate_range', () => {
    const rows = rowsOf('CONT-DV_TIME-validate_range');
    expect(rows.length).toBeGreaterThan(100);
    const parse = (text: string): Temporal => parsed(parseIso8601Time(text));
    for (const row of rows) {
      const accepted = inRange(parse(row.value ?? ''), row['C_TIME.range'] ?? '', parse);
      expect(accepted ? 'accepted' : 'rejected', `${row.value} in ${row['C_TIME.range']}`).toBe(row.expected);
    }
  });

  it('CONT-DV_DATE-validate_range', () => {
    const rows = rowsOf('CONT-DV_DATE-validate_range');
    expect(rows).toHaveLength(9);
    const parse = (text: string): Temporal => parsed(parseIso8601Date(text));
    for (const row of rows) {
      const accepted = inRange(parse(row.value ?? ''), row['C_DATE.range'] ?? '', parse);
      expect(accepted ? 'accepted' : 'rejected', `${row.value} in ${row['C_DATE.range']}`).toBe(row.expected);
    }
  });

  it('CONT-DV_DATE_TIME-validate_range, with the erratum of the 1900-03-13 rows', () => {
    const rows = rowsOf('CONT-DV_DATE_TIME-validate_range');
    expect(rows.length).toBeGreaterThan(30);
    const parse = (text: string): Temporal => parsed(parseIso8601DateTime(text));
    const deviations: string[] = [];
    for (const row of rows) {
      const range = row['C_DATE_TIME.range'] ?? '';
      const result = inRange(parse(row.value ?? ''), range, parse) ? 'accepted' : 'rejected';
      // These rows compare 2021-10-24T10 with bounds on 1900-03-13 as if only the time of day
      // counted (copied from the DV_TIME table). On the time line 2021 lies after every bound, so
      // only `>=` ranges contain it.
      const expected = range.includes('1900-03-13T') ? (range.startsWith('>=') ? 'accepted' : 'rejected') : row.expected;
      expect(result, `${row.value} in ${range}`).toBe(expected);
      if (result !== row.expected) deviations.push(`${row.value} in ${range}`);
    }
    expect(deviations).toHaveLength(8);
  });
});

describe('conformance schedule: durations', () => {
  const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

  function violatedFields(value: Iso8601Duration, row: Readonly<Record<string, string>>): string[] {
    const violated: string[] = UNITS.filter((unit) => row[`${unit}_allowed`] === 'false' && value[unit] !== undefined).map(
      (unit) => `${unit}_allowed`,
    );
    if (row.fractional_seconds_allowed === 'false' && value.seconds !== undefined && !Number.isInteger(value.seconds)) {
      violated.push('fractional_seconds_allowed');
    }
    return violated;
  }

  function violatedRange(value: Iso8601Duration, row: Readonly<Record<string, string>>): string[] {
    const violated: string[] = [];
    if (value.magnitude < parsed(parseIso8601Duration(row['range.lower'] ?? '')).magnitude) violated.push('range.lower');
    if (value.magnitude > parsed(parseIso8601Duration(row['range.upper'] ?? '')).magnitude) violated.push('range.upper');
    return violated;
  }

  const cases: [string, (value: Iso8601Duration, row: Readonly<Record<string, string>>) => string[]][] = [
    ['CONT-DV_DURATION-validate_fields', violatedFields],
    ['CONT-DV_DURATION-validate_range', violatedRange],
    ['CONT-DV_DURATION-validate_fields_range', (value, row) => [...violatedFields(value, row), ...violatedRange(value, row)]],
  ];
  for (const [testCase, violations] of cases) {
    const rows = rowsOf(testCase);
    it(`${testCase} (${rows.length} rows)`, () => {
      expect(rows.length).toBeGreaterThan(8);
      for (const row of rows) {
        const violated = violations(parsed(parseIso8601Duration(row.value ?? '')), row);
        const label = JSON.stringify(row);
        expect(violated.length === 0 ? 'accepted' : 'rejected', label).toBe(row.expected);
        expect(violated.toSorted(), label).toEqual(violatedList(row['violated constraints']));
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------

const error = (result: { ok: boolean; error?: string }): string | undefined => (result.ok ? undefined : result.error);

describe('dates', () => {
  it('parses extended, basic and partial dates', () => {
    expect(parsed(parseIso8601Date('2021-10-24'))).toMatchObject({ year: 2021, month: 10, day: 24, extended: true, precision: 'day' });
    expect(parsed(parseIso8601Date('20211024'))).toMatchObject({ year: 2021, month: 10, day: 24, extended: false });
    expect(parsed(parseIso8601Date('2021-10'))).toMatchObject({ year: 2021, month: 10, precision: 'month' });
    expect(parsed(parseIso8601Date('201901'))).toMatchObject({ year: 2019, month: 1, extended: false, precision: 'month' });
    expect(parsed(parseIso8601Date('2021'))).toMatchObject({ year: 2021, precision: 'year' });
    expect(parsed(parseIso8601Date('2021')).month).toBeUndefined();
  });

  it('checks the calendar: leap years, month lengths, month 13', () => {
    expect(parseIso8601Date('2024-02-29').ok).toBe(true);
    expect(parseIso8601Date('2000-02-29').ok).toBe(true);
    expect(error(parseIso8601Date('2023-02-29'))).toMatch(/day 29 does not exist in 2023-02/);
    expect(parseIso8601Date('1900-02-29').ok).toBe(false);
    expect(error(parseIso8601Date('2021-04-31'))).toMatch(/day 31/);
    expect(parseIso8601Date('2021-05-31').ok).toBe(true);
    expect(error(parseIso8601Date('2021-13'))).toMatch(/month 13/);
    expect(parseIso8601Date('2021-00-10').ok).toBe(false);
  });

  it('rejects what openEHR leaves out of ISO 8601', () => {
    for (const text of ['21', '202', '+2021-01-01', '12021-01-01', '2021-W05-1', '2021-1-5', '2021-10-24T10', ' 2021', '2021-10-']) {
      expect(parseIso8601Date(text).ok, text).toBe(false);
    }
  });

  it('orders dates by magnitude, seconds since 1970-01-01 at the start of the period', () => {
    expect(parsed(parseIso8601Date('1970-01-01')).magnitude).toBe(0);
    expect(parsed(parseIso8601Date('1970-01-02')).magnitude).toBe(86_400);
    expect(parsed(parseIso8601Date('1969-12-31')).magnitude).toBe(-86_400);
    expect(parsed(parseIso8601Date('2021-10-24')).magnitude).toBe(Date.UTC(2021, 9, 24) / 1000);
    expect(parsed(parseIso8601Date('0001-01-01')).magnitude).toBe(-62_135_596_800);
    expect(parsed(parseIso8601Date('2024')).magnitudeEnd).toBe(Date.UTC(2025, 0, 1) / 1000);
    expect(parsed(parseIso8601Date('2024-02')).magnitudeEnd - parsed(parseIso8601Date('2024-02')).magnitude).toBe(29 * 86_400);
    expect(parsed(parseIso8601Date('2021-12')).magnitudeEnd).toBe(Date.UTC(2022, 0, 1) / 1000);
  });
});

describe('times', () => {
  it('parses extended, basic and partial times with fractions and zones', () => {
    expect(parsed(parseIso8601Time('10:30:47.5'))).toMatchObject({
      hour: 10,
      minute: 30,
      second: 47,
      fractionalSecond: 0.5,
      precision: 'fraction',
    });
    expect(parsed(parseIso8601Time('T103047,25+0100'))).toMatchObject({
      hour: 10,
      minute: 30,
      second: 47,
      fractionalSecond: 0.25,
      fractionDigits: 2,
      extended: false,
      timezone: { text: '+0100', offsetSeconds: 3600 },
    });
    expect(parsed(parseIso8601Time('T10'))).toMatchObject({ hour: 10, precision: 'hour' });
    expect(parsed(parseIso8601Time('1030'))).toMatchObject({ hour: 10, minute: 30, extended: false });
    expect(parsed(parseIso8601Time('10:30Z')).timezone).toEqual({ text: 'Z', offsetSeconds: 0 });
    expect(parsed(parseIso8601Time('10:30-03')).timezone).toEqual({ text: '-03', offsetSeconds: -10_800 });
    expect(parsed(parseIso8601Time('10:30+05:45')).timezone?.offsetSeconds).toBe(20_700);
    expect(parsed(parseIso8601Time('23:59:59.999999')).second).toBe(59);
  });

  it('rejects 24:00, out-of-range parts, fractional hours and minutes, bad zones', () => {
    expect(error(parseIso8601Time('24:00'))).toMatch(/24:00/);
    expect(error(parseIso8601Time('T24:00:00'))).toMatch(/24:00/);
    expect(error(parseIso8601Time('25:00'))).toMatch(/hour 25/);
    expect(error(parseIso8601Time('10:60'))).toMatch(/minute 60/);
    expect(error(parseIso8601Time('23:59:60'))).toMatch(/second 60/);
    expect(error(parseIso8601Time('T10.5'))).toMatch(/fraction only on seconds/);
    expect(error(parseIso8601Time('10:05,5'))).toMatch(/fraction only on seconds/);
    expect(error(parseIso8601Time('10:30+15:00'))).toMatch(/time zone hour 15/);
    expect(error(parseIso8601Time('10:30+01:60'))).toMatch(/time zone minute 60/);
    for (const text of ['', 'T', '1', '10:3', '10:30:4', '10:30:47.', '10:30:47Z+01', 't10:30', '10:30 ']) {
      expect(parseIso8601Time(text).ok, text).toBe(false);
    }
  });

  it('measures seconds from midnight, normalised to UTC when a zone is given', () => {
    expect(parsed(parseIso8601Time('00:00')).magnitude).toBe(0);
    expect(parsed(parseIso8601Time('10:30:47.5')).magnitude).toBe(37_847.5);
    expect(parsed(parseIso8601Time('10:00+01:00')).magnitude).toBe(9 * 3600);
    expect(parsed(parseIso8601Time('10:00-03:00')).magnitude).toBe(13 * 3600);
    expect(parsed(parseIso8601Time('00:30+01:00')).magnitude).toBe(-1800);
    expect(parsed(parseIso8601Time('T10')).magnitudeEnd).toBe(11 * 3600);
    expect(parsed(parseIso8601Time('10:30:47.25')).magnitudeEnd).toBeCloseTo(37_847.26, 9);
  });
});

describe('date-times', () => {
  it('parses full and partial date-times in both formats', () => {
    expect(parsed(parseIso8601DateTime('2021-10-24T10:30:47.333-03:00'))).toMatchObject({
      year: 2021,
      month: 10,
      day: 24,
      hour: 10,
      minute: 30,
      second: 47,
      fractionalSecond: 0.333,
      timezone: { offsetSeconds: -10_800 },
      precision: 'fraction',
    });
    expect(parsed(parseIso8601DateTime('20190114T183649,294+0000'))).toMatchObject({
      year: 2019,
      hour: 18,
      fractionalSecond: 0.294,
      extended: false,
    });
    expect(parsed(parseIso8601DateTime('2021-10-24T10'))).toMatchObject({ hour: 10, precision: 'hour' });
    expect(parsed(parseIso8601DateTime('2021-10'))).toMatchObject({ month: 10, precision: 'month' });
    expect(parsed(parseIso8601DateTime('2021'))).toMatchObject({ year: 2021, precision: 'year' });
    // Java writes extended date-times with a basic zone; accepted, the zone is unambiguous.
    expect(parsed(parseIso8601DateTime('2019-01-28T21:33:49.851+0000')).timezone?.offsetSeconds).toBe(0);
  });

  it('rejects malformed date-times', () => {
    for (const text of [
      '2021-10-24T',
      '2021-10T10:00',
      '2021T10',
      '2021-10-24 10:30',
      '2021-10-24T24:00:00',
      '2021-02-30T10:00',
      '20211024T10:30',
      '2021-10-24T1030',
      '2021-10-24T10:30:47.5.5',
      '2021-10-24t10:30',
    ]) {
      expect(parseIso8601DateTime(text).ok, text).toBe(false);
    }
  });

  it('orders instants across zones and precisions', () => {
    const magnitude = (text: string): number => parsed(parseIso8601DateTime(text)).magnitude;
    expect(magnitude('1970-01-01T00:00:00Z')).toBe(0);
    expect(magnitude('2021-10-24T10:30:00Z')).toBe(Date.UTC(2021, 9, 24, 10, 30) / 1000);
    expect(magnitude('2021-10-24T12:30:00+02:00')).toBe(magnitude('2021-10-24T10:30:00Z'));
    expect(magnitude('2021-10-24T00:30:00+01:00')).toBe(magnitude('2021-10-23T23:30:00Z'));
    expect(magnitude('2021-12-31T23:59:59.999Z')).toBeLessThan(magnitude('2022-01-01T00:00:00Z'));
    expect(magnitude('2021-10-24T10:30:47.5Z') - magnitude('2021-10-24T10:30:47Z')).toBeCloseTo(0.5, 9);
    expect(magnitude('20211024T103047Z')).toBe(magnitude('2021-10-24T10:30:47Z'));
    const sorted = ['2021-10-24T10:30Z', '2020-02-29', '2021-10-24T09:30:00-02:00', '1999'].toSorted((a, b) => magnitude(a) - magnitude(b));
    expect(sorted).toEqual(['1999', '2020-02-29', '2021-10-24T10:30Z', '2021-10-24T09:30:00-02:00']);
    expect(parsed(parseIso8601DateTime('2021-10-24T10:30')).magnitudeEnd - magnitude('2021-10-24T10:30')).toBe(60);
  });
});

describe('durations', () => {
  it('parses all designators, weeks mixed with others, negative durations and fractional seconds', () => {
    expect(parsed(parseIso8601Duration('P1Y3M4DT2H14M15.5S'))).toMatchObject({
      negative: false,
      years: 1,
      months: 3,
      days: 4,
      hours: 2,
      minutes: 14,
      seconds: 15.5,
    });
    expect(parsed(parseIso8601Duration('P3W2D'))).toMatchObject({ weeks: 3, days: 2, magnitude: 23 * 86_400 });
    expect(parsed(parseIso8601Duration('-P10D'))).toMatchObject({ negative: true, days: 10, magnitude: -864_000 });
    expect(parsed(parseIso8601Duration('PT0S')).magnitude).toBe(0);
    expect(Object.is(parsed(parseIso8601Duration('-PT0S')).magnitude, -0)).toBe(false);
    expect(parsed(parseIso8601Duration('PT1,5S')).seconds).toBe(1.5);
    expect(parsed(parseIso8601Duration('PT36H')).magnitude).toBe(129_600);
  });

  it('uses the openEHR average year and month for the magnitude', () => {
    expect(parsed(parseIso8601Duration('P1Y')).magnitude).toBe(365.24 * 86_400);
    expect(parsed(parseIso8601Duration('P1M')).magnitude).toBe(30.42 * 86_400);
    expect(parsed(parseIso8601Duration('P1Y')).magnitude).toBeGreaterThan(parsed(parseIso8601Duration('P12M')).magnitude - 86_400);
    expect(parsed(parseIso8601Duration('P2M')).magnitude).toBeGreaterThan(parsed(parseIso8601Duration('P60D')).magnitude);
  });

  it('rejects malformed durations', () => {
    expect(error(parseIso8601Duration('P1Y3M4DT2.5H'))).toMatch(/fraction only on seconds/);
    expect(error(parseIso8601Duration('P0.5Y'))).toMatch(/fraction only on seconds/);
    expect(error(parseIso8601Duration('P'))).toMatch(/no duration component/);
    expect(error(parseIso8601Duration('P1DT'))).toMatch(/'T' without a time component/);
    for (const text of ['1Y', 'P1D1Y', 'PT1H2D', 'P-1D', '+P1D', 'P1.5D', 'p1d', 'P1Y 2M', 'P0003-02-01', '']) {
      expect(parseIso8601Duration(text).ok, text).toBe(false);
    }
  });
});
