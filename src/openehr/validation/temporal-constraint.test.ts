import { describe, expect, it } from 'vitest';
import { checkTemporal } from './temporal-constraint.js';

const constraints = (problems: readonly { constraint: string }[]): string[] => problems.map((problem) => problem.constraint);

describe('checkTemporal', () => {
  it('date patterns: letters mandatory, ?? optional, XX prohibited', () => {
    const date = (pattern: string, value: string): string[] => constraints(checkTemporal({ type: 'C_DATE', pattern }, value, 'value'));
    expect(date('yyyy-mm-dd', '2021-10-24')).toEqual([]);
    expect(date('yyyy-mm-dd', '2021-10')).toEqual(['pattern yyyy-mm-dd']);
    expect(date('yyyy-mm-??', '2021-10')).toEqual([]);
    expect(date('yyyy-??-??', '2021')).toEqual([]);
    expect(date('yyyy-mm-XX', '2021-10-24')).toEqual(['pattern yyyy-mm-XX']);
    expect(date('yyyy-??-XX', '2021-10')).toEqual([]);
    expect(date('YYYY-MM-DD', '20211024')).toEqual([]);
  });

  it('time and date-time patterns', () => {
    const time = (pattern: string, value: string): string[] => constraints(checkTemporal({ type: 'C_TIME', pattern }, value, 'value'));
    expect(time('hh:mm:ss', 'T10:30:47.5')).toEqual([]);
    expect(time('hh:mm:ss', '10:30')).toEqual(['pattern hh:mm:ss']);
    expect(time('Thh:mm:XX', '10:30')).toEqual([]);
    expect(time('hh:mm:XX', '10:30:47')).toEqual(['pattern hh:mm:XX']);
    const dateTime = (pattern: string, value: string): string[] =>
      constraints(checkTemporal({ type: 'C_DATE_TIME', pattern }, value, 'value'));
    expect(dateTime('yyyy-mm-ddTHH:??:??', '2021-10-24T10')).toEqual([]);
    expect(dateTime('yyyy-mm-ddTHH:??:??', '2021-10-24')).toEqual(['pattern yyyy-mm-ddTHH:??:??']);
    expect(dateTime('yyyy-??-??T??:??:??', '2021')).toEqual([]);
  });

  it('duration patterns list the designators allowed; zero components are free', () => {
    const duration = (pattern: string, value: string): string[] =>
      constraints(checkTemporal({ type: 'C_DURATION', pattern }, value, 'value'));
    expect(duration('PYMWDTHMS', 'P1Y3M15DT23H35M22.5S')).toEqual([]);
    expect(duration('PTM', 'PT90M')).toEqual([]);
    expect(duration('PTM', 'PT1H')).toEqual(['pattern PTM']);
    expect(duration('PDTH', 'P2DT4H')).toEqual([]);
    expect(duration('PDTH', 'P1W')).toEqual(['pattern PDTH']);
    expect(duration('PY', 'PT0S')).toEqual([]);
    expect(checkTemporal({ type: 'C_DURATION', pattern: 'PY' }, 'P1M', 'width')[0]?.message).toBe(
      "width 'P1M' uses M, which the pattern PY does not allow",
    );
  });

  it('ranges compare instants, with both bounds honoured', () => {
    const inclusive = { lowerIncluded: true, upperIncluded: true, lowerUnbounded: false, upperUnbounded: false };
    const duration = { type: 'C_DURATION', range: { lower: 'PT0S', upper: 'PT1H', ...inclusive } } as const;
    expect(checkTemporal(duration, 'PT60M', 'value')).toEqual([]);
    expect(constraints(checkTemporal(duration, 'PT61M', 'value'))).toEqual(['value PT0S..PT1H']);
    const date = { type: 'C_DATE', range: { lower: '1900-01-01', upper: '2030-12-31', ...inclusive } } as const;
    expect(checkTemporal(date, '2021', 'value')).toEqual([]);
    expect(constraints(checkTemporal(date, '1899-12-31', 'value'))).toEqual(['value 1900-01-01..2030-12-31']);
  });

  it('time zone validity', () => {
    expect(constraints(checkTemporal({ type: 'C_DATE_TIME', timezoneValidity: '1001' }, '2021-10-24T10:30:00', 'value'))).toEqual([
      'timezone mandatory',
    ]);
    expect(checkTemporal({ type: 'C_DATE_TIME', timezoneValidity: '1001' }, '2021-10-24', 'value')).toEqual([]);
    expect(constraints(checkTemporal({ type: 'C_TIME', timezoneValidity: '1003' }, '10:30Z', 'value'))).toEqual(['timezone prohibited']);
  });

  it('leaves values that do not parse to the RM structure check', () => {
    expect(checkTemporal({ type: 'C_DATE', pattern: 'yyyy-mm-dd' }, '24.10.2021', 'value')).toEqual([]);
  });
});
