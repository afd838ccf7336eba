import type { AqlQuery } from '../ast.js';
import { parseAqlQuery } from './aql-parser.js';
import { AqlSyntaxError } from './aql-syntax-error.js';

export { AqlSyntaxError } from './aql-syntax-error.js';

/**
 * How deep a parsed query's syntax tree may be. The parser bounds bracket nesting, but a flat
 * chain of ten thousand `OR` terms is a tree ten thousand levels deep, and every pass over it
 * (the compiler, printing SQL) recurses: it overflowed the stack (a 500). A thousand levels is
 * hundreds of terms more than any real query has.
 */
export const MAX_SYNTAX_TREE_DEPTH = 1_000;

/** Parses an AQL 1.1 query into its syntax tree; throws {@link AqlSyntaxError} if it is not AQL. */
export function parseAql(text: string): AqlQuery {
  const query = parseAqlQuery(text);
  if (treeDepthExceeds(query, MAX_SYNTAX_TREE_DEPTH)) {
    throw new AqlSyntaxError(
      text,
      { line: 1, column: 1, offset: 0 },
      [],
      '',
      `the query has too many terms in one chain (its expression tree is more than ${MAX_SYNTAX_TREE_DEPTH} levels deep); use MATCHES {…} for a list of values`,
    );
  }
  return query;
}

/** Iterative, so that measuring a hostile tree cannot overflow the stack either. */
function treeDepthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
