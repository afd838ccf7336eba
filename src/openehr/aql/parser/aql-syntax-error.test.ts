import { describe, expect, it } from 'vitest';
import { AqlSyntaxError, parseAql } from './index.js';

function syntaxError(query: string): AqlSyntaxError {
  try {
    parseAql(query);
  } catch (error) {
    if (error instanceof AqlSyntaxError) return error;
    throw error;
  }
  throw new Error(`parsed, but should not have: ${query}`);
}

interface Case {
  readonly name: string;
  readonly query: string;
  readonly line: number;
  readonly column: number;
  readonly expected: readonly string[];
  readonly found: string;
}

const CASES: readonly Case[] = [
  {
    name: 'missing FROM',
    query: 'SELECT c/name/value\nCOMPOSITION c',
    line: 2,
    column: 1,
    expected: ["'/'", 'AS', "','", 'FROM'],
    found: 'COMPOSITION',
  },
  {
    name: 'misspelt keyword',
    query: 'SELECT c/name/value,\n  c/uid/value WHER c/x = 1',
    line: 2,
    column: 15,
    expected: ["'/'", 'AS', "','", 'FROM'],
    found: 'WHER',
  },
  {
    name: 'unclosed bracket',
    query: 'SELECT c FROM COMPOSITION c WHERE c/items[at0001/value = 1',
    line: 1,
    column: 59,
    expected: ['AND', 'OR', "']'"],
    found: 'end of query',
  },
  {
    name: 'unterminated string',
    query: "SELECT c FROM COMPOSITION c\nWHERE c/name/value = 'abc",
    line: 2,
    column: 22,
    expected: ["a closing '"],
    found: 'end of query',
  },
  {
    name: 'WHERE with no expression',
    query: 'SELECT c FROM COMPOSITION c WHERE',
    line: 1,
    column: 34,
    expected: ['NOT', "'('", 'EXISTS', 'a condition'],
    found: 'end of query',
  },
  {
    name: 'stray token after LIMIT',
    query: 'SELECT c FROM COMPOSITION c LIMIT 5 10',
    line: 1,
    column: 37,
    expected: ['OFFSET', 'end of query'],
    found: '10',
  },
  {
    name: 'archetype id without a version',
    query: 'SELECT o FROM OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure]',
    line: 1,
    column: 29,
    expected: ['an archetype id (such as openEHR-EHR-OBSERVATION.blood_pressure.v2)'],
    found: 'openEHR-EHR-OBSERVATION.blood_pressure',
  },
  {
    name: 'LIKE with a number',
    query: 'SELECT c FROM COMPOSITION c WHERE c/name/value LIKE 5',
    line: 1,
    column: 53,
    expected: ['a string', 'a parameter'],
    found: '5',
  },
  {
    name: 'nothing selected',
    query: 'SELECT FROM COMPOSITION c',
    line: 1,
    column: 8,
    expected: ['DISTINCT', 'TOP', 'a value', 'a path'],
    found: 'FROM',
  },
  {
    name: 'dangling AND',
    query: 'SELECT c FROM COMPOSITION c WHERE c/a = 1 AND',
    line: 1,
    column: 46,
    expected: ['NOT', "'('", 'EXISTS', 'a condition'],
    found: 'end of query',
  },
  { name: 'ORDER without BY', query: 'SELECT c FROM COMPOSITION c ORDER c/a', line: 1, column: 35, expected: ['BY'], found: 'c' },
  {
    name: 'unclosed parenthesis in FROM',
    query: 'SELECT c FROM EHR e CONTAINS (COMPOSITION c',
    line: 1,
    column: 44,
    expected: ["'['", 'NOT', 'CONTAINS', 'AND', 'OR', "')'"],
    found: 'end of query',
  },
  {
    name: 'empty MATCHES list',
    query: 'SELECT c FROM COMPOSITION c WHERE c/a MATCHES {}',
    line: 1,
    column: 48,
    expected: ['a value', 'a parameter', 'TERMINOLOGY', 'a URI'],
    found: '}',
  },
  { name: 'negative LIMIT', query: 'SELECT c FROM COMPOSITION c LIMIT -5', line: 1, column: 35, expected: ['a whole number'], found: '-5' },
  {
    name: 'unknown character',
    query: 'SELECT c FROM COMPOSITION c WHERE c/a = 1 # 2',
    line: 1,
    column: 43,
    expected: ['a keyword, identifier, value or symbol'],
    found: '#',
  },
  {
    name: 'double equals',
    query: 'SELECT c FROM COMPOSITION c WHERE c/a == 1',
    line: 1,
    column: 40,
    expected: ['a value', 'a path', 'a parameter', 'a function call'],
    found: '=',
  },
  { name: 'keyword as an alias', query: 'SELECT c AS FROM COMPOSITION c', line: 1, column: 13, expected: ['an identifier'], found: 'FROM' },
  {
    name: 'COUNT(DISTINCT *)',
    query: 'SELECT COUNT(DISTINCT *) FROM COMPOSITION c',
    line: 1,
    column: 23,
    expected: ['a path'],
    found: '*',
  },
  {
    name: 'a keyword is not a function name',
    query: 'SELECT c FROM COMPOSITION c WHERE c/a = NOT(1)',
    line: 1,
    column: 41,
    expected: ['a value', 'a path', 'a parameter', 'a function call'],
    found: 'NOT',
  },
  {
    name: 'TERMINOLOGY outside MATCHES',
    query: "SELECT c FROM COMPOSITION c WHERE c/a = TERMINOLOGY('a', 'b', 'c')",
    line: 1,
    column: 41,
    expected: ['MATCHES'],
    found: 'TERMINOLOGY',
  },
  {
    name: 'LIMIT before ORDER BY (not AQL 1.1)',
    query: 'SELECT c FROM COMPOSITION c LIMIT 5 ORDER BY c/a',
    line: 1,
    column: 37,
    expected: ['OFFSET', 'end of query'],
    found: 'ORDER',
  },
];

describe('AqlSyntaxError', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const error = syntaxError(c.query);
    expect({ line: error.line, column: error.column, expected: error.expected, found: error.found }).toEqual({
      line: c.line,
      column: c.column,
      expected: c.expected,
      found: c.found,
    });
    const lines = c.query.split('\n');
    expect(error.offset).toBe(lines.slice(0, c.line - 1).reduce((sum, l) => sum + l.length + 1, 0) + c.column - 1);
  });

  it('reads as a sentence, with the offending line and a caret in the excerpt', () => {
    const error = syntaxError('SELECT c/name/value\nFROM COMPOSITION c\nWHER c/name/value = 1');
    expect(error.message).toBe(
      "line 3, column 1: expected '[', NOT, CONTAINS, AND, OR, WHERE, ORDER, LIMIT or end of query but found 'WHER'",
    );
    expect(error.name).toBe('AqlSyntaxError');
    expect(error.excerpt).toBe('WHER c/name/value = 1\n^');
  });

  it('the brief example: expected FROM or a comma', () => {
    const error = syntaxError('SELECT c/uid/value AS uid\n   WHER');
    expect(error.message).toBe("line 2, column 4: expected ',' or FROM but found 'WHER'");
  });

  it('a string found where it does not belong is shown with its own quotes', () => {
    expect(syntaxError("SELECT c FROM COMPOSITION c WHERE 'x' = c/a").message).toBe(
      "line 1, column 35: expected NOT, '(', EXISTS or a condition but found 'x'",
    );
  });

  it('absurd nesting is a syntax error, not a stack overflow', () => {
    const deep = `SELECT c FROM COMPOSITION c WHERE ${'('.repeat(5000)}c/a = 1${')'.repeat(5000)}`;
    expect(syntaxError(deep).message).toMatch(/^line 1, column \d+: the query nests more than 200 levels deep$/);
    expect(syntaxError(`SELECT c FROM COMPOSITION c WHERE ${'NOT '.repeat(5000)}c/a = 1`)).toBeInstanceOf(AqlSyntaxError);
    expect(syntaxError(`SELECT c FROM EHR e CONTAINS ${'COMPOSITION c CONTAINS '.repeat(5000)}OBSERVATION o`)).toBeInstanceOf(
      AqlSyntaxError,
    );
    expect(() => parseAql(`SELECT c FROM COMPOSITION c WHERE ${'('.repeat(150)}c/a = 1${')'.repeat(150)}`)).not.toThrow();
  });

  it('shows a window of a long line, with the caret under the column', () => {
    const query = `SELECT o/${'data/'.repeat(40)}value FROM OBSERVATION o WHERE o/a = = 1`;
    const error = syntaxError(query);
    const [shown, caret] = error.excerpt.split('\n');
    expect(shown?.startsWith('…')).toBe(true);
    expect(caret?.indexOf('^')).toBe(shown?.indexOf('= 1'));
    expect(error.found).toBe('=');
  });

  it('any soup of AQL tokens either parses or is an AqlSyntaxError, never another exception', () => {
    const vocabulary = [
      'SELECT',
      'FROM',
      'WHERE',
      'CONTAINS',
      'NOT',
      'AND',
      'OR',
      'XOR',
      'EXISTS',
      'LIKE',
      'MATCHES',
      'ORDER BY',
      'LIMIT',
      'OFFSET',
      'DISTINCT',
      'TOP',
      'AS',
      'VERSION',
      'LATEST_VERSION',
      'COUNT',
      'TERMINOLOGY',
      'c',
      'o',
      'e',
      'COMPOSITION',
      'EHR',
      '/',
      'value',
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      ',',
      '=',
      '!=',
      '<',
      '>=',
      '*',
      "'x'",
      '"y"',
      "'2021-01-01'",
      '1',
      '-2.5e3',
      '$p',
      'at0001',
      'openEHR-EHR-OBSERVATION.x.v1',
      'SNOMED-CT::123',
      '{/a+/}',
      'http://x/y',
      'NULL',
      'true',
      '--',
      '\n',
      "'unterminated",
    ];
    let seed = 20261204;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let parsed = 0;
    for (let run = 0; run < 3000; run++) {
      const words = Array.from({ length: 1 + random(25) }, () => vocabulary[random(vocabulary.length)] ?? '');
      const query = `${run % 2 === 0 ? 'SELECT c FROM COMPOSITION c WHERE c/a = 1 AND ' : ''}${words.join(random(2) ? ' ' : '')}`;
      try {
        parseAql(query);
        parsed++;
      } catch (error) {
        expect(error, query).toBeInstanceOf(AqlSyntaxError);
        const syntax = error as AqlSyntaxError;
        expect(syntax.offset).toBeLessThanOrEqual(query.length);
        expect(syntax.message).toMatch(/^line \d+, column \d+: /);
      }
    }
    expect(parsed).toBeLessThan(3000);
  });
});
