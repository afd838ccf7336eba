import { describe, expect, it } from 'vitest';
import type { WhereExpr } from '../ast.js';
import { parseAql } from './index.js';

const FROM = 'FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]';
const SYSTOLIC = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';

function where(condition: string): WhereExpr | undefined {
  return parseAql(`SELECT o ${FROM} WHERE ${condition}`).where;
}

function path(variable: string, ...attributes: (string | [string, string])[]) {
  return {
    kind: 'identified-path',
    variable,
    predicate: undefined,
    path: attributes.map((a) =>
      typeof a === 'string'
        ? { kind: 'path-part', attribute: a, predicate: undefined }
        : { kind: 'path-part', attribute: a[0], predicate: { kind: 'node-id', nodeId: a[1], name: undefined } },
    ),
  };
}

describe('parseAql: SELECT', () => {
  it('parses a whole query with positions on every node', () => {
    const ast = parseAql(
      `SELECT c/uid/value AS uid\nFROM COMPOSITION c\nWHERE c/name/value = 'Care plan'\nORDER BY c/context/start_time DESC\nLIMIT 10 OFFSET 20`,
    );
    expect(ast).toMatchObject({
      kind: 'query',
      position: { line: 1, column: 1, offset: 0 },
      select: {
        kind: 'select',
        distinct: false,
        top: undefined,
        columns: [{ kind: 'select-expr', alias: 'uid', expr: path('c', 'uid', 'value') }],
      },
      from: {
        kind: 'class',
        rmType: 'COMPOSITION',
        variable: 'c',
        predicate: undefined,
        contains: undefined,
        position: { line: 2, column: 6 },
      },
      where: {
        kind: 'comparison',
        operator: '=',
        left: path('c', 'name', 'value'),
        right: { kind: 'string', value: 'Care plan' },
        position: { line: 3, column: 7 },
      },
      orderBy: [{ kind: 'order-by', direction: 'desc', path: path('c', 'context', 'start_time') }],
      limit: { kind: 'limit', limit: 10, offset: 20, position: { line: 5, column: 1 } },
    });
  });

  it('keywords are case-insensitive, identifiers keep their case', () => {
    const ast = parseAql('select Distinct C/Name/value as Name from Composition C order by C/Name/value');
    expect(ast.select.distinct).toBe(true);
    expect(ast.select.columns[0]).toMatchObject({ alias: 'Name', expr: path('C', 'Name', 'value') });
    expect(ast.from).toMatchObject({ rmType: 'Composition', variable: 'C' });
    expect(ast.orderBy[0]?.direction).toBe('asc');
  });

  it('aggregates: COUNT(*), COUNT(DISTINCT path), MIN, MAX, SUM, AVG', () => {
    const ast = parseAql(
      `SELECT COUNT(*), count(DISTINCT e/ehr_id/value) AS n, MIN(${SYSTOLIC}), MAX(${SYSTOLIC}), SUM(${SYSTOLIC}), avg(${SYSTOLIC}) ${FROM}`,
    );
    expect(ast.select.columns.map((c) => c.expr)).toMatchObject([
      { kind: 'aggregate', name: 'COUNT', distinct: false, argument: '*' },
      { kind: 'aggregate', name: 'COUNT', distinct: true, argument: path('e', 'ehr_id', 'value') },
      { kind: 'aggregate', name: 'MIN', distinct: false, argument: { variable: 'o' } },
      { kind: 'aggregate', name: 'MAX' },
      { kind: 'aggregate', name: 'SUM' },
      { kind: 'aggregate', name: 'AVG' },
    ]);
    expect(ast.select.columns[1]?.alias).toBe('n');
  });

  it('functions, primitives and parameters as columns', () => {
    const ast = parseAql(
      `SELECT length(c/name/value), NOW(), substring(c/name/value, 1, 3), 'x', -1.5e3, true, null, $p FROM COMPOSITION c`,
    );
    expect(ast.select.columns.map((c) => c.expr)).toMatchObject([
      { kind: 'function', name: 'LENGTH', args: [path('c', 'name', 'value')] },
      { kind: 'function', name: 'NOW', args: [] },
      {
        kind: 'function',
        name: 'SUBSTRING',
        args: [path('c', 'name', 'value'), { kind: 'integer', value: 1 }, { kind: 'integer', value: 3 }],
      },
      { kind: 'string', value: 'x' },
      { kind: 'real', value: -1500, text: '-1.5e3' },
      { kind: 'boolean', value: true },
      { kind: 'null' },
      { kind: 'parameter', name: 'p' },
    ]);
  });

  it('TOP n with FORWARD/BACKWARD (deprecated, still accepted)', () => {
    expect(parseAql('SELECT TOP 5 c FROM COMPOSITION c').select.top).toEqual({ count: 5, direction: 'forward' });
    expect(parseAql('SELECT DISTINCT TOP 5 BACKWARD c FROM COMPOSITION c').select).toMatchObject({
      distinct: true,
      top: { count: 5, direction: 'backward' },
    });
  });

  it('ORDER BY several paths with ASC, DESC, ASCENDING, DESCENDING', () => {
    const ast = parseAql('SELECT c FROM COMPOSITION c ORDER BY c/a ASC, c/b DESC, c/c ASCENDING, c/d DESCENDING, c/e');
    expect(ast.orderBy.map((o) => [o.path.path[0]?.attribute, o.direction])).toEqual([
      ['a', 'asc'],
      ['b', 'desc'],
      ['c', 'asc'],
      ['d', 'desc'],
      ['e', 'asc'],
    ]);
  });

  it('LIMIT without OFFSET', () => {
    expect(parseAql('SELECT c FROM COMPOSITION c LIMIT 3').limit).toMatchObject({ limit: 3, offset: undefined });
  });

  it('-- comments right after a name or an archetype id', () => {
    const ast = parseAql('SELECT c--the composition\nFROM COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1]--encounters\nWHERE c/a = 1');
    expect(ast.from).toMatchObject({ predicate: { archetypeId: 'openEHR-EHR-COMPOSITION.encounter.v1' } });
    expect(ast.where).toMatchObject({ kind: 'comparison', position: { line: 3 } });
  });

  it('-- comments and CR/LF line ends', () => {
    const ast = parseAql('SELECT c -- the composition\r\nFROM COMPOSITION c -- all of them\r\n');
    expect(ast.from).toMatchObject({ rmType: 'COMPOSITION', position: { line: 2, column: 6 } });
  });
});

describe('parseAql: FROM', () => {
  it('chains CONTAINS to the right', () => {
    expect(parseAql('SELECT o FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o').from).toMatchObject({
      kind: 'class',
      rmType: 'EHR',
      variable: 'e',
      contains: {
        not: false,
        expr: {
          kind: 'class',
          rmType: 'COMPOSITION',
          contains: { not: false, expr: { kind: 'class', rmType: 'OBSERVATION', variable: 'o', contains: undefined } },
        },
      },
    });
  });

  it('a CONTAINS b AND c means a CONTAINS (b AND c); AND binds tighter than OR', () => {
    const from = parseAql('SELECT a FROM COMPOSITION c CONTAINS OBSERVATION a AND EVALUATION b OR ACTION d').from;
    expect(from).toMatchObject({
      rmType: 'COMPOSITION',
      contains: {
        expr: {
          kind: 'contains-or',
          left: { kind: 'contains-and', left: { rmType: 'OBSERVATION' }, right: { rmType: 'EVALUATION' } },
          right: { rmType: 'ACTION' },
        },
      },
    });
  });

  it('parentheses group containment', () => {
    const from = parseAql(
      'SELECT a FROM EHR e CONTAINS (COMPOSITION c1 CONTAINS ACTION a) OR (COMPOSITION c2 CONTAINS OBSERVATION o)',
    ).from;
    expect(from).toMatchObject({
      rmType: 'EHR',
      contains: {
        expr: {
          kind: 'contains-or',
          left: { variable: 'c1', contains: { expr: { variable: 'a' } } },
          right: { variable: 'c2', contains: { expr: { variable: 'o' } } },
        },
      },
    });
  });

  it('NOT CONTAINS', () => {
    expect(parseAql('SELECT e FROM EHR e NOT CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1]').from).toMatchObject({
      contains: {
        not: true,
        expr: {
          rmType: 'COMPOSITION',
          predicate: { kind: 'archetype-id', archetypeId: 'openEHR-EHR-COMPOSITION.encounter.v1', name: undefined },
        },
      },
    });
  });

  it('classes without a variable', () => {
    expect(parseAql('SELECT s FROM EHR e CONTAINS COMPOSITION CONTAINS SECTION s').from).toMatchObject({
      contains: { expr: { rmType: 'COMPOSITION', variable: undefined, contains: { expr: { rmType: 'SECTION', variable: 's' } } } },
    });
  });

  it('archetype ids with minor versions, release candidates and namespaces, with or without a name', () => {
    const from = parseAql(
      "SELECT o FROM OBSERVATION o[org.example::openEHR-EHR-OBSERVATION.blood_pressure-adult.v1.0.2-rc.1, 'BP'] CONTAINS CLUSTER x[$archetype]",
    ).from;
    expect(from).toMatchObject({
      predicate: {
        kind: 'archetype-id',
        archetypeId: 'org.example::openEHR-EHR-OBSERVATION.blood_pressure-adult.v1.0.2-rc.1',
        name: { kind: 'string', value: 'BP' },
      },
      contains: { expr: { predicate: { kind: 'parameter-predicate', parameter: { kind: 'parameter', name: 'archetype' } } } },
    });
  });

  it('node ids with names on a class, and term codes as predicate values', () => {
    const from = parseAql(
      "SELECT l FROM OBSERVATION o[openEHR-EHR-OBSERVATION.symptom_sign_screening.v0, 'Husten'] CONTAINS ELEMENT l[at0005, 'Vorhanden?'] CONTAINS CLUSTER x[name/defining_code = SNOMED-CT::450476008]",
    ).from;
    expect(from).toMatchObject({
      predicate: {
        kind: 'archetype-id',
        archetypeId: 'openEHR-EHR-OBSERVATION.symptom_sign_screening.v0',
        name: { kind: 'string', value: 'Husten' },
      },
      contains: {
        expr: {
          rmType: 'ELEMENT',
          predicate: { kind: 'node-id', nodeId: 'at0005', name: { kind: 'string', value: 'Vorhanden?' } },
          contains: {
            expr: {
              predicate: { kind: 'standard', value: { kind: 'term-code', terminology: 'SNOMED-CT', code: '450476008', term: undefined } },
            },
          },
        },
      },
    });
  });

  it('standard predicates on a class, joined with AND/OR', () => {
    const from = parseAql(
      "SELECT e FROM EHR e[ehr_id/value = $ehrId and system_id/value != 'x' or time_created/value > '2021-01-01']",
    ).from;
    expect(from).toMatchObject({
      predicate: {
        kind: 'predicate-or',
        left: {
          kind: 'predicate-and',
          left: {
            kind: 'standard',
            path: [{ attribute: 'ehr_id' }, { attribute: 'value' }],
            operator: '=',
            value: { kind: 'parameter', name: 'ehrId' },
          },
          right: { kind: 'standard', operator: '!=', value: { kind: 'string', value: 'x' } },
        },
        right: { kind: 'standard', operator: '>', value: { kind: 'date', value: '2021-01-01' } },
      },
    });
  });

  it('VERSION with LATEST_VERSION, ALL_VERSIONS, a standard predicate or nothing', () => {
    expect(parseAql('SELECT c FROM VERSION v[LATEST_VERSION] CONTAINS COMPOSITION c').from).toMatchObject({
      kind: 'version',
      variable: 'v',
      predicate: { kind: 'latest-version' },
      contains: { not: false, expr: { rmType: 'COMPOSITION' } },
    });
    expect(parseAql('SELECT c FROM version v[all_versions] CONTAINS COMPOSITION c').from).toMatchObject({
      kind: 'version',
      predicate: { kind: 'all-versions' },
    });
    expect(
      parseAql("SELECT c FROM VERSION v[commit_audit/time_committed/value > '2021-01-01T10:00:00Z'] CONTAINS COMPOSITION c").from,
    ).toMatchObject({
      kind: 'version',
      predicate: {
        kind: 'standard',
        path: [{ attribute: 'commit_audit' }, { attribute: 'time_committed' }, { attribute: 'value' }],
        operator: '>',
        value: { kind: 'date-time', value: '2021-01-01T10:00:00Z' },
      },
    });
    expect(parseAql('SELECT c FROM EHR e CONTAINS VERSION CONTAINS COMPOSITION c').from).toMatchObject({
      contains: { expr: { kind: 'version', variable: undefined, predicate: undefined } },
    });
  });
});

describe('parseAql: paths and their predicates', () => {
  it('node ids, archetype ids in paths, names, term codes and parameters', () => {
    const ast = parseAql(
      "SELECT o/data[at0001]/events[at0006, 'any event']/data/items[openEHR-EHR-CLUSTER.device.v1]/items[at0004.1, SNOMED-CT::450476008|Not for CPR|]/value, o/items[id5, $name]/value, o/items[at0002, at0003] FROM OBSERVATION o",
    );
    const [first, second, third] = ast.select.columns.map((c) => c.expr);
    expect(first).toMatchObject({
      variable: 'o',
      path: [
        { attribute: 'data', predicate: { kind: 'node-id', nodeId: 'at0001', name: undefined } },
        { attribute: 'events', predicate: { kind: 'node-id', nodeId: 'at0006', name: { kind: 'string', value: 'any event' } } },
        { attribute: 'data', predicate: undefined },
        { attribute: 'items', predicate: { kind: 'node-id', nodeId: 'openEHR-EHR-CLUSTER.device.v1' } },
        {
          attribute: 'items',
          predicate: {
            kind: 'node-id',
            nodeId: 'at0004.1',
            name: { kind: 'term-code', terminology: 'SNOMED-CT', code: '450476008', term: 'Not for CPR' },
          },
        },
        { attribute: 'value', predicate: undefined },
      ],
    });
    expect(second).toMatchObject({
      path: [{ predicate: { kind: 'node-id', nodeId: 'id5', name: { kind: 'parameter', name: 'name' } } }, { attribute: 'value' }],
    });
    expect(third).toMatchObject({
      path: [{ predicate: { kind: 'node-id', nodeId: 'at0002', name: { kind: 'node-code', code: 'at0003' } } }],
    });
  });

  it('a predicate on the variable itself and standard predicates in a path', () => {
    const column = parseAql("SELECT o[at0000]/data/events[name/value='Any event' and time/value >= $from]/time FROM OBSERVATION o").select
      .columns[0]?.expr;
    expect(column).toMatchObject({
      variable: 'o',
      predicate: { kind: 'node-id', nodeId: 'at0000' },
      path: [
        { attribute: 'data' },
        {
          attribute: 'events',
          predicate: {
            kind: 'predicate-and',
            left: {
              kind: 'standard',
              path: [{ attribute: 'name' }, { attribute: 'value' }],
              operator: '=',
              value: { kind: 'string', value: 'Any event' },
            },
            right: { kind: 'standard', operator: '>=', value: { kind: 'parameter', name: 'from' } },
          },
        },
        { attribute: 'time' },
      ],
    });
  });

  it('node codes, relative paths and regular expressions as predicate operands', () => {
    const ast = parseAql(
      'SELECT o/items[archetype_node_id = at0004]/value, o/items[name/value = other/value]/value, o/items[name/value matches {/^Sys.*\\/x$/}] FROM OBSERVATION o',
    );
    const [a, b, c] = ast.select.columns.map((col) => col.expr);
    expect(a).toMatchObject({ path: [{ predicate: { kind: 'standard', value: { kind: 'node-code', code: 'at0004' } } }, {}] });
    expect(b).toMatchObject({
      path: [
        { predicate: { kind: 'standard', value: { kind: 'relative-path', path: [{ attribute: 'other' }, { attribute: 'value' }] } } },
        {},
      ],
    });
    expect(c).toMatchObject({
      path: [{ predicate: { kind: 'regex', path: [{ attribute: 'name' }, { attribute: 'value' }], pattern: '^Sys.*/x$' } }],
    });
  });

  it('attribute names may be words that are keywords elsewhere', () => {
    expect(
      parseAql('SELECT v/commit_audit/time_committed/value, c/context/version FROM VERSION v CONTAINS COMPOSITION c').select.columns[1]
        ?.expr,
    ).toMatchObject(path('c', 'context', 'version'));
  });
});

describe('parseAql: WHERE', () => {
  it('precedence: NOT over AND over XOR over OR, left-associative', () => {
    expect(where('o/a = 1 OR o/b = 2 XOR o/c = 3 AND NOT o/d = 4 OR o/e = 5')).toMatchObject({
      kind: 'or',
      left: {
        kind: 'or',
        left: { kind: 'comparison', left: path('o', 'a') },
        right: {
          kind: 'xor',
          left: { left: path('o', 'b') },
          right: { kind: 'and', left: { left: path('o', 'c') }, right: { kind: 'not', expr: { left: path('o', 'd') } } },
        },
      },
      right: { left: path('o', 'e') },
    });
  });

  it('a binary node begins where its left operand does', () => {
    expect(where('o/a = 1\n  AND o/b = 2')).toMatchObject({
      kind: 'and',
      position: { line: 1 },
      right: { position: { line: 2, column: 7 } },
    });
  });

  it('parentheses override precedence', () => {
    expect(where('(o/a = 1 OR o/b = 2) AND NOT (o/c = 3)')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'not', expr: { kind: 'comparison', left: path('o', 'c') } },
    });
  });

  it('EXISTS and NOT EXISTS', () => {
    expect(where(`EXISTS ${SYSTOLIC}`)).toMatchObject({ kind: 'exists', path: { variable: 'o' } });
    expect(where('NOT EXISTS o/data[at0001]')).toMatchObject({
      kind: 'not',
      expr: { kind: 'exists', path: { path: [{ attribute: 'data', predicate: { nodeId: 'at0001' } }] } },
    });
  });

  it('every comparison operator, and path-to-path comparison', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<=']) expect(where(`o/a ${op} 1`)).toMatchObject({ kind: 'comparison', operator: op });
    expect(where('c/context/start_time/value < o/data/origin/value')).toMatchObject({ right: path('o', 'data', 'origin', 'value') });
  });

  it('functions on either side of a comparison, CONTAINS as a function name', () => {
    expect(
      where("LENGTH(c/name/value) > 3 AND CONTAINS(c/name/value, 'plan') = true AND c/context/start_time/value <= CURRENT_DATE_TIME()"),
    ).toMatchObject({
      kind: 'and',
      left: {
        kind: 'and',
        left: {
          kind: 'comparison',
          left: { kind: 'function', name: 'LENGTH', args: [path('c', 'name', 'value')] },
          operator: '>',
          right: { kind: 'integer', value: 3 },
        },
        right: {
          left: { kind: 'function', name: 'CONTAINS', args: [{}, { kind: 'string', value: 'plan' }] },
          right: { kind: 'boolean', value: true },
        },
      },
      right: { right: { kind: 'function', name: 'CURRENT_DATE_TIME', args: [] } },
    });
  });

  it('LIKE with a string or a parameter', () => {
    expect(where("c/name/value LIKE 'Care*plan?'")).toMatchObject({
      kind: 'like',
      path: path('c', 'name', 'value'),
      pattern: { kind: 'string', value: 'Care*plan?' },
    });
    expect(where('c/name/value like $pattern')).toMatchObject({ kind: 'like', pattern: { kind: 'parameter', name: 'pattern' } });
  });

  it('MATCHES with a mixed value list, TERMINOLOGY and a URI', () => {
    expect(
      where(
        "o/x MATCHES {'a', 1, 2.5, $p, '2021-01-01', TERMINOLOGY('expand', 'hl7.org/fhir/4.0', 'url=http://snomed.info/sct?fhir_vs=isa/73211009')}",
      ),
    ).toMatchObject({
      kind: 'matches',
      operand: {
        kind: 'value-list',
        items: [
          { kind: 'string', value: 'a' },
          { kind: 'integer', value: 1 },
          { kind: 'real', value: 2.5 },
          { kind: 'parameter', name: 'p' },
          { kind: 'date', value: '2021-01-01' },
          {
            kind: 'terminology',
            operation: 'expand',
            serviceApi: 'hl7.org/fhir/4.0',
            parameters: 'url=http://snomed.info/sct?fhir_vs=isa/73211009',
          },
        ],
      },
    });
    expect(where("o/x matches TERMINOLOGY('validate', 'hl7.org/fhir/4.0', 'system=x&code=y')")).toMatchObject({
      operand: { kind: 'terminology', operation: 'validate' },
    });
    expect(where('o/x MATCHES {http://snomed.info/id/73211009}')).toMatchObject({
      operand: { kind: 'uri', uri: 'http://snomed.info/id/73211009' },
    });
  });

  it('NULL, booleans, negative and scientific numbers, dates and times', () => {
    expect(where('o/a = NULL')).toMatchObject({ right: { kind: 'null' } });
    expect(where('o/a != false')).toMatchObject({ right: { kind: 'boolean', value: false } });
    expect(where('o/a > -12')).toMatchObject({ right: { kind: 'integer', value: -12, text: '-12' } });
    expect(where('o/a < 1.5E-3')).toMatchObject({ right: { kind: 'real', value: 0.0015, text: '1.5E-3' } });
    expect(where("o/a >= '10:30:00'")).toMatchObject({ right: { kind: 'time', value: '10:30:00' } });
    expect(where("o/a >= '2021-03-04T10:00:00.123+01:00'")).toMatchObject({
      right: { kind: 'date-time', value: '2021-03-04T10:00:00.123+01:00' },
    });
    expect(where("o/a = '2021-13-45'")).toMatchObject({ right: { kind: 'string', value: '2021-13-45' } });
    expect(where('o/a = 12345678901234567890')).toMatchObject({ right: { kind: 'integer', text: '12345678901234567890' } });
  });

  it('strings in either quote with escapes', () => {
    expect(where(String.raw`o/a = 'it\'s "x"\n\u00e9'`)).toMatchObject({ right: { kind: 'string', value: 'it\'s "x"\né' } });
    expect(where(String.raw`o/a = "say \"hi\""`)).toMatchObject({ right: { kind: 'string', value: 'say "hi"' } });
    expect(where(String.raw`o/a LIKE '*20\%*'`)).toMatchObject({ pattern: { value: String.raw`*20\%*` } });
  });

  it('parameters on the right of comparisons and in function arguments', () => {
    expect(where('o/a = $value AND ABS(o/b) < $limit')).toMatchObject({
      left: { right: { kind: 'parameter', name: 'value' } },
      right: { left: { kind: 'function', name: 'ABS' }, right: { kind: 'parameter', name: 'limit' } },
    });
  });

  it('a generated 2,000-term WHERE parses (linear, no backtracking)', () => {
    const terms = Array.from(
      { length: 2000 },
      (_, i) => `${i % 3 === 0 ? 'NOT ' : ''}o/items[at${String(i).padStart(4, '0')}]/value/magnitude ${['=', '>', '<='][i % 3]} ${i}`,
    );
    const condition = terms.map((t, i) => (i === 0 ? t : `${['AND', 'OR', 'XOR'][i % 3]} ${i % 50 === 0 ? `(${t})` : t}`)).join('\n  ');
    const query = `SELECT o ${FROM} WHERE ${condition}`;
    const ast = parseAql(query);
    expect(ast.where?.kind).toBe('or');
    expect(parseAql(query)).toEqual(ast);
  });
});
