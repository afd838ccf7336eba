/**
 * How an AQL result set is held against an expected one: as EHRbase's Robot keyword does, the
 * `meta` block is ignored, rows may come in any order and strings compare without regard to case.
 * Numbers compare by value (400 and 400.0 are one number). A placeholder of the older query suite
 * (`__MODIFY_EHR_ID_1__`: a value the suite's author could not know in advance) matches any value.
 * Two ISO 8601 date-times that differ only in writing UTC as `Z` or `+00:00` are one value (EHRbase
 * writes every UTC offset as `Z`; the data committed says `+00:00`). A `_type` only one side states
 * is not compared: ITS-JSON lets a serialiser leave it out where it is the attribute's static type
 * (EHRbase leaves it out of ARCHETYPE_ID and LINK, this repository out of an EHR_STATUS's name as
 * committed), and where the types really differ, the attributes do too.
 */

export type RowsComparison = { equal: true } | { equal: false; message: string };

const PLACEHOLDER = /^__MODIFY_[A-Z0-9_]*__$/;
const UTC_AS_OFFSET = /^(\d{4}-\d\d-\d\dT\d\d(?::?\d\d(?::?\d\d(?:[.,]\d+)?)?)?)\+00(?::?00)?$/;

/** A string as compared: lower case, a date-time's `+00:00` written `Z`. */
const comparable = (text: string) => text.replace(UTC_AS_OFFSET, '$1Z').toLowerCase();

/** The entries of an object that are compared: defined ones, without a `_type` the other side does not state. */
function comparedEntries(value: Record<string, unknown>, other: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value).filter(([key, item]) => item !== undefined && (key !== '_type' || other['_type'] !== undefined));
}

/** A canonical text of a value, so rows can be matched as multisets. */
function canonical(value: unknown, wildcards: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return wildcards && PLACEHOLDER.test(value) ? '*' : JSON.stringify(comparable(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, wildcards)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item, wildcards)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether one actual value matches an expected one, placeholders matching anything. */
export function valueMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && PLACEHOLDER.test(expected)) return true;
  if (typeof expected === 'string' && typeof actual === 'string') return comparable(expected) === comparable(actual);
  if (typeof expected === 'number' && typeof actual === 'number')
    return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (Array.isArray(expected))
    return Array.isArray(actual) && expected.length === actual.length && expected.every((item, i) => valueMatches(item, actual[i]));
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const e = comparedEntries(expected as Record<string, unknown>, actual as Record<string, unknown>);
    const a = comparedEntries(actual as Record<string, unknown>, expected as Record<string, unknown>);
    return e.length === a.length && e.every(([key, value]) => valueMatches(value, (actual as Record<string, unknown>)[key]));
  }
  return expected === actual;
}

/** Where two values first differ (`[0].name._type: expected "DV_TEXT", got undefined`), by the rules of valueMatches. */
export function firstDifference(expected: unknown, actual: unknown, at = ''): string | undefined {
  if (valueMatches(expected, actual)) return undefined;
  const bothObjects = typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null;
  if (bothObjects && Array.isArray(expected) === Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].filter(
      (key) => key !== '_type' || Array.isArray(expected) || (e[key] !== undefined && a[key] !== undefined),
    );
    for (const key of keys) {
      const found = firstDifference(e[key], a[key], Array.isArray(expected) ? `${at}[${key}]` : `${at}.${key}`);
      if (found !== undefined) return found;
    }
  }
  const brief = (value: unknown) => (value === undefined ? 'nothing' : (JSON.stringify(value) ?? '').slice(0, 80));
  return `${at || '(root)'}: expected ${brief(expected)}, got ${brief(actual)}`;
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
};

/**
 * Compares rows as multisets: every expected row must be matched by a distinct actual row. The
 * message names the counts and the first expected row without a match (and an unmatched actual
 * row), so that a compiler author sees at once what differs.
 */
export function compareRows(expected: readonly unknown[], actual: readonly unknown[]): RowsComparison {
  const remaining = [...actual];
  const unmatched: unknown[] = [];
  // Exact canonical matches first (fast path), then placeholder-aware matching for the rest.
  const byKey = new Map<string, number[]>();
  remaining.forEach((row, index) => {
    const key = canonical(row, false);
    byKey.set(key, [...(byKey.get(key) ?? []), index]);
  });
  const used = new Set<number>();
  const pending: unknown[] = [];
  for (const row of expected) {
    const indexes = byKey.get(canonical(row, false));
    const index = indexes?.find((i) => !used.has(i));
    if (index === undefined) pending.push(row);
    else used.add(index);
  }
  for (const row of pending) {
    const index = remaining.findIndex((candidate, i) => !used.has(i) && valueMatches(row, candidate));
    if (index === -1) unmatched.push(row);
    else used.add(index);
  }
  const extra = remaining.filter((_, i) => !used.has(i));
  if (unmatched.length === 0 && extra.length === 0) return { equal: true };
  const parts = [`expected ${expected.length} row(s), got ${actual.length}`];
  if (unmatched.length > 0) parts.push(`first expected row not returned: ${show(unmatched[0])}`);
  if (extra.length > 0) parts.push(`first returned row not expected: ${show(extra[0])}`);
  if (unmatched.length > 0 && extra.length > 0)
    parts.push(`they first differ at ${firstDifference(unmatched[0], extra[0]) ?? '(nowhere)'}`);
  return { equal: false, message: parts.join('; ') };
}
