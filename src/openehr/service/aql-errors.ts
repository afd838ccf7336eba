import { AppError } from '../../errors/app-error.js';
import { AqlCompileError } from '../aql/compile/aql-compile-error.js';
import { AqlSyntaxError } from '../aql/parser/aql-syntax-error.js';

/**
 * AQL's own errors as the API reports them: a syntax error names line and column (and shows the
 * line with a caret); a query that parses but cannot be run as written is a bad request too.
 * Anything else passes through unchanged.
 */
export function toAqlAppError(error: unknown): unknown {
  if (error instanceof AqlSyntaxError) {
    return new AppError('bad-request', `AQL syntax error at ${error.message}`, {
      issues: [{ path: `line ${error.line}, column ${error.column}`, message: error.excerpt }],
      cause: error,
    });
  }
  if (error instanceof AqlCompileError) {
    return new AppError('bad-request', `AQL cannot be run as written: ${error.message}`, { cause: error });
  }
  return error;
}
