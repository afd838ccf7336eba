import type { ExampleClock } from './example-clock.js';

export type TemporalKind = 'DATE' | 'TIME' | 'DATETIME';

const COMPONENTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
type Component = (typeof COMPONENTS)[number];

/**
 * How many components (from the first of the kind) a value may carry under an AOM 1.4 pattern
 * (`yyyy-mm-dd`, `yyyy-??-XX`, `HH:MM:??`, `yyyy-mm-ddTHH:MM:SS`): every component up to the
 * first prohibited (`XX`) one. Optional (`??`) components are kept, so the example shows them.
 */
function allowedCount(kind: TemporalKind, pattern: string | undefined): number {
  const all = kind === 'DATE' ? 3 : kind === 'TIME' ? 3 : 6;
  if (pattern === undefined) return all;
  const parts = pattern.trim().replace(/^T/, '').split(/[-:T]/);
  const prohibited = parts.findIndex((part) => /x/i.test(part));
  return prohibited < 0 ? all : Math.max(1, Math.min(all, prohibited));
}

/**
 * A date, time or date-time cut from the clock to the precision `pattern` allows. Times of day
 * carry no zone (they are wall-clock times); date-times keep the zone of the clock.
 */
export function exampleTemporal(kind: TemporalKind, pattern: string | undefined, clock: ExampleClock): string {
  const count = allowedCount(kind, pattern);
  const first = kind === 'TIME' ? 3 : 0;
  const components: Component[] = COMPONENTS.slice(first, first + count);
  const value = (component: Component): string => clock[component];
  const date = components
    .filter((c) => c === 'year' || c === 'month' || c === 'day')
    .map(value)
    .join('-');
  const time = components
    .filter((c) => c === 'hour' || c === 'minute' || c === 'second')
    .map(value)
    .join(':');
  if (kind === 'DATE') return date;
  if (kind === 'TIME') return time;
  return time === '' ? date : `${date}T${time}${clock.zone}`;
}
