import { describe, expect, it } from 'vitest';
import { jsonSuiteQueries, robotSuiteQueries, type FixtureQuery } from '../../../../test/support/aql-fixture-queries.js';
import { AqlSyntaxError, parseAql } from './index.js';

/**
 * Fixture texts that are not AQL 1.1, each with the reason. They must be refused: the parser is
 * not loosened to accept what the specification's grammar does not.
 */
const NOT_AQL: readonly { readonly match: RegExp; readonly reason: string }[] = [
  { match: /\bBETWEEN\b/, reason: 'BETWEEN is not an AQL 1.1 operator (write x >= a AND x <= b)' },
  {
    match: /\bAND NOT CONTAINS\b/,
    reason: 'NOT CONTAINS must follow a class expression; `… AND NOT CONTAINS X` has no left side in the 1.1 grammar',
  },
  { match: /= "param": /, reason: 'index artefact: a Robot test name describing the parameter value, not the query sent' },
  { match: /^SELECT Date From EHR - AQL Stays/, reason: 'index artefact: a Robot test name, not a query' },
  { match: /\bLIMIT \d+ ORDER BY\b/, reason: 'AQL 1.1 puts ORDER BY before LIMIT' },
  { match: /\bTIMEWINDOW\b/, reason: 'TIMEWINDOW was dropped from AQL before 1.0 and is not in the 1.1 grammar' },
];

function reasonNotAql(text: string): string | undefined {
  return NOT_AQL.find((entry) => entry.match.test(text))?.reason;
}

const robot = robotSuiteQueries();
const valid = jsonSuiteQueries('aql_queries_valid');
const invalid = jsonSuiteQueries('aql_queries_invalid');

function check(query: FixtureQuery): void {
  const reason = reasonNotAql(query.text);
  if (reason === undefined) {
    expect(() => parseAql(query.text), `${query.source}: ${query.text}`).not.toThrow();
    expect(parseAql(query.text).kind).toBe('query');
  } else {
    expect(() => parseAql(query.text), `${query.source} should be refused (${reason})`).toThrow(AqlSyntaxError);
  }
}

describe('every AQL text of the EHRbase integration tests', () => {
  it('finds the corpus (guards against the expansion silently yielding nothing)', () => {
    expect(robot.length).toBeGreaterThan(700);
    expect(valid.length).toBeGreaterThan(190);
    expect(invalid).toHaveLength(2);
  });

  it.each(robot.map((q) => [q.text.slice(0, 120), q] as const))('robot suite: %s', (_name, query) => check(query));

  it.each(valid.map((q) => [q.source, q] as const))('aql_queries_valid/%s', (_name, query) => check(query));

  it('refuses exactly the listed texts, each for its stated reason (and nothing else)', () => {
    const refused = [...robot, ...valid].filter((q) => {
      try {
        parseAql(q.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(refused.every((q) => reasonNotAql(q.text) !== undefined)).toBe(true);
    expect(refused).toHaveLength(28);
  });

  // The "invalid" folder holds queries that use a SELECT alias (`uid`) as if it were a FROM
  // variable in WHERE. That is well-formed AQL; it is the compiler that must refuse the unknown
  // variable, so the parser accepts them and keeps the name for the compiler to report.
  it.each(invalid.map((q) => [q.source, q] as const))('aql_queries_invalid/%s parses; its error is semantic', (_name, query) => {
    const ast = parseAql(query.text);
    const where = ast.where;
    const subject = where?.kind === 'comparison' ? where.left : where?.kind === 'matches' ? where.path : undefined;
    expect(subject).toMatchObject({ kind: 'identified-path', variable: 'uid', path: [] });
  });
});
