import type { SourcePosition } from '../ast.js';

/**
 * A query that is not AQL. Carries where the parser stopped (1-based line and column, 0-based
 * offset), what it would have accepted there and what it found, so that an API can answer
 * "line 2, column 8: expected FROM or ',' but found 'WHER'" and show the line with a caret.
 */
export class AqlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** What would have been accepted: keywords upper case (FROM), symbols quoted (','), classes in words. */
  readonly expected: readonly string[];
  /** The offending token as written, or "end of query". */
  readonly found: string;
  /** The offending line (shortened around the column when long) with a caret under the column. */
  readonly excerpt: string;

  constructor(text: string, position: SourcePosition, expected: readonly string[], found: string, detail?: string) {
    const what =
      detail ?? `expected ${describeExpected(expected)} but found ${found === END_OF_QUERY || /^['"]/.test(found) ? found : `'${found}'`}`;
    super(`line ${position.line}, column ${position.column}: ${what}`);
    this.name = 'AqlSyntaxError';
    this.line = position.line;
    this.column = position.column;
    this.offset = position.offset;
    this.expected = expected;
    this.found = found;
    this.excerpt = excerptAt(text, position);
  }
}

export const END_OF_QUERY = 'end of query';

function describeExpected(expected: readonly string[]): string {
  if (expected.length === 0) return 'nothing more';
  if (expected.length === 1) return expected[0] ?? '';
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1] ?? ''}`;
}

const EXCERPT_WIDTH = 60;

function excerptAt(text: string, position: SourcePosition): string {
  const lineStart = position.offset - (position.column - 1);
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '').replace(/\t/g, ' ');
  const col = position.column - 1;
  // Long one-line queries are common (they arrive as JSON strings): show a window around the column.
  const from = Math.max(0, Math.min(col - EXCERPT_WIDTH / 2, line.length - EXCERPT_WIDTH));
  const to = Math.min(line.length, from + EXCERPT_WIDTH);
  const prefix = from > 0 ? '…' : '';
  const suffix = to < line.length ? '…' : '';
  const shown = `${prefix}${line.slice(from, to)}${suffix}`;
  return `${shown}\n${' '.repeat(prefix.length + col - from)}^`;
}
