import { describe, expect, it } from 'vitest';
import { parseCsv, queryOfTemplate } from './aql-suites.js';
import { asSent, expand, splitInlineParameter, splitStep } from './aql-conformance.js';
import { compareRows } from './result-compare.js';

describe('compareRows', () => {
  it('ignores row order and the case of strings, and compares numbers by value', () => {
    expect(
      compareRows(
        [
          ['Abc', 1],
          ['x', 2.5],
        ],
        [
          ['x', 2.5],
          ['ABC', 1.0],
        ],
      ),
    ).toEqual({ equal: true });
    expect(compareRows([[{ value: 'Term', code: { a: 1 } }]], [[{ code: { a: 1 }, value: 'term' }]])).toEqual({ equal: true });
  });

  it('counts duplicates: two equal expected rows need two returned rows', () => {
    expect(compareRows([['a'], ['a']], [['a']])).toMatchObject({
      equal: false,
      message: expect.stringContaining('expected 2 row(s), got 1') as unknown,
    });
  });

  it('names the first expected row not returned, the first returned row not expected, and where they first differ', () => {
    const comparison = compareRows([['a'], ['b']], [['a'], ['c']]);
    expect(comparison).toEqual({
      equal: false,
      message:
        'expected 2 row(s), got 2; first expected row not returned: ["b"]; first returned row not expected: ["c"]; they first differ at [0]: expected "b", got "c"',
    });
    const nested = compareRows([[{ name: { _type: 'DV_TEXT', value: 'x' } }]], [[{ name: { value: 'x' } }]]);
    expect(nested).toMatchObject({
      message: expect.stringContaining('they first differ at [0].name._type: expected "DV_TEXT", got nothing') as unknown,
    });
  });

  it('lets a placeholder of the older query suite match any value, but not a missing row', () => {
    expect(compareRows([['__MODIFY_EHR_ID_1__', 'x']], [['7d44b88c-4199-4bad-97dc-d78268e01398', 'X']])).toEqual({ equal: true });
    expect(compareRows([['__MODIFY_EHR_ID_1__']], [])).toMatchObject({ equal: false });
  });

  it('tells null from a value and an object from a differently shaped one', () => {
    expect(compareRows([[null]], [['x']])).toMatchObject({ equal: false });
    expect(compareRows([[{ a: 1 }]], [[{ a: 1, b: 2 }]])).toMatchObject({ equal: false });
  });
});

describe('suite parsing', () => {
  it('reads quoted CSV fields with commas and doubled quotes', () => {
    expect(parseCsv('${path},${where}\n"a/b[at1]","x = \'1\', ""y"""\r\nc,d\n')).toEqual([
      ['${path}', '${where}'],
      ['a/b[at1]', 'x = \'1\', "y"'],
      ['c', 'd'],
    ]);
  });

  it('takes the query out of a numbered test case name', () => {
    expect(queryOfTemplate('${query_nr} SELECT c FROM COMPOSITION c')).toBe('SELECT c FROM COMPOSITION c');
    expect(queryOfTemplate('1. ${query1}')).toBe('${query1}');
  });

  it('expands known variables and leaves unknown ones for the failure to name', () => {
    expect(expand("e[ehr_id/value='${ehr_id}'] ${other}", new Map([['ehr_id', 'abc']]))).toBe("e[ehr_id/value='abc'] ${other}");
  });

  it('reads a CSV value as Robot and the JSON body pass it on: backslashes halved twice, a lone one dropped', () => {
    expect(asSent("'Name\\\\\\\\\\\\\\\\*'")).toBe("'Name\\\\*'");
    expect(asSent("'Name\\*'")).toBe("'Name*'");
    expect(asSent("'Name%\\_'")).toBe("'Name%_'");
    expect(asSent("c/name/value = 'plain'")).toBe("c/name/value = 'plain'");
  });

  it("splits the PARAMETER suite's inline parameter back out of the query", () => {
    expect(splitInlineParameter('SELECT x FROM O o WHERE x = "param": \\"Lorem ipsum\\"')).toEqual({
      q: 'SELECT x FROM O o WHERE x = $param',
      parameters: { param: 'Lorem ipsum' },
    });
    expect(splitInlineParameter('SELECT x FROM O o WHERE x = "param": 20')).toEqual({
      q: 'SELECT x FROM O o WHERE x = $param',
      parameters: { param: 20 },
    });
    expect(splitInlineParameter("SELECT x FROM O o WHERE x = 'a'")).toEqual({ q: "SELECT x FROM O o WHERE x = 'a'" });
  });

  it('splits a precondition step into keyword and arguments', () => {
    expect(splitStep('Commit Composition For AQL composition_file=x.json format=FLAT')).toEqual([
      'Commit Composition For AQL',
      ['composition_file=x.json', 'format=FLAT'],
    ]);
    expect(splitStep('Create EHR For AQL With Custom EHR Status file_name=status1.json')).toEqual([
      'Create EHR For AQL With Custom EHR Status',
      ['file_name=status1.json'],
    ]);
  });
});
