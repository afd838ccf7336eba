/**
 * Replays EHRbase's AQL suites through the REST API: each suite on a fresh repository, its
 * precondition steps (templates, EHRs, compositions, folders, contributions) loaded through our
 * own endpoints, each query expanded with its CSV row and the ids the steps captured, run with
 * `POST /openehr/v1/query/aql`, and its rows compared with the expected result set (ignoring
 * `meta`, row order and string case; result-compare.ts). Then the older `query/` suite: every
 * query on an empty repository, and on one loaded with its data set.
 *
 * Every case passes, fails with a message a compiler author can act on (the query, what was
 * expected, what came back, the first differing row), or is excluded by aql-exclusions.ts with a
 * specific reason — and an excluded case that passes, or fails otherwise, fails the run.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConformanceApp } from '../openehr-conformance.js';
import { applyExclusion, type Outcome } from '../openehr-conformance.js';
import { GROUPS } from '../conformance-groups.js';
import { EXCLUSIONS } from '../exclusions.js';
import { AQL_EXCLUSIONS } from './aql-exclusions.js';
import { repaired } from './fixture-repairs.js';
import { DATA_SETS, duplicateTwins, loadAqlSuites, type AqlCase, type AqlSuite, type Expectation } from './aql-suites.js';
import { compareRows } from './result-compare.js';
import { objectIdOf } from '../../support/version-uid.js';

const API = '/openehr/v1';

export interface AqlCaseResult {
  /** `AGGREGATE_FUNCTIONS/COUNT/count_on_ehr`, or `query/loaded_db/A` for the older suite. */
  suite: string;
  /** The folder the summary groups by (first segment of the suite). */
  folder: string;
  id: string;
  /** The query as sent (variables expanded). */
  query: string;
  check: Expectation['kind'];
  outcome: Outcome;
}

export interface AqlConformanceOptions {
  /** Only these suites (by name); the quick form passes a sample. */
  suites?: (all: readonly AqlSuite[]) => readonly AqlSuite[];
  /** The older `query/` suite: on both databases (default), on the empty one only, or not at all. */
  querySuite?: 'all' | 'empty' | 'none';
  onResult?: (result: AqlCaseResult) => void;
}

const passed: Outcome = { status: 'passed' };
const failed = (reason: string): Outcome => ({ status: 'failed', reason });

/** A fixture file, or its byte-identical twin when the set stores only that (DUPLICATES.tsv). */
async function readText(path: string): Promise<string> {
  try {
    return await readFile(join(DATA_SETS, path), 'utf8');
  } catch (error) {
    const twin = (await duplicateTwins()).get(path);
    if (twin === undefined) throw error;
    return readFile(join(DATA_SETS, twin), 'utf8');
  }
}

class StepError extends Error {
  constructor(
    message: string,
    /** Set when the step failed because the repository refuses a fixture the openEHR conformance run excludes as invalid. */
    readonly fixture?: { path: string; reason: string },
  ) {
    super(message);
  }
}

/**
 * The openEHR conformance run's verdict on a composition fixture this repository refuses: its
 * exclusion, when every validation error of the refusal is what that exclusion names.
 */
function fixtureExclusion(path: string, body: string): { path: string; reason: string } | undefined {
  const exclusion = EXCLUSIONS[`${GROUPS.canonicalJson}:ehrbase-integration-tests/test_data_sets/${path}`];
  if (!exclusion) return undefined;
  let errors: string[];
  try {
    errors = (JSON.parse(body) as { validationErrors?: string[] }).validationErrors ?? [];
  } catch {
    return undefined;
  }
  return errors.length > 0 && errors.every((error) => exclusion.evidence.test(error)) ? { path, reason: exclusion.reason } : undefined;
}

/**
 * A CSV value as EHRbase's suite sends it: Robot Framework reads `\\` as one backslash and drops
 * a backslash before any other character, and the keyword writes the query into a JSON body by
 * text (`{"q":"…"}`), whose parser again reads `\\` as one backslash. So the CSV's
 * `Name\\\\\\\\*` reaches AQL as `Name\\*` and `Name\*` as `Name*`.
 */
export function asSent(csvValue: string): string {
  const robot = csvValue.replace(/\\(.)/g, '$1');
  return robot.replace(/\\\\/g, '\\');
}

/** `${name}` → value, leaving unknown variables in place so the failure can name them. */
export function expand(text: string, variables: ReadonlyMap<string, string>): string {
  // A CSV value may itself name a variable (`${EMPTY}`, `${ehr_id}`): expand until nothing changes.
  let current = text;
  for (let pass = 0; pass < 4; pass++) {
    const next = current.replace(/\$\{([^}]+)\}/g, (whole, name: string) => variables.get(name) ?? whole);
    if (next === current) break;
    current = next;
  }
  return current;
}

function expandDeep(value: unknown, variables: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return expand(value, variables);
  if (Array.isArray(value)) return value.map((item) => expandDeep(item, variables));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandDeep(item, variables)]));
  return value;
}

/**
 * The PARAMETER suite calls `Execute Query` with the query and a parameter map, which the index
 * renders as one name: `SELECT … WHERE <path> = "param": <value>`. Split it back into the query
 * (`… = $param`) and its parameter (the Robot value, a JSON literal with `\"` for quotes).
 */
export function splitInlineParameter(query: string): { q: string; parameters?: Record<string, unknown> } {
  const match = /^(.*\S)\s+"(\w+)":\s+(.+)$/s.exec(query);
  if (!match?.[1] || !match[2] || match[3] === undefined) return { q: query };
  try {
    return { q: `${match[1]} $${match[2]}`, parameters: { [match[2]]: JSON.parse(match[3].replace(/\\"/g, '"')) as unknown } };
  } catch {
    return { q: query };
  }
}

const unresolved = (text: string) => [...new Set(text.match(/\$\{[^}]+\}/g) ?? [])];

/** A short text of an error response: status and message. */
function errorOf(response: { statusCode: number; body: string }): string {
  try {
    const parsed = JSON.parse(response.body) as { message?: string; validationErrors?: string[] };
    const errors = parsed.validationErrors ?? [];
    return `${response.statusCode} ${parsed.message ?? response.body.slice(0, 300)}${errors.length > 0 ? ` [${errors.join(' | ')}]` : ''}`;
  } catch {
    return `${response.statusCode} ${response.body.slice(0, 300)}`;
  }
}

/** The repository and the variables of one suite as its precondition steps leave them. */
class SuiteContext {
  readonly variables = new Map<string, string>([
    ['EMPTY', ''],
    ['TRUE', 'true'],
    ['FALSE', 'false'],
  ]);
  #lastJson: unknown;
  /** Every composition version the steps committed, in order. */
  readonly committed: { ehrId: string; versionUid: string }[] = [];
  /** Every EHR the steps created, in order. */
  readonly ehrs: string[] = [];
  /** The template of the last OPT uploaded: what a FLAT composition is written for when the suite names none. */
  #lastTemplateId: string | undefined;

  constructor(
    readonly app: ConformanceApp,
    systemId: string,
  ) {
    this.variables.set('system_id_with_tenant', systemId);
    this.variables.set('system_id', systemId);
    // EHRbase's keyword sets it to the system id's first label and a dot (`${tenant_id}[0].`): a prefix every system id of the tenant follows.
    this.variables.set('tenant_id_from_system_id', `${systemId.split('.')[0] ?? systemId}.`);
  }

  set(name: string, value: string | undefined): void {
    if (value !== undefined) this.variables.set(name, value);
  }

  async step(step: string): Promise<void> {
    const [keyword, args] = splitStep(step);
    switch (keyword) {
      case 'Upload OPT For AQL':
        return this.uploadOpt(args[0] ?? '');
      case 'Create EHR For AQL':
        // EHRbase's keyword creates the EHR with this status (subject and other_details), which the expected results show.
        return this.createEhr(named(args, 'ehr_id'), 'ehr/valid/000_ehr_status_with_other_details.json');
      case 'Create EHR For AQL With Custom EHR Status':
        return this.createEhr(undefined, `aql/data_load/ehrs/${named(args, 'file_name') ?? args[0] ?? ''}`);
      case 'Commit Composition For AQL':
        return this.commitComposition(named(args, 'composition_file') ?? args[0] ?? '', named(args, 'format'));
      case 'Update Composition For AQL':
        return this.updateComposition(named(args, 'new_composition') ?? args[0] ?? '');
      case 'Create Directory For AQL':
        return this.createDirectory(args[0] ?? '');
      case 'Commit Contribution For AQL':
        return this.commitContribution(args[0] ?? '');
      case 'Set Suite Variable':
        return this.setVariable(args);
      case 'Admin Delete EHR For AQL':
        throw new StepError('this repository never deletes an EHR (EHRbase admin API; ITS-REST defines no EHR delete)');
      default:
        throw new StepError(`no runner for the precondition step '${keyword}'`);
    }
  }

  setVariable(args: string[]): void {
    const name = /^\$\{(.+)\}$/.exec(args[0] ?? '')?.[1];
    if (!name) throw new StepError(`cannot set ${args[0] ?? '(nothing)'}`);
    const source = args.slice(1).join(' ');
    if (source === '') return; // set inside the robot file from a response this runner does not see: left unresolved
    const plain = /^\$\{([A-Za-z0-9_]+)\}$/.exec(source);
    if (plain?.[1] !== undefined) return this.set(name, this.variables.get(plain[1]));
    // `${versions[0]['id']['value']}`: the keyword's name for the versions of the contribution it just committed.
    const fromResponse = source.replace(/^\$\{versions\[/, "${resp_json}['versions'][");
    const lookup = /^\$\{(?:resp_json|response\.json\(\)|resp\.json\(\))\}?((?:\[['"]?[\w]+['"]?\])+)\}?$/.exec(
      fromResponse.replace(/^\$\{(resp_json|response\.json\(\)|resp\.json\(\))\}/, '$${$1}'),
    );
    if (lookup?.[1] !== undefined) {
      let value: unknown = this.#lastJson;
      for (const key of lookup[1].match(/\[['"]?([\w]+)['"]?\]/g) ?? []) {
        const k = key.replace(/^\[['"]?|['"]?\]$/g, '');
        value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
      }
      if (typeof value === 'string' || typeof value === 'number') return this.set(name, String(value));
      return;
    }
    if (!source.includes('${')) return this.set(name, source);
  }

  /** `file` as the suite names it; `path` under test_data_sets where it is not one of the AQL data set's OPTs. */
  async uploadOpt(file: string, path = `aql/data_load/opts/${file}`): Promise<void> {
    let body: string;
    try {
      body = repaired(`opts/${file}`, await readText(path));
    } catch {
      throw new StepError(`OPT ${file} is not among the fixtures`);
    }
    const response = await this.app.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      body,
    });
    if (response.statusCode >= 300 && response.statusCode !== 409) throw new StepError(`uploading ${file}: ${errorOf(response)}`);
    if (response.statusCode < 300) this.#lastTemplateId = response.json<{ template_id?: string }>().template_id;
  }

  /** `subject`: the one the data set's answers name; otherwise each EHR gets a subject of its own. */
  async createEhr(ehrId: string | undefined, statusFile: string | undefined, subject?: { id: string; namespace: string }): Promise<void> {
    let body: string | undefined;
    if (statusFile !== undefined) {
      const status = JSON.parse(await readText(statusFile)) as {
        subject?: { external_ref?: { id?: { value?: string }; namespace?: string } };
      };
      // Each EHR gets a subject of its own, as the Robot keyword does, so two EHRs never claim one person.
      const ref = status.subject?.external_ref;
      if (ref?.id) ref.id.value = subject?.id ?? randomUUID();
      if (ref && subject) ref.namespace = subject.namespace;
      this.set('ehr_status_subject_id', ref?.id?.value);
      this.set('subject_external_ref_value', ref?.id?.value);
      this.set('ehr_status_subject_namespace', ref?.namespace);
      this.set('subject_external_ref_namespace', ref?.namespace);
      body = JSON.stringify(status);
    }
    // `ehr_id=${ehr_id}` before any EHR exists: the Robot keyword makes up an id.
    const expanded =
      ehrId === undefined ? undefined : /\$\{/.test(expand(ehrId, this.variables)) ? randomUUID() : expand(ehrId, this.variables);
    const response = await this.app.inject({
      method: expanded === undefined ? 'POST' : 'PUT',
      url: expanded === undefined ? `${API}/ehr` : `${API}/ehr/${expanded}`,
      headers: { prefer: 'return=representation', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    if (response.statusCode !== 201) throw new StepError(`creating an EHR: ${errorOf(response)}`);
    const ehr = response.json<{ ehr_id: { value: string }; ehr_status: { id: { value: string } }; time_created: { value: string } }>();
    this.#lastJson = { uid: { value: ehr.ehr_status.id.value }, ...ehr };
    this.ehrs.push(ehr.ehr_id.value);
    this.set('ehr_id', ehr.ehr_id.value);
    this.set('ehr_status_uid', ehr.ehr_status.id.value);
    this.set('ehr_status_id', ehr.ehr_status.id.value);
    this.set('ehr_time_created', ehr.time_created.value);
  }

  ehrId(): string {
    const ehrId = this.variables.get('ehr_id');
    if (!ehrId) throw new StepError('no EHR created before this step');
    return ehrId;
  }

  compositionCommitted(versionUid: string | undefined): void {
    if (!versionUid) throw new StepError('the commit answered without an ETag');
    this.committed.push({ ehrId: this.ehrId(), versionUid });
    const objectId = objectIdOf(versionUid);
    this.set('composition_uid', versionUid);
    this.set('c_uid', versionUid);
    this.set('composition_short_uid', objectId);
    this.set('compo_id', objectId);
    this.set('composition_id', versionUid);
  }

  async commitComposition(file: string, format: string | undefined, path = `aql/data_load/compositions/${file}`): Promise<void> {
    let text: string;
    try {
      text = expand(repaired(`compositions/${file}`, await readText(path)), this.variables);
    } catch {
      throw new StepError(`composition ${file} is not among the fixtures`);
    }
    const flat = format?.toUpperCase() === 'FLAT' || /flat/i.test(file);
    const templateId = this.variables.get('template_id') ?? this.#lastTemplateId;
    const response = await this.app.inject({
      method: 'POST',
      url: `${API}/ehr/${this.ehrId()}/composition${flat ? `?format=FLAT${templateId ? `&templateId=${encodeURIComponent(templateId)}` : ''}` : ''}`,
      headers: { 'content-type': flat ? 'application/openehr.wt.flat.schema+json' : 'application/json' },
      body: text,
    });
    if (response.statusCode !== 201) {
      throw new StepError(`committing ${file}: ${errorOf(response)}`, fixtureExclusion(path, response.body));
    }
    this.compositionCommitted(String(response.headers.etag ?? '').replace(/"/g, ''));
  }

  async updateComposition(file: string): Promise<void> {
    const current = this.variables.get('composition_uid');
    if (!current) throw new StepError('no composition committed before the update');
    const text = expand(await readText(`aql/data_load/compositions/${file}`), this.variables);
    const response = await this.app.inject({
      method: 'PUT',
      url: `${API}/ehr/${this.ehrId()}/composition/${objectIdOf(current)}`,
      headers: { 'content-type': 'application/json', 'if-match': current },
      body: text,
    });
    if (response.statusCode !== 200 && response.statusCode !== 204) throw new StepError(`updating with ${file}: ${errorOf(response)}`);
    this.compositionCommitted(String(response.headers.etag ?? '').replace(/"/g, ''));
    this.set('updated_version_composition_uid', this.variables.get('composition_uid'));
  }

  async createDirectory(file: string): Promise<void> {
    const text = expand(await readText(`aql/data_load/folder/${file}`), this.variables);
    const missing = unresolved(text);
    if (missing.length > 0) throw new StepError(`folder ${file} names ${missing.join(', ')}, which no step set`);
    const response = await this.app.inject({
      method: 'POST',
      url: `${API}/ehr/${this.ehrId()}/directory`,
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    if (response.statusCode !== 201) throw new StepError(`creating the directory from ${file}: ${errorOf(response)}`);
  }

  /** What this repository generated for the compositions the steps committed, to stand for EHRbase's values. */
  ownValues(): OwnValues {
    return {
      ehrIds: this.ehrs,
      versionUids: this.committed.map((item) => item.versionUid),
      commitTime: async (versionUid) => {
        const item = this.committed.find((candidate) => candidate.versionUid === versionUid);
        if (!item) return undefined;
        const response = await this.app.inject({
          method: 'GET',
          url: `${API}/ehr/${item.ehrId}/versioned_composition/${objectIdOf(versionUid)}/version/${encodeURIComponent(versionUid)}`,
        });
        if (response.statusCode !== 200) return undefined;
        return response.json<{ commit_audit?: { time_committed?: { value?: string } } }>().commit_audit?.time_committed?.value;
      },
    };
  }

  async commitContribution(file: string): Promise<void> {
    const text = expand(await readText(`contributions/valid/${file}`), this.variables);
    const response = await this.app.inject({
      method: 'POST',
      url: `${API}/ehr/${this.ehrId()}/contribution`,
      headers: { 'content-type': 'application/json', prefer: 'return=representation' },
      body: text,
    });
    if (response.statusCode !== 201) throw new StepError(`committing the contribution ${file}: ${errorOf(response)}`);
    this.#lastJson = response.json();
  }
}

/** `Keyword Name  arg1  name=value` as the index writes it: the keyword is the words before the first argument. */
export function splitStep(step: string): [string, string[]] {
  const keywords = [
    'Create EHR For AQL With Custom EHR Status',
    'Upload OPT For AQL',
    'Create EHR For AQL',
    'Commit Composition For AQL',
    'Update Composition For AQL',
    'Create Directory For AQL',
    'Commit Contribution For AQL',
    'Admin Delete EHR For AQL',
    'Set Suite Variable',
  ];
  const keyword = keywords.find((candidate) => step === candidate || step.startsWith(`${candidate} `));
  if (!keyword) return [step, []];
  return [keyword, step.slice(keyword.length).trim().split(/\s+/).filter(Boolean)];
}

const named = (args: readonly string[], name: string) => args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);

export interface QueryAnswer {
  status: number;
  rows?: unknown[][];
  error?: string;
}

export async function runQuery(app: ConformanceApp, q: string, parameters?: Record<string, unknown>): Promise<QueryAnswer> {
  const payload = parameters ? { q, query_parameters: parameters } : { q };
  const response = await app.inject({ method: 'POST', url: `${API}/query/aql`, headers: { 'content-type': 'application/json' }, payload });
  if (response.statusCode !== 200) return { status: response.statusCode, error: errorOf(response) };
  const body = response.json<{ rows?: unknown[][] }>();
  return { status: 200, rows: body.rows ?? [] };
}

/**
 * Values the repository generated for what a suite's steps committed: the answer to EHRbase's
 * server-generated ids and times in an expected result, where the row says which commit it means.
 */
export interface OwnValues {
  /** The EHRs the steps created, in order. */
  ehrIds: readonly string[];
  /** The composition versions the steps committed, in order. */
  versionUids: readonly string[];
  commitTime(versionUid: string): Promise<string | undefined>;
}

/** A version uid EHRbase's own server gave (its system id local.ehrbase.org), not one the suite's steps captured. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EHRBASE_VERSION_UID = /^[0-9a-f-]{36}::local\.ehrbase\.org::(\d+)$/;

/**
 * An expected result in this repository's terms, where its rows name values EHRbase's server
 * generated and the steps say which of ours they stand for:
 * - a commit time (a column `…/commit_audit/time_committed/value`) in a row that names one of the
 *   committed versions is that version's commit time here;
 * - a version uid of EHRbase's server, when the steps committed one composition only, is its uid here
 *   (with more, nothing says which it is, and the value stays as it is);
 * - an EHR id in a column `…/ehr_id/value` that is none of ours, when the steps created one EHR only,
 *   is that EHR's id here.
 */
export async function inOwnTerms(expected: { columns?: { path?: string }[]; rows: unknown[] }, own: OwnValues): Promise<unknown[]> {
  const only = own.versionUids.length === 1 ? own.versionUids[0] : undefined;
  const mapUids = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const version = EHRBASE_VERSION_UID.exec(value)?.[1];
      return only !== undefined && version !== undefined && only.endsWith(`::${version}`) ? only : value;
    }
    if (Array.isArray(value)) return value.map(mapUids);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapUids(item)]));
    return value;
  };
  const columnsAt = (suffix: string) => (expected.columns ?? []).flatMap((column, index) => (column.path?.endsWith(suffix) ? [index] : []));
  const timeColumns = columnsAt('commit_audit/time_committed/value');
  const ehrColumns = columnsAt('ehr_id/value');
  const onlyEhr = own.ehrIds.length === 1 ? own.ehrIds[0] : undefined;
  const mapEhrIds = (row: unknown): unknown =>
    Array.isArray(row) && onlyEhr !== undefined
      ? row.map((cell, index) =>
          ehrColumns.includes(index) && typeof cell === 'string' && UUID.test(cell) && !own.ehrIds.includes(cell) ? onlyEhr : cell,
        )
      : row;
  const rows: unknown[] = [];
  for (const row of expected.rows.map(mapUids).map(mapEhrIds)) {
    const version = Array.isArray(row)
      ? row.find((cell): cell is string => typeof cell === 'string' && own.versionUids.includes(cell))
      : undefined;
    if (!Array.isArray(row) || timeColumns.length === 0 || version === undefined) {
      rows.push(row);
      continue;
    }
    const time = await own.commitTime(version);
    rows.push(row.map((cell, index) => (timeColumns.includes(index) && time !== undefined ? time : cell)));
  }
  return rows;
}

/** Judges one answer against what its case expects (`own`: the suite's commits, for inOwnTerms). */
export async function judge(
  expect: Expectation,
  answer: QueryAnswer,
  variables: ReadonlyMap<string, string>,
  own?: OwnValues,
): Promise<Outcome> {
  if (expect.kind === 'error') {
    if (answer.status >= 400 && answer.status < 500) return passed;
    // EHRbase refuses what AQL 1.1 allows (its keyword skips on 'not implemented'); an answer is held to the CSV's row count.
    if (answer.rows !== undefined && expect.count !== undefined)
      return answer.rows.length === expect.count
        ? passed
        : failed(`expected the query to be refused (400) or to give the ${expect.count} row(s) its CSV states, got ${answer.rows.length}`);
    return failed(`expected the query to be refused (400), got ${answer.status}${answer.rows ? ` with ${answer.rows.length} row(s)` : ''}`);
  }
  if (answer.rows === undefined) return failed(`error ${answer.error ?? answer.status}`);
  switch (expect.kind) {
    case 'runs':
      return passed;
    case 'count':
      return answer.rows.length === expect.count
        ? passed
        : failed(`expected ${expect.count} row(s), got ${answer.rows.length}: first row ${JSON.stringify(answer.rows[0] ?? null)}`);
    case 'value': {
      const got = answer.rows[0]?.[0];
      if (answer.rows.length !== expect.count) return failed(`expected ${expect.count} row(s), got ${answer.rows.length}`);
      return String(got).toLowerCase() === expect.value.toLowerCase()
        ? passed
        : failed(`expected the value ${expect.value}, got ${JSON.stringify(got)}`);
    }
    case 'rows': {
      let expected: { columns?: { path?: string }[]; rows?: unknown };
      try {
        // Variables are expanded inside string values, so a value with quotes cannot break the JSON.
        expected = expandDeep(JSON.parse(await readText(expect.file)), variables) as typeof expected;
      } catch (error) {
        return failed(`${expect.file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!Array.isArray(expected.rows))
        return answer.rows.length === 0 || expected.rows === undefined ? passed : failed(`${expect.file} has no row list`);
      const rows = own ? await inOwnTerms({ ...expected, rows: expected.rows as unknown[] }, own) : (expected.rows as unknown[]);
      const comparison = compareRows(rows, answer.rows);
      return comparison.equal ? passed : failed(`${comparison.message} (expected: ${expect.file})`);
    }
  }
}

/**
 * The steps without the EHRs a suite deletes with EHRbase's admin API ('Admin Delete EHR For AQL
 * ${ehr_idN}'): this repository never deletes an EHR (ITS-REST defines no EHR delete), so the
 * replay never builds one the suite deletes. From the 'Create EHR For AQL' whose id becomes
 * ${ehr_idN} up to the delete, every step is left out; the queries after it see what they would
 * see after the delete. Where the steps between touch anything else (another EHR is created), the
 * delete stays, and the suite fails on it.
 */
export function withoutDeletedEhrs(steps: readonly string[]): string[] {
  const kept = [...steps];
  for (let end = kept.length - 1; end >= 0; end--) {
    const deleted = /^Admin Delete EHR For AQL\s+\$\{([\w]+)\}$/.exec(kept[end] ?? '')?.[1];
    if (deleted === undefined) continue;
    const named = kept.findLastIndex((step, i) => i < end && step === `Set Suite Variable \${${deleted}} \${ehr_id}`);
    const start = named - 1;
    const between = kept.slice(start + 1, end);
    if (named < 1 || kept[start] !== 'Create EHR For AQL' || between.some((step) => step.startsWith('Create EHR'))) continue;
    kept.splice(start, end - start + 1);
  }
  return kept;
}

async function runSuite(
  suite: AqlSuite,
  createApp: () => Promise<ConformanceApp>,
  systemId: string,
  record: (result: AqlCaseResult) => void,
): Promise<void> {
  const app = await createApp();
  try {
    const context = new SuiteContext(app, systemId);
    let preconditionFailure: string | undefined;
    let invalidFixture: { path: string; reason: string } | undefined;
    for (const step of withoutDeletedEhrs(suite.steps)) {
      try {
        await context.step(step);
      } catch (error) {
        if (!(error instanceof StepError)) throw error;
        preconditionFailure = `precondition '${step}' failed: ${error.message}`;
        invalidFixture = error.fixture;
        break;
      }
    }
    for (const item of suite.cases) {
      const variables = new Map([
        ...context.variables,
        ...Object.entries(item.values).map(([name, value]) => [name, asSent(value)] as const),
      ]);
      const query = expand(item.template, variables);
      const base = { suite: suite.name, folder: suite.folder, id: item.id, query, check: item.expect.kind };
      if (invalidFixture) {
        // The openEHR conformance run holds this exclusion to its evidence; the suite cannot load without the fixture.
        record({
          ...base,
          outcome: {
            status: 'excluded',
            reason: `its data set commits ${invalidFixture.path}, which the repository refuses: ${invalidFixture.reason}`,
          },
        });
        continue;
      }
      if (preconditionFailure) {
        record({ ...base, outcome: failed(preconditionFailure) });
        continue;
      }
      if (!/^\s*(SELECT\b|\$\{)/i.test(item.template)) {
        record({
          ...base,
          outcome: failed('query text not in the index: the test case name is a title, the query is written in the .robot file'),
        });
        continue;
      }
      const missing = unresolved(query);
      if (missing.length > 0) {
        record({ ...base, outcome: failed(`query text not in the index: ${missing.join(', ')} is set in the .robot file`) });
        continue;
      }
      const { q, parameters } = splitInlineParameter(query);
      record({ ...base, query: q, outcome: await judge(item.expect, await runQuery(app, q, parameters), variables, context.ownValues()) });
    }
  } finally {
    await app.close();
  }
}

// --- the older query/ suite -----------------------------------------------------------------------------------

const QUERY = 'query/';

async function jsonFiles(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(join(DATA_SETS, folder), { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => `${join(entry.parentPath, entry.name).slice(DATA_SETS.length).split('\\').join('/')}`)
      .sort();
  } catch {
    return [];
  }
}

/** The templates of the older suite's compositions (query/data_load/compositions/README.md). */
const QUERY_OPTS = [
  'valid_templates/minimal/minimal_admin.opt',
  'valid_templates/minimal/minimal_observation.opt',
  'valid_templates/minimal/minimal_instruction.opt',
  'valid_templates/minimal/minimal_action_2.opt',
  'aql/data_load/opts/external/minimal_evaluation.opt',
  'valid_templates/all_types/Test_all_types.opt',
  'valid_templates/all_types/Test_all_types_v2.opt',
];

/** The older suite's data set: 10 EHRs, and every composition of data_load in each of them. */
/**
 * Loads it; compositions the openEHR conformance run excludes as invalid are left out (named in
 * each failure, since the expected results counted them), any other refusal is a problem.
 */
async function loadQueryDataSet(app: ConformanceApp): Promise<{ problem: string | undefined; leftOut: string[] }> {
  for (const opt of QUERY_OPTS) {
    const response = await app.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      body: await readText(opt),
    });
    if (response.statusCode >= 300 && response.statusCode !== 409)
      return { problem: `uploading ${opt}: ${errorOf(response)}`, leftOut: [] };
  }
  const compositions = (await jsonFiles(`${QUERY}data_load/compositions`)).filter((path) => path.endsWith('.composition.json'));
  const problems: string[] = [];
  const leftOut = new Set<string>();
  for (const statusFile of (await jsonFiles(`${QUERY}data_load/ehrs`)).slice(0, 10)) {
    const created = await app.inject({
      method: 'POST',
      url: `${API}/ehr`,
      headers: { prefer: 'return=representation', 'content-type': 'application/json' },
      body: await readText(statusFile),
    });
    if (created.statusCode !== 201) return { problem: `creating an EHR from ${statusFile}: ${errorOf(created)}`, leftOut: [] };
    const ehrId = created.json<{ ehr_id: { value: string } }>().ehr_id.value;
    for (const path of compositions) {
      const response = await app.inject({
        method: 'POST',
        url: `${API}/ehr/${ehrId}/composition`,
        headers: { 'content-type': 'application/json' },
        body: await readText(path),
      });
      if (response.statusCode === 201) continue;
      if (fixtureExclusion(path, response.body)) leftOut.add(path.split('/').pop() ?? path);
      else if (!problems.some((problem) => problem.startsWith(path))) problems.push(`${path}: ${errorOf(response)}`);
    }
  }
  if (problems.length > 0)
    return { problem: `some compositions of the data set were refused: ${problems.slice(0, 3).join(' | ')}`, leftOut: [...leftOut] };
  return { problem: undefined, leftOut: [...leftOut] };
}

const PLACEHOLDER = /__MODIFY_[A-Z0-9_]*__|_MODIFY_[A-Z0-9_]*_/;

/** Whether every value of an expected result is a placeholder (strings, nested in rows). */
function onlyPlaceholders(value: unknown): boolean {
  if (typeof value === 'string') return PLACEHOLDER.test(value);
  if (Array.isArray(value)) return value.length > 0 && value.every(onlyPlaceholders);
  if (value !== null && typeof value === 'object') {
    const strings = Object.entries(value).filter(([key, item]) => key !== '_type' && item !== null);
    return strings.length > 0 && strings.every(([, item]) => onlyPlaceholders(item));
  }
  return false;
}

/**
 * The older suite's answers were written by hand (its README: "we need to create the expected
 * results by hand"): a failure says so when the query names a value its author was to fill in
 * (`__MODIFY_EHR_ID_1__`), or when the expected rows hold nothing but such placeholders.
 */
async function handWritten(q: string, expect: Expectation): Promise<string> {
  if (PLACEHOLDER.test(q)) return ` [the query names a placeholder (${PLACEHOLDER.exec(q)?.[0] ?? ''}) its author was to replace by hand]`;
  if (expect.kind !== 'rows') return '';
  try {
    const rows = (JSON.parse(await readText(expect.file)) as { rows?: unknown }).rows;
    return onlyPlaceholders(rows) ? ' [the expected result is a hand-written template: every value is a placeholder]' : '';
  } catch {
    return '';
  }
}

/** The values an expected result gives in its `…/ehr_id/value` columns. */
export function ehrIdsAnswered(expectedText: string): string[] {
  if (expectedText.trim() === '') return [];
  const { columns = [], rows = [] } = JSON.parse(expectedText) as { columns?: { path?: string }[]; rows?: unknown[][] };
  const at = columns.flatMap((column, index) => (column.path?.endsWith('ehr_id/value') ? [index] : []));
  return rows.flatMap((row) => at.map((index) => row[index]).filter((value): value is string => typeof value === 'string'));
}

/** The EHR of test sets 1 and 2 as their expected answers name it (`e/ehr_status/subject/external_ref`). */
const TEST_SET_SUBJECT = { id: '12345', namespace: 'EHR' };

/**
 * Test sets 1 and 2 have no EXTERNAL suite; their data set is in the fixtures: every FLAT
 * composition `compositions/FLAT/<template id>__compo…_test_set_N.json`, committed to one EHR of
 * the subject their answers name (with the EHR id they name, if they name one), after the OPT of
 * that template from valid_templates/query_test_sets/.
 */
export async function testSetFixtures(group: string): Promise<{ template: string; compositions: string[] } | undefined> {
  const compositions = (await jsonFiles('compositions/FLAT')).filter((path) => path.endsWith(`_${group}.json`));
  const templates = [...new Set(compositions.map((path) => /([^/]+?)__/.exec(path)?.[1] ?? ''))];
  return compositions.length > 0 && templates.length === 1 ? { template: templates[0] ?? '', compositions } : undefined;
}

async function loadTestSetFixtures(context: SuiteContext, group: string, expected: readonly string[]): Promise<string | undefined> {
  const fixtures = await testSetFixtures(group);
  if (!fixtures) return `no data set for ${group} among the fixtures`;
  const { template, compositions } = fixtures;
  const ehrIds = new Set(expected.flatMap(ehrIdsAnswered));
  try {
    await context.uploadOpt(`${template}.opt`, `valid_templates/query_test_sets/${template}.opt`);
    await context.createEhr(
      ehrIds.size === 1 ? [...ehrIds][0] : undefined,
      'ehr/valid/000_ehr_status_with_other_details.json',
      TEST_SET_SUBJECT,
    );
    for (const path of compositions) await context.commitComposition(path.split('/').pop() ?? path, 'FLAT', path);
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    return `loading ${group}'s data set from the fixtures: ${error.message}`;
  }
  return undefined;
}

/**
 * The older suite's test_set_N queries were written for the data set of EHRbase's test-set robot
 * files, which the AQL suites carry on as EXTERNAL/query_test_set_N: the queries run on a
 * repository loaded by that suite's steps (the EHR created with the id the queries name, if they
 * name one). Test sets without such a suite are loaded from the fixtures (loadTestSetFixtures).
 */
async function testSetRepository(
  group: string,
  queries: readonly string[],
  suites: readonly AqlSuite[],
  createApp: () => Promise<ConformanceApp>,
  systemId: string,
): Promise<{ app?: ConformanceApp; problem?: string }> {
  const suite = suites.find((candidate) => candidate.name === `EXTERNAL/query_${group}`);
  if (!suite) {
    const expected = await Promise.all(
      queries.map((path) => readText(path.replace(`${QUERY}aql_queries_valid/`, `${QUERY}expected_results/`)).catch(() => '')),
    );
    const app = await createApp();
    const problem = await loadTestSetFixtures(new SuiteContext(app, systemId), group, expected);
    return problem === undefined ? { app } : { app, problem };
  }
  const texts = await Promise.all(queries.map((path) => readText(path)));
  const ehrIds = new Set(
    texts.flatMap((text) => [...text.matchAll(/ehr_id\/value\s*=\s*'([0-9a-f-]{36})'/g)].map((match) => match[1] ?? '')),
  );
  const app = await createApp();
  const context = new SuiteContext(app, systemId);
  for (const step of suite.steps) {
    const named = step === 'Create EHR For AQL' && ehrIds.size === 1 ? `Create EHR For AQL ehr_id=${[...ehrIds][0] ?? ''}` : step;
    try {
      await context.step(named);
    } catch (error) {
      if (!(error instanceof StepError)) throw error;
      return { app, problem: `loading ${group}'s data set (EXTERNAL/query_${group}): '${step}' failed: ${error.message}` };
    }
  }
  return { app };
}

async function runQuerySuite(
  createApp: () => Promise<ConformanceApp>,
  systemId: string,
  suites: readonly AqlSuite[],
  record: (result: AqlCaseResult) => void,
  which: 'all' | 'empty',
): Promise<void> {
  const queries = (await jsonFiles(`${QUERY}aql_queries_valid`)).filter((path) => /\/[A-D]\/|\/test_set_\d+\//.test(path));
  const groupOf = (path: string) => path.slice(`${QUERY}aql_queries_valid/`.length).split('/')[0] ?? '';
  const lettered = queries.filter((path) => !groupOf(path).startsWith('test_set_'));
  const run = async (
    app: ConformanceApp | undefined,
    database: string,
    paths: readonly string[],
    problem: string | undefined,
    note: string,
  ) => {
    for (const path of paths) {
      const relativePath = path.slice(`${QUERY}aql_queries_valid/`.length);
      const group = groupOf(path);
      // test_set_N answers are written for their own data set; the lettered groups have an answer per database.
      const expectedPath = group.startsWith('test_set_')
        ? `${QUERY}expected_results/${relativePath}`
        : `${QUERY}expected_results/${database}/${relativePath}`;
      const { q, query_parameters: parameters } = JSON.parse(await readText(path)) as {
        q: string;
        query_parameters?: Record<string, unknown>;
      };
      const exists = await readText(expectedPath).then(
        (text) => text.trim() !== '',
        () => false,
      );
      const expect: Expectation = exists ? { kind: 'rows', file: expectedPath } : { kind: 'runs' };
      const base = { suite: `query/${database}/${group}`, folder: 'query', id: relativePath, query: q, check: expect.kind };
      if (problem !== undefined || app === undefined) {
        record({ ...base, outcome: failed(`loading the data set: ${problem ?? 'no repository'}`) });
        continue;
      }
      const outcome = await judge(expect, await runQuery(app, q, parameters), new Map());
      const why = outcome.status === 'failed' ? await handWritten(q, expect) : '';
      record({ ...base, outcome: outcome.status === 'failed' ? failed(`${outcome.reason}${note}${why}`) : outcome });
    }
  };
  for (const database of which === 'all' ? (['empty_db', 'loaded_db'] as const) : (['empty_db'] as const)) {
    const app = await createApp();
    try {
      const load = database === 'loaded_db' ? await loadQueryDataSet(app) : { problem: undefined, leftOut: [] };
      const note = load.leftOut.length > 0 ? ` (data set loaded without ${load.leftOut.join(', ')}: invalid fixtures)` : '';
      await run(app, database, lettered, load.problem, note);
    } finally {
      await app.close();
    }
  }
  if (which !== 'all') return;
  for (const group of [...new Set(queries.map(groupOf).filter((group) => group.startsWith('test_set_')))]) {
    const paths = queries.filter((path) => groupOf(path) === group);
    const { app, problem } = await testSetRepository(group, paths, suites, createApp, systemId);
    try {
      // Recorded as before (query/loaded_db/test_set_N), so their results stay comparable between runs.
      await run(app, 'loaded_db', paths, problem, '');
    } finally {
      await app?.close();
    }
  }
}

// --- the run -------------------------------------------------------------------------------------------------

export const caseKey = (result: Pick<AqlCaseResult, 'suite' | 'id'>) => `${result.suite}#${result.id}`;

/** The exclusion of a case: one for the case itself, else one for its whole suite. */
function exclusionOf(result: AqlCaseResult) {
  return AQL_EXCLUSIONS[caseKey(result)] ?? AQL_EXCLUSIONS[result.suite];
}

export async function runAqlConformance(
  createApp: () => Promise<ConformanceApp>,
  systemId: string,
  options: AqlConformanceOptions = {},
): Promise<AqlCaseResult[]> {
  const { suites: all, problems } = await loadAqlSuites();
  const suites = options.suites ? options.suites(all) : all;
  const results: AqlCaseResult[] = [];
  const record = (result: AqlCaseResult) => {
    const exclusion = exclusionOf(result);
    const judged = exclusion ? { ...result, outcome: applyExclusion(exclusion, result.outcome) } : result;
    results.push(judged);
    options.onResult?.(judged);
  };
  for (const problem of problems.filter((item) => suites.some((suite) => suite.name === item.suite))) {
    const suite = suites.find((item) => item.name === problem.suite);
    record({
      suite: problem.suite,
      folder: suite?.folder ?? '',
      id: problem.id,
      query: '',
      check: 'runs',
      outcome: failed(problem.problem),
    });
  }
  for (const suite of suites) await runSuite(suite, createApp, systemId, record);
  const querySuite = options.querySuite ?? 'all';
  if (querySuite !== 'none') await runQuerySuite(createApp, systemId, all, record, querySuite);
  // A full run reaches every case: an exclusion that names none is stale.
  if (!options.suites && querySuite === 'all') {
    const keys = new Set(results.flatMap((result) => [caseKey(result), result.suite]));
    for (const key of Object.keys(AQL_EXCLUSIONS).filter((key) => !keys.has(key))) {
      const result: AqlCaseResult = {
        suite: 'exclusions',
        folder: 'exclusions',
        id: key,
        query: '',
        check: 'runs',
        outcome: failed('no case has this key: fix or remove the exclusion'),
      };
      results.push(result);
      options.onResult?.(result);
    }
  }
  return results;
}

/** Reads a case for printing: the query and the reason, one line each. */
export function describeCase(result: AqlCaseResult): string {
  const reason = result.outcome.status === 'passed' ? '' : result.outcome.reason;
  return `${result.outcome.status.toUpperCase().padEnd(8)} [${result.suite} ${result.id}] ${reason}\n           q: ${result.query}`;
}

export type { AqlCase };
