/**
 * FLAT key syntax: `segment('/'segment)*('|'suffix)?` where a segment is `id(':'index)?`.
 * See README.md ("Key grammar") for the full contract.
 */

export interface FlatSegment {
  readonly id: string;
  /** Undefined when the key carries no `:n`. */
  readonly index: number | undefined;
}

export interface FlatKey {
  readonly segments: readonly FlatSegment[];
  /** Text after the first `|`, without the bar; may itself contain `|` or `:n` (`identifiers_id:0`). */
  readonly suffix: string | undefined;
}

const SEGMENT = /^([^/|:]+)(?::(\d+))?$/;

/** Parses a key, or returns a message saying why it is malformed. */
export function parseFlatKey(key: string): FlatKey | string {
  const bar = key.indexOf('|');
  const pathPart = bar < 0 ? key : key.slice(0, bar);
  const suffix = bar < 0 ? undefined : key.slice(bar + 1);
  if (suffix !== undefined && (suffix === '' || suffix.includes('/'))) {
    return `malformed attribute suffix '|${suffix}'`;
  }
  if (pathPart === '') return 'empty path';
  const segments: FlatSegment[] = [];
  for (const text of pathPart.split('/')) {
    const match = SEGMENT.exec(text);
    if (!match?.[1]) return `malformed path segment '${text}'`;
    segments.push({ id: match[1], index: match[2] === undefined ? undefined : Number(match[2]) });
  }
  return { segments, suffix };
}

export function formatSegment(segment: FlatSegment): string {
  return segment.index === undefined ? segment.id : `${segment.id}:${segment.index}`;
}

export function formatFlatKey(segments: readonly FlatSegment[], suffix?: string): string {
  const path = segments.map(formatSegment).join('/');
  return suffix === undefined ? path : `${path}|${suffix}`;
}
