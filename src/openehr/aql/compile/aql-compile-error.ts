import type { SourcePosition } from '../ast.js';

/**
 * A query that parses but cannot be compiled: an unknown variable or function, a wrong number of
 * arguments, a parameter without a value, a value of the wrong type. Pure (no HTTP status here):
 * the REST layer answers it with 400 and the position it points at.
 */
export class AqlCompileError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition | undefined,
  ) {
    super(position ? `${message} (line ${position.line}, column ${position.column})` : message);
    this.name = 'AqlCompileError';
  }
}
