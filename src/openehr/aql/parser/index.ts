import type { AqlQuery } from '../ast.js';
import { parseAqlQuery } from './aql-parser.js';

export { AqlSyntaxError } from './aql-syntax-error.js';

/** Parses an AQL 1.1 query into its syntax tree; throws {@link AqlSyntaxError} if it is not AQL. */
export function parseAql(text: string): AqlQuery {
  return parseAqlQuery(text);
}
