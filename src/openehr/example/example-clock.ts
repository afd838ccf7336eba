/** The parts of `options.now` that example dates, times and date-times are cut from. */
export interface ExampleClock {
  /** The instant as given. */
  readonly now: string;
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
  /** `Z`, `+01:00`, ... or '' when `now` names no zone. */
  readonly zone: string;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads `now` (an ISO 8601 extended date-time such as `new Date().toISOString()`).
 * @throws RangeError when `now` is not such a date-time: examples are cut from it, so a wrong
 * clock would silently produce invalid values.
 */
export function exampleClock(now: string): ExampleClock {
  const match = DATE_TIME.exec(now);
  if (match === null) throw new RangeError(`options.now must be an ISO 8601 date-time (YYYY-MM-DDThh:mm:ss), got '${now}'`);
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '00', zone = ''] = match;
  return { now, year, month, day, hour, minute, second, zone };
}
