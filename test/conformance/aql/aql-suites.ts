/**
 * The AQL suites of EHRbase's integration tests, read from the derived index
 * (test/fixtures/openehr/ehrbase-integration-tests/aql-cases.index.json) and the data-driver CSVs
 * it names, turned into cases: a query template, the values of one CSV row, and what the row
 * expects (a result set file, a row count, a single value, or an error).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_SETS = fileURLToPath(new URL('../../fixtures/openehr/ehrbase-integration-tests/test_data_sets/', import.meta.url));
const INDEX = fileURLToPath(new URL('../../fixtures/openehr/ehrbase-integration-tests/aql-cases.index.json', import.meta.url));
const DUPLICATES = fileURLToPath(new URL('../../fixtures/openehr/ehrbase-integration-tests/DUPLICATES.tsv', import.meta.url));
const RESULTS = 'aql/fields_and_results/';

interface IndexedSuite {
  robot_file: string;
  data_driver_csv: string[];
  test_case_names: string[];
  query_templates: string[];
  expected_result_dirs: string[];
  precondition_steps: string[];
}

/** What a case expects of the query's answer. */
export type Expectation =
  | { kind: 'rows'; file: string }
  | { kind: 'count'; count: number }
  | { kind: 'value'; count: number; value: string }
  /**
   * EHRbase's answer file is empty: it refuses the query. `count`, where the CSV gives one, is the
   * number of rows the suite's author states for it, which an answer (AQL 1.1 allows the query) is held to.
   */
  | { kind: 'error'; file: string; count?: number }
  /** The index names no answer for this query: it must at least execute. */
  | { kind: 'runs' };

export interface AqlCase {
  /** Stable within its suite: the CSV row number or the position of the query in the suite. */
  id: string;
  /** The query template before expansion (Robot variables as `${name}`). */
  template: string;
  /** Values of the CSV row, by variable name. */
  values: Readonly<Record<string, string>>;
  expect: Expectation;
}

export interface AqlSuite {
  /** The robot file under tests/robot/AQL_TESTS without `.robot`, e.g. `WHERE/where_dv_text`. */
  name: string;
  /** Its first folder (AGGREGATE_FUNCTIONS, SELECT, …): the quick form samples every folder. */
  folder: string;
  steps: readonly string[];
  cases: readonly AqlCase[];
}

/** RFC 4180 CSV: quoted fields may hold commas and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((cell) => cell !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((cell) => cell !== '')) rows.push(row);
  return rows;
}

const variableName = (header: string) => /^\$\{(.+)\}$/.exec(header.trim())?.[1] ?? header.trim();

/** A test case name is the query, sometimes behind a number (`${query_nr} SELECT …`, `1. SELECT …`). */
export function queryOfTemplate(template: string): string {
  const query = template
    .replace(/^\$\{query_nr\}\s+/, '')
    .replace(/^\d+\.\s+/, '')
    .trim();
  // A test case named `<title>: SELECT …` carries its query after the title.
  return /^[^:]+:\s+(SELECT\b.*)$/is.exec(query)?.[1] ?? query;
}

/** Whether a case's text is a query (possibly a `${variable}` the robot file sets) rather than a title. */
const isQueryText = (text: string) => /^\s*SELECT\b/i.test(text);

/**
 * The one answer file a suite names by file (not by folder), when it holds the query it answers
 * (`q`): where the index carries only a title or a `${q}` the robot file sets, the answer file says
 * which query that is. Undefined when the suite names no such file or more than one.
 */
async function queryOfAnswerFile(suite: IndexedSuite): Promise<{ q: string; file: string } | undefined> {
  const files = suite.expected_result_dirs.filter((entry) => entry.endsWith('.json')).map((entry) => `${RESULTS}${entry}`);
  if (files.length !== 1 || files[0] === undefined) return undefined;
  const file = files[0];
  try {
    const parsed = JSON.parse(await readFile(join(DATA_SETS, file), 'utf8')) as { q?: unknown };
    return typeof parsed.q === 'string' && isQueryText(parsed.q) ? { q: parsed.q, file } : undefined;
  } catch {
    return undefined;
  }
}

let duplicates: Promise<Map<string, string>> | undefined;
/** Byte-identical files are stored once: DUPLICATES.tsv maps each omitted path to its stored twin. */
export function duplicateTwins(): Promise<Map<string, string>> {
  duplicates ??= readFile(DUPLICATES, 'utf8').then(
    (text) =>
      new Map(
        text
          .split('\n')
          .map((line) => line.split('\t'))
          .filter((cells): cells is [string, string] => cells.length >= 2 && cells[0] !== '' && cells[1] !== '')
          .map(([from, to]) => [from.trim(), to.trim()]),
      ),
  );
  return duplicates;
}

let resultFiles: Promise<string[]> | undefined;
/** Every file under aql/fields_and_results, relative to test_data_sets. */
function allResultFiles(): Promise<string[]> {
  resultFiles ??= readdir(join(DATA_SETS, RESULTS), { recursive: true, withFileTypes: true }).then((entries) =>
    entries.filter((entry) => entry.isFile()).map((entry) => relative(DATA_SETS, join(entry.parentPath, entry.name)).split(sep).join('/')),
  );
  return resultFiles;
}

/**
 * Where an expected-result file named in a CSV lives: in one of the suite's expected-result
 * folders, beside the CSV or one folder up, else the one file of that name anywhere.
 */
async function resolveExpectedFile(fileName: string, suite: IndexedSuite, csv: string): Promise<string | undefined> {
  const files = await allResultFiles();
  const csvDir = csv.split('/').slice(0, -1).join('/');
  const candidates = [
    ...suite.expected_result_dirs.map((dir) => `${RESULTS}${dir.replace(/\/?$/, '/')}${fileName}`),
    `${csvDir}/${fileName}`,
    `${csvDir.split('/').slice(0, -1).join('/')}/${fileName}`,
  ];
  const found = candidates.find((candidate) => files.includes(candidate));
  if (found) return found;
  const twins = await duplicateTwins();
  const twin = candidates.map((candidate) => twins.get(candidate)).find((path) => path !== undefined && files.includes(path));
  if (twin) return twin;
  const named = files.filter((file) => file.endsWith(`/${fileName}`));
  return named.length === 1 ? named[0] : undefined;
}

async function isEmptyFile(path: string): Promise<boolean> {
  return (await readFile(join(DATA_SETS, path), 'utf8')).trim() === '';
}

async function expectationOf(values: Record<string, string>, suite: IndexedSuite, csv: string): Promise<Expectation | string> {
  const file = values['expected_file'];
  const count = Number(values['nr_of_results']);
  if (file !== undefined && file !== '') {
    const path = await resolveExpectedFile(file, suite, csv);
    if (!path) return `expected-result file ${file} is not among the fixtures`;
    // An empty answer file is how the suites write "this query is refused"; the CSV may still say how many rows it has.
    if (!(await isEmptyFile(path))) return { kind: 'rows', file: path };
    const stated = values['nr_of_results']?.trim() ?? '';
    return /^\d+$/.test(stated) ? { kind: 'error', file: path, count: Number(stated) } : { kind: 'error', file: path };
  }
  if (values['expected_value'] !== undefined) return { kind: 'value', count, value: values['expected_value'] };
  if (Number.isInteger(count)) return { kind: 'count', count };
  return { kind: 'runs' };
}

/** For a suite without a CSV: the expected file whose `q` is this query, if the suite's folders hold one. */
async function expectedFileForQuery(query: string, suite: IndexedSuite): Promise<string | undefined> {
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
  const files = (await allResultFiles()).filter(
    (file) =>
      file.endsWith('.json') &&
      !file.endsWith('_ent.json') &&
      suite.expected_result_dirs.some((dir) => file.startsWith(`${RESULTS}${dir.replace(/\/?$/, '/')}`)),
  );
  for (const file of files) {
    try {
      const parsed = JSON.parse(await readFile(join(DATA_SETS, file), 'utf8')) as { q?: unknown };
      if (typeof parsed.q === 'string' && normalise(parsed.q) === normalise(query)) return file;
    } catch {
      // an empty or malformed file cannot be the answer to a named query
    }
  }
  return undefined;
}

export interface SuiteProblem {
  suite: string;
  id: string;
  problem: string;
}

/** All suites of the index, with their cases; cases the index cannot describe come back as problems. */
export async function loadAqlSuites(): Promise<{ suites: AqlSuite[]; problems: SuiteProblem[] }> {
  const index = JSON.parse(await readFile(INDEX, 'utf8')) as { cases: IndexedSuite[] };
  const suites: AqlSuite[] = [];
  const problems: SuiteProblem[] = [];
  for (const indexed of index.cases) {
    const name = indexed.robot_file.replace(/^.*AQL_TESTS\//, '').replace(/\.robot$/, '');
    const cases: AqlCase[] = [];
    const templates = (indexed.query_templates.length > 0 ? indexed.query_templates : indexed.test_case_names).map(queryOfTemplate);
    const csv = indexed.data_driver_csv[0];
    if (csv !== undefined) {
      const [header, ...rows] = parseCsv(await readFile(join(DATA_SETS, csv), 'utf8'));
      const names = (header ?? []).map(variableName);
      const template = templates[0] ?? '';
      for (const [rowIndex, row] of rows.entries()) {
        const values = Object.fromEntries(names.map((column, i) => [column, (row[i] ?? '').trim()]));
        const id = `row ${rowIndex + 1}`;
        const expectation = await expectationOf(values, indexed, csv);
        if (typeof expectation === 'string') problems.push({ suite: name, id, problem: expectation });
        else cases.push({ id, template, values, expect: expectation });
      }
    } else {
      const titles = templates.filter((template) => !isQueryText(template));
      const answer = titles.length === 1 && templates.length === 1 ? await queryOfAnswerFile(indexed) : undefined;
      if (answer) {
        cases.push({ id: 'query 1', template: answer.q, values: {}, expect: { kind: 'rows', file: answer.file } });
        suites.push({ name, folder: name.split('/')[0] ?? name, steps: indexed.precondition_steps, cases });
        continue;
      }
      for (const [position, template] of templates.entries()) {
        const file = /\$\{/.test(template) ? undefined : await expectedFileForQuery(template, indexed);
        const expect: Expectation = file
          ? (await isEmptyFile(file))
            ? { kind: 'error', file }
            : { kind: 'rows', file }
          : { kind: 'runs' };
        cases.push({ id: `query ${position + 1}`, template, values: {}, expect });
      }
    }
    suites.push({ name, folder: name.split('/')[0] ?? name, steps: indexed.precondition_steps, cases });
  }
  return { suites, problems };
}
