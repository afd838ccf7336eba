import type { SourcePosition } from './template-parse-error.js';

/** Line and column (1-based) of a character offset; computed on demand because errors are rare. */
export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

export function describePosition(position: SourcePosition): string {
  return `line ${position.line}, column ${position.column}`;
}
