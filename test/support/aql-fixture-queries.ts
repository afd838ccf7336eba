import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every distinct AQL text in the EHRbase
 * integration-test fixtures. Robot test names and query templates are expanded with each row of
 * their data-driver CSV; placeholders that stand for ids captured at run time become a uuid.
 */
export interface FixtureQuery {
  /** Where it came from: the robot file (and CSV row) or the JSON file. */
  readonly source: string;
  readonly text: string;
}

const ROOT = fileURLToPath(new URL('../fixtures/openehr/ehrbase-integration-tests/', import.meta.url));
const SOME_UUID = '4cd7ed03-f199-4692-9320-c270b6ea2b93';

interface IndexCase {
  readonly robot_file: string;
  readonly data_driver_csv: readonly string[];
  readonly query_templates: readonly string[];
  readonly test_case_names: readonly string[];
}

export function robotSuiteQueries(): FixtureQuery[] {
  const index = JSON.parse(readFileSync(join(ROOT, 'aql-cases.index.json'), 'utf8')) as { cases: IndexCase[] };
  const found = new Map<string, FixtureQuery>();
  for (const c of index.cases) {
    const templates = [...new Set([...c.query_templates, ...c.test_case_names])];
    const rows = c.data_driver_csv.flatMap((csv) =>
      readCsv(join(ROOT, 'test_data_sets', csv)).map((row, i) => ({ row, label: `${csv} row ${i + 2}` })),
    );
    for (const template of templates) {
      const expansions = rows.length > 0 && /\$\{/.test(template) ? rows : [{ row: new Map<string, string>(), label: '' }];
      for (const { row, label } of expansions) {
        const text = queryText(substitute(template, row));
        if (text === undefined || found.has(text)) continue;
        found.set(text, { source: label ? `${c.robot_file} with ${label}` : c.robot_file, text });
      }
    }
  }
  return [...found.values()];
}

export function jsonSuiteQueries(folder: 'aql_queries_valid' | 'aql_queries_invalid'): FixtureQuery[] {
  const base = join(ROOT, 'test_data_sets/query', folder);
  return walk(base)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ source: relative(base, file), text: (JSON.parse(readFileSync(file, 'utf8')) as { q: string }).q }));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Column values may themselves hold placeholders (`'${ehr_id1}'`), so substitute until stable. */
function substitute(template: string, row: ReadonlyMap<string, string>): string {
  let text = template;
  for (let round = 0; round < 5; round++) {
    const next = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => row.get(name) ?? whole);
    if (next === text) break;
    text = next;
  }
  // What is left stands for ids captured from the preconditions (ehr ids, composition uids, system id).
  return text.replace(
    /\$\{((?:ehr_id|c_uid|compo_id|composition_short_uid|system_id_with_tenant|ehr_status_id|folder_uid|versioned_object_uid)[A-Za-z0-9_]*)\}/g,
    SOME_UUID,
  );
}

/** Robot test names put a label before the query ("Find All: SELECT …", "1. SELECT …"). */
function queryText(name: string): string | undefined {
  const start = name.search(/\bselect\b/i);
  if (start < 0) return undefined;
  const text = name.slice(start).trim();
  return /\$\{/.test(text) ? undefined : text;
}

function readCsv(path: string): Map<string, string>[] {
  const records = parseCsv(readFileSync(path, 'utf8'));
  const header = (records.shift() ?? []).map((h) => h.replace(/^\$\{|\}$/g, ''));
  return records.filter((r) => r.some((cell) => cell.trim() !== '')).map((r) => new Map(header.map((h, i) => [h, r[i] ?? ''])));
}

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}
