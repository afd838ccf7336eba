import { describe, expect, it } from 'vitest';
import { loadAqlSuites, parseCsv, queryOfTemplate } from './aql-suites.js';
import { asSent, expand, inOwnTerms, judge, splitInlineParameter, splitStep, type OwnValues } from './aql-conformance.js';
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
    const nested = compareRows([[{ name: { _type: 'DV_TEXT', value: 'x' } }]], [[{ name: { _type: 'DV_CODED_TEXT', value: 'x' } }]]);
    expect(nested).toMatchObject({
      message: expect.stringContaining('they first differ at [0].name._type: expected "DV_TEXT", got "DV_CODED_TEXT"') as unknown,
    });
  });

  it('compares a `_type` only where both sides state it, and names the attribute that differs below it', () => {
    expect(compareRows([[{ archetype_id: { value: 'a.v1' } }]], [[{ archetype_id: { _type: 'ARCHETYPE_ID', value: 'a.v1' } }]])).toEqual({
      equal: true,
    });
    expect(compareRows([[{ _type: 'DV_TEXT', value: 'x' }]], [[{ value: 'x' }]])).toEqual({ equal: true });
    expect(compareRows([[{ _type: 'DV_TEXT', value: 'x' }]], [[{ value: 'y' }]])).toMatchObject({
      message: expect.stringContaining('they first differ at [0].value: expected "x", got "y"') as unknown,
    });
  });

  it('reads a date-time in UTC as one value whether it writes Z or +00:00, and no other offset', () => {
    expect(compareRows([['2019-01-28T21:22:50.154Z']], [['2019-01-28T21:22:50.154+00:00']])).toEqual({ equal: true });
    expect(compareRows([[{ value: '2019-01-28T21:22:50Z' }]], [[{ value: '2019-01-28T21:22:50+0000' }]])).toEqual({ equal: true });
    expect(compareRows([['2019-01-28T21:22:50.154Z']], [['2019-01-28T21:22:50.154+01:00']])).toMatchObject({ equal: false });
    expect(compareRows([['2019-01-28T21:22:50.154Z']], [['2019-01-28T21:22:50.155+00:00']])).toMatchObject({ equal: false });
    expect(compareRows([['+00:00']], [['Z']])).toMatchObject({ equal: false });
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
    expect(queryOfTemplate('Folder Contains Composition: SELECT c/uid/value FROM FOLDER f CONTAINS COMPOSITION c')).toBe(
      'SELECT c/uid/value FROM FOLDER f CONTAINS COMPOSITION c',
    );
    expect(queryOfTemplate('Folder In Folder: ${q}')).toBe('Folder In Folder: ${q}');
  });

  it("takes a query the index names by a title only from the one answer file the suite names, which holds it as 'q'", async () => {
    const { suites } = await loadAqlSuites();
    const suite = suites.find((candidate) => candidate.name === 'FOLDER/FROM_FOLDER_CONTAINS_COMPO/folder_in_folder');
    expect(suite?.cases).toEqual([
      {
        id: 'query 1',
        template:
          'SELECT c/uid/value FROM FOLDER f1[openEHR-EHR-FOLDER.episode_of_care.v1] CONTAINS FOLDER f2[openEHR-EHR-FOLDER.episode_of_care.v1] CONTAINS COMPOSITION c',
        values: {},
        expect: { kind: 'rows', file: 'aql/fields_and_results/folder/expected_contains_compo_folder_in_folder.json' },
      },
    ]);
    // Three cases and two answer files (VERSION): nothing says which file answers which case, so their queries stay unknown.
    const version = suites.find((candidate) => candidate.name === 'VERSION/version_latest_version_contains_composition');
    expect(version?.cases.map((item) => item.template)).toEqual([
      '${query1}',
      '${query2}',
      'Check Contributions Exists And Valid - Latest Version Composition',
    ]);
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

describe('server-generated values of an expected result', () => {
  const mine = '13f1ba8b-cb38-453a-a56e-f205944c2bf4::ucp.local::1';
  const other = 'ad73c424-98be-4eb6-a74d-78a9eeb1e084::ucp.local::1';
  const own = (versionUids: string[], ehrIds: string[] = []): OwnValues => ({
    ehrIds,
    versionUids,
    commitTime: (uid) =>
      Promise.resolve(uid === mine ? '2026-12-07T17:19:22.505Z' : uid === other ? '2026-12-07T17:19:22.542Z' : undefined),
  });

  it("replaces EHRbase's commit time in a row by the commit time here of the version the row names", async () => {
    const expected = {
      columns: [{ path: 'c/uid/value' }, { path: 'cv0/commit_audit/time_committed/value' }],
      rows: [
        [mine, '2025-01-30T14:46:10.908687+02:00'],
        [other, '2025-01-30T14:46:11.082152+02:00'],
        ['f0000000-0000-4000-8000-000000000000::ucp.local::1', '2025-01-30T14:46:11.2+02:00'],
      ],
    };
    expect(await inOwnTerms(expected, own([mine, other]))).toEqual([
      [mine, '2026-12-07T17:19:22.505Z'],
      [other, '2026-12-07T17:19:22.542Z'],
      // A version the steps did not commit says nothing: the row stays as it is, and fails.
      ['f0000000-0000-4000-8000-000000000000::ucp.local::1', '2025-01-30T14:46:11.2+02:00'],
    ]);
    // Without a commit-time column nothing is replaced.
    expect(await inOwnTerms({ columns: [{ path: 'c/uid/value' }, { path: 'c/name/value' }], rows: [[mine, 'x']] }, own([mine]))).toEqual([
      [mine, 'x'],
    ]);
  });

  it("reads EHRbase's own version uid as the one composition the steps committed, and only then", async () => {
    const ehrbase = { rows: [[{ uid: { value: '8d7caca5-9cdb-4da4-beba-d82544f66680::local.ehrbase.org::1' } }]] };
    expect(await inOwnTerms(ehrbase, own([mine]))).toEqual([[{ uid: { value: mine } }]]);
    expect(await inOwnTerms(ehrbase, own([mine, other]))).toEqual(ehrbase.rows);
    expect(await inOwnTerms({ rows: [['8d7caca5-9cdb-4da4-beba-d82544f66680::local.ehrbase.org::2']] }, own([mine]))).toEqual([
      ['8d7caca5-9cdb-4da4-beba-d82544f66680::local.ehrbase.org::2'],
    ]);
  });
});

describe('EHR ids of an expected result', () => {
  const ehrbase = '8c106c54-21c1-4e22-9013-170cdad6c42b';
  const ours = '79ed6905-8034-4a69-855f-f66af3fdc8a4';
  const values = (ehrIds: string[]): OwnValues => ({ ehrIds, versionUids: [], commitTime: () => Promise.resolve(undefined) });
  const expected = { columns: [{ path: 'e/ehr_id/value' }, { path: 'c/name/value' }], rows: [[ehrbase, ehrbase]] };

  it("reads EHRbase's EHR id in an ehr_id column as the one EHR the steps created, and only then", async () => {
    expect(await inOwnTerms(expected, values([ours]))).toEqual([[ours, ehrbase]]);
    expect(await inOwnTerms(expected, values([ours, '0d7f7d2e-6d3b-4c55-9a43-2d1b0c6a9f10']))).toEqual([[ehrbase, ehrbase]]);
  });
});

describe('a query EHRbase refuses', () => {
  const refused = { kind: 'error', file: 'x.json', count: 2 } as const;

  it('passes when refused, or when answered with the rows its CSV states, and fails with any other count', async () => {
    expect(await judge(refused, { status: 400, error: '400 not implemented' }, new Map())).toEqual({ status: 'passed' });
    expect(await judge(refused, { status: 200, rows: [['a'], ['b']] }, new Map())).toEqual({ status: 'passed' });
    expect(await judge(refused, { status: 200, rows: [['a']] }, new Map())).toEqual({
      status: 'failed',
      reason: 'expected the query to be refused (400) or to give the 2 row(s) its CSV states, got 1',
    });
    expect(await judge({ kind: 'error', file: 'x.json' }, { status: 200, rows: [['a']] }, new Map())).toMatchObject({ status: 'failed' });
  });
});
