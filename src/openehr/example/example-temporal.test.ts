import { describe, expect, it } from 'vitest';
import { exampleClock } from './example-clock.js';
import { exampleDuration } from './example-duration.js';
import { exampleTemporal } from './example-temporal.js';

describe('exampleClock', () => {
  it('reads ISO 8601 date-times with or without seconds, fraction and zone', () => {
    expect(exampleClock('2024-05-06T07:08:09.123Z')).toMatchObject({ year: '2024', month: '05', day: '06', second: '09', zone: 'Z' });
    expect(exampleClock('2024-05-06T07:08+02:00')).toMatchObject({ minute: '08', second: '00', zone: '+02:00' });
    expect(exampleClock('2024-05-06T07:08:09')).toMatchObject({ zone: '' });
  });

  it('refuses anything else', () => {
    expect(() => exampleClock('2024-05-06')).toThrow(RangeError);
    expect(() => exampleClock('now')).toThrow(RangeError);
  });
});

describe('exampleTemporal', () => {
  const clock = exampleClock('2024-05-06T07:08:09.5Z');

  it('writes full values without a pattern (times of day without zone)', () => {
    expect(exampleTemporal('DATE', undefined, clock)).toBe('2024-05-06');
    expect(exampleTemporal('TIME', undefined, clock)).toBe('07:08:09');
    expect(exampleTemporal('DATETIME', undefined, clock)).toBe('2024-05-06T07:08:09Z');
  });

  it('stops before the first prohibited component and keeps optional ones', () => {
    expect(exampleTemporal('DATE', 'yyyy-??-XX', clock)).toBe('2024-05');
    expect(exampleTemporal('DATE', 'yyyy-XX-XX', clock)).toBe('2024');
    expect(exampleTemporal('TIME', 'HH:MM:XX', clock)).toBe('07:08');
    expect(exampleTemporal('DATETIME', 'yyyy-mm-ddTHH:??:??', clock)).toBe('2024-05-06T07:08:09Z');
    expect(exampleTemporal('DATETIME', 'yyyy-mm-ddTHH:MM:XX', clock)).toBe('2024-05-06T07:08Z');
    expect(exampleTemporal('DATETIME', 'yyyy-mm-ddTXX:XX:XX', clock)).toBe('2024-05-06');
  });
});

describe('exampleDuration', () => {
  const field = (suffix: string, min = 0, max?: number) => ({
    suffix,
    type: 'INTEGER',
    validation: { range: max === undefined ? { minOp: '>=' as const, min } : { minOp: '>=' as const, min, maxOp: '<=' as const, max } },
  });

  it('uses days when every field is free, else the fields the pattern allows', () => {
    expect(exampleDuration(['year', 'month', 'week', 'day', 'hour', 'minute', 'second'].map((s) => field(s)))).toBe('P1D');
    expect(exampleDuration([field('minute')])).toBe('PT1M');
    expect(exampleDuration([field('year'), field('month')])).toBe('P1M');
    expect(exampleDuration([])).toBe('P1D');
  });

  it('uses a field the template bounds, within its bounds', () => {
    expect(exampleDuration([field('day'), field('hour', 24, 24)])).toBe('PT24H');
    expect(exampleDuration([field('year', 0, 50), field('day')])).toBe('P25Y');
    expect(exampleDuration([field('week', 2)])).toBe('P3W');
  });
});
