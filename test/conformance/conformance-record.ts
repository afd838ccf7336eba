/**
 * The recorded result of a full conformance run: counts per group and which exclusion keys
 * excluded how many cases. `npm run conformance -- --record` and `npm run aql:conformance --
 * --record` write it (test/conformance/results/), and docs/conformance.md is rendered from it, so
 * the document says what the last full run found without running the suites again.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AQL_EXCLUSIONS } from './aql/aql-exclusions.js';
import { caseKey, type AqlCaseResult } from './aql/aql-conformance.js';
import { EXCLUSIONS } from './exclusions.js';
import type { CaseResult } from './openehr-conformance.js';
import { renderConformanceDoc } from './conformance-doc.js';

export interface Counts {
  passed: number;
  failed: number;
  excluded: number;
}

export interface GroupCounts extends Counts {
  name: string;
}

export interface RunRecord {
  /** The command that made the record. */
  command: string;
  /** The day of the run (YYYY-MM-DD, UTC). */
  date: string;
  /** The database the run used (`PGlite` or `PostgreSQL`). */
  backend: string;
  total: Counts;
  /** Per group of the openEHR replay, per folder of the AQL replay, in the order the run met them. */
  groups: GroupCounts[];
  /** Per suite (the AQL replay only). */
  suites?: GroupCounts[];
  /** Every exclusion key the run applied, with the number of cases it excluded. */
  excludedBy: Record<string, number>;
}

export const RESULTS_DIR = join(import.meta.dirname, 'results');
export const RECORD_FILES = { openehr: join(RESULTS_DIR, 'openehr.json'), aql: join(RESULTS_DIR, 'aql.json') } as const;
export type RecordKind = keyof typeof RECORD_FILES;

interface Judged {
  group: string;
  status: keyof Counts;
  /** The exclusion key that excluded the case. */
  key?: string;
}

function countsOf(cases: readonly Judged[]): Counts {
  const count = (status: keyof Counts) => cases.filter((item) => item.status === status).length;
  return { passed: count('passed'), failed: count('failed'), excluded: count('excluded') };
}

function groupCounts(cases: readonly Judged[]): GroupCounts[] {
  const byGroup = new Map<string, Judged[]>();
  for (const item of cases) byGroup.set(item.group, [...(byGroup.get(item.group) ?? []), item]);
  return [...byGroup].map(([name, members]) => ({ name, ...countsOf(members) }));
}

function excludedBy(cases: readonly Judged[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of cases) if (item.key !== undefined) counts[item.key] = (counts[item.key] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

const today = () => new Date().toISOString().slice(0, 10);

export function recordOpenEhrRun(results: readonly CaseResult[], backend: string): RunRecord {
  const cases = results.map((result): Judged => ({
    group: result.group,
    status: result.outcome.status,
    ...(result.outcome.status === 'excluded' ? { key: `${result.group}:${result.name}` } : {}),
  }));
  return {
    command: 'npm run conformance',
    date: today(),
    backend,
    total: countsOf(cases),
    groups: groupCounts(cases),
    excludedBy: excludedBy(cases),
  };
}

/** The AQL exclusion key that applies to a case: its own, else its suite's (as the runner looks them up). */
const aqlKeyOf = (result: AqlCaseResult) => (AQL_EXCLUSIONS[caseKey(result)] ? caseKey(result) : result.suite);

export function recordAqlRun(results: readonly AqlCaseResult[], backend: string): RunRecord {
  const judged = (group: (result: AqlCaseResult) => string) =>
    results.map((result): Judged => ({
      group: group(result),
      status: result.outcome.status,
      ...(result.outcome.status === 'excluded' ? { key: aqlKeyOf(result) } : {}),
    }));
  const byFolder = judged((result) => result.folder);
  return {
    command: 'npm run aql:conformance',
    date: today(),
    backend,
    total: countsOf(byFolder),
    groups: groupCounts(byFolder),
    suites: groupCounts(judged((result) => result.suite)),
    excludedBy: excludedBy(byFolder),
  };
}

export async function readRecord(kind: RecordKind): Promise<RunRecord> {
  return JSON.parse(await readFile(RECORD_FILES[kind], 'utf8')) as RunRecord;
}

export async function writeRecord(kind: RecordKind, record: RunRecord): Promise<void> {
  await writeFile(RECORD_FILES[kind], `${JSON.stringify(record, null, 2)}\n`);
}

/** The exclusion lists the records are checked against. */
export const EXCLUSION_LISTS = { openehr: EXCLUSIONS, aql: AQL_EXCLUSIONS } as const;

/** Exclusion keys of the current lists that the recorded run never applied: the record is stale. */
export function keysMissingFromRecord(kind: RecordKind, record: RunRecord): string[] {
  return Object.keys(EXCLUSION_LISTS[kind]).filter((key) => !(key in record.excludedBy));
}

export const DOC_FILE = join(import.meta.dirname, '../../docs/conformance.md');

/** docs/conformance.md as the committed records and the current exclusion lists give it. */
export async function conformanceDocFromRecords(): Promise<string> {
  const [openehr, aql] = await Promise.all([readRecord('openehr'), readRecord('aql')]);
  return renderConformanceDoc({ openehr, aql, openehrExclusions: EXCLUSIONS, aqlExclusions: AQL_EXCLUSIONS });
}

/** Renders docs/conformance.md; false (and nothing written) while a run has not been recorded yet. */
export async function writeConformanceDoc(): Promise<boolean> {
  const recorded = await Promise.all(
    Object.values(RECORD_FILES).map((file) =>
      stat(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (recorded.includes(false)) return false;
  await writeFile(DOC_FILE, await conformanceDocFromRecords());
  return true;
}
