/**
 * Orders ISO 8601 date-times by instant, tolerating a comma as decimal sign and more than three
 * fractional digits (both valid ISO 8601, both rejected by Date.parse).
 */
function instant(value: string): number {
  const normalised = value.replace(',', '.').replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(normalised);
}

/** The earliest of the given date-times; the first one when any cannot be read. */
export function earliestTime(values: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestInstant = Number.POSITIVE_INFINITY;
  for (const value of values) {
    const at = instant(value);
    if (Number.isNaN(at)) return values[0];
    if (at < bestInstant) {
      best = value;
      bestInstant = at;
    }
  }
  return best;
}
