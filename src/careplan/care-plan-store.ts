import { accessChanged } from '../access/access-generation.js';
import { appendAuditSql, AuditAppend, auditUnavailable, type AppendedRow } from '../audit/audit-log.js';
import { groupCommitterFor } from '../audit/audit-group-commit.js';
import type { AuditRecord } from '../audit/audit-record.js';
import { PreparedStatement, type Database, type Queryable } from '../db/database.js';
import { databaseErrorCode, UNIQUE_VIOLATION } from '../db/database-error-code.js';
import { AppError } from '../errors/app-error.js';

/**
 * The care plan projections (migration 0011). The compositions are the record; these rows say
 * which compositions make up the plan now, and every revision it went through.
 */

export type PlanStatus = 'draft' | 'awaiting-approval' | 'published' | 'closed' | 'deleted';
export type DraftState = 'editing' | 'awaiting-approval';

export interface ModuleRefs {
  /** Versioned object uid of the module's published composition. */
  published?: string;
  /** Versioned object uid of the module's draft (an incomplete composition). */
  draft?: string;
}

/** Who did something, as the plan records it. */
export interface PlanActor {
  id: string;
  name: string;
  odsCode: string | null;
  organisation: string | null;
}

export interface ConsentRecord {
  toShare: boolean;
  /** How consent was obtained: explicit, best-interests (MCA 2005) or LPA for health and welfare. */
  route: 'explicit' | 'best-interests' | 'lpa' | 'withdrawn';
}

export interface DeathRecord {
  date: string;
  place: string;
  placeDiffersReason: string | undefined;
  recordedBy: PlanActor;
}

/** The plan header: what the `UCP - Plan` composition says, also kept with each revision. */
export interface PlanHeader {
  status: PlanStatus;
  pathways: string[];
  changeSummary: string | undefined;
  author: PlanActor | undefined;
  approver: PlanActor | undefined;
  approvedAt: string | undefined;
  reviewDate: string | undefined;
  consent: ConsentRecord | undefined;
  death: DeathRecord | undefined;
  /** A logical deletion; `kind: 'wrong-person'` when the plan was withdrawn because it was recorded against the wrong person. */
  deletion: { at: string; by: PlanActor; reason: string; kind?: 'wrong-person' } | undefined;
}

export interface CarePlanRow {
  ehrId: string;
  nhsNumber: string;
  status: PlanStatus;
  draftState: DraftState | null;
  pathways: string[];
  draftPathways: string[];
  revision: number;
  planVersion: number;
  modules: Record<string, ModuleRefs>;
  headerId: string | null;
  draftHeaderId: string | null;
  reviewDate: string | null;
  draftReviewDate: string | null;
  changeSummary: string | null;
  authorOds: string | null;
  approverOds: string | null;
  approvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = {
  ehr_id: string;
  nhs_number: string;
  status: PlanStatus;
  draft_state: DraftState | null;
  pathways: string[];
  draft_pathways: string[];
  revision: number;
  plan_version: number;
  modules: Record<string, ModuleRefs>;
  header_id: string | null;
  draft_header_id: string | null;
  review_date: string | Date | null;
  draft_review_date: string | Date | null;
  change_summary: string | null;
  author_ods: string | null;
  approver_ods: string | null;
  approved_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = `ehr_id, nhs_number, status, draft_state, pathways, draft_pathways, revision, plan_version, modules,
  header_id, draft_header_id, review_date::text AS review_date, draft_review_date::text AS draft_review_date,
  change_summary, author_ods, approver_ods, approved_at, created_at, updated_at`;

function dateText(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

function toRow(row: Row): CarePlanRow {
  return {
    ehrId: row.ehr_id,
    nhsNumber: row.nhs_number,
    status: row.status,
    draftState: row.draft_state,
    pathways: row.pathways,
    draftPathways: row.draft_pathways,
    revision: row.revision,
    planVersion: row.plan_version,
    modules: row.modules,
    headerId: row.header_id,
    draftHeaderId: row.draft_header_id,
    reviewDate: dateText(row.review_date),
    draftReviewDate: dateText(row.draft_review_date),
    changeSummary: row.change_summary,
    authorOds: row.author_ods,
    approverOds: row.approver_ods,
    approvedAt: row.approved_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function readCarePlan(db: Queryable, ehrId: string, options: { forUpdate?: boolean } = {}): Promise<CarePlanRow | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM care_plan WHERE ehr_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [
    ehrId,
  ]);
  return rows[0] && toRow(rows[0]);
}

export async function findCarePlanByNhsNumber(db: Queryable, nhsNumber: string): Promise<CarePlanRow | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM care_plan WHERE nhs_number = $1`, [nhsNumber]);
  return rows[0] && toRow(rows[0]);
}

/** The published plans an organisation authored or approved (what it answers for), oldest first. */
export async function listPublishedPlansOf(db: Queryable, odsCode: string): Promise<CarePlanRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM care_plan WHERE status = 'published' AND (author_ods = $1 OR approver_ods = $1) ORDER BY created_at, ehr_id`,
    [odsCode],
  );
  return rows.map(toRow);
}

export async function insertCarePlan(
  tx: Queryable,
  plan: Pick<CarePlanRow, 'ehrId' | 'nhsNumber' | 'draftPathways' | 'authorOds'>,
): Promise<void> {
  try {
    await tx.query(
      `INSERT INTO care_plan (ehr_id, nhs_number, status, draft_state, draft_pathways, author_ods)
       VALUES ($1, $2, 'draft', 'editing', $3, $4)`,
      [plan.ehrId, plan.nhsNumber, plan.draftPathways, plan.authorOds],
    );
  } catch (error) {
    if (databaseErrorCode(error) === UNIQUE_VIOLATION) {
      throw new AppError(
        'conflict',
        `This person already has a care plan (EHR ${plan.ehrId}); there is one plan per person: open it and edit it.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Writes the whole row back (the service changes it under a row lock). */
export async function updateCarePlan(tx: Queryable, plan: CarePlanRow): Promise<void> {
  await tx.query(
    `UPDATE care_plan SET status = $2, draft_state = $3, pathways = $4, draft_pathways = $5, revision = $6, plan_version = $7,
       modules = $8, header_id = $9, draft_header_id = $10, review_date = $11, draft_review_date = $12, change_summary = $13,
       author_ods = $14, approver_ods = $15, approved_at = $16, updated_at = now()
     WHERE ehr_id = $1`,
    [
      plan.ehrId,
      plan.status,
      plan.draftState,
      plan.pathways,
      plan.draftPathways,
      plan.revision,
      plan.planVersion,
      JSON.stringify(plan.modules),
      plan.headerId,
      plan.draftHeaderId,
      plan.reviewDate,
      plan.draftReviewDate,
      plan.changeSummary,
      plan.authorOds,
      plan.approverOds,
      plan.approvedAt,
    ],
  );
}

export interface PlanRevision {
  revision: number;
  planVersion: number | null;
  event: string;
  status: string;
  /** Module id → version uid of the content a reader of this revision saw. */
  modules: Record<string, string>;
  headerVersionUid: string | null;
  header: PlanHeader;
  actor: PlanActor;
  changeSummary: string | null;
  recordedAt: string;
}

export async function insertRevision(tx: Queryable, ehrId: string, revision: Omit<PlanRevision, 'recordedAt'>): Promise<void> {
  await tx.query(
    `INSERT INTO care_plan_revision (ehr_id, revision, plan_version, event, status, modules, header_version_uid, header, actor, change_summary)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      ehrId,
      revision.revision,
      revision.planVersion,
      revision.event,
      revision.status,
      JSON.stringify(revision.modules),
      revision.headerVersionUid,
      JSON.stringify(revision.header),
      JSON.stringify(revision.actor),
      revision.changeSummary,
    ],
  );
}

type RevisionRow = {
  revision: number;
  plan_version: number | null;
  event: string;
  status: string;
  modules: Record<string, string>;
  header_version_uid: string | null;
  header: PlanHeader;
  actor: PlanActor;
  change_summary: string | null;
  recorded_at: Date;
};

function toRevision(row: RevisionRow): PlanRevision {
  return {
    revision: row.revision,
    planVersion: row.plan_version,
    event: row.event,
    status: row.status,
    modules: row.modules,
    headerVersionUid: row.header_version_uid,
    header: row.header,
    actor: row.actor,
    changeSummary: row.change_summary,
    recordedAt: row.recorded_at.toISOString(),
  };
}

const REVISION_COLUMNS = 'revision, plan_version, event, status, modules, header_version_uid, header, actor, change_summary, recorded_at';

export async function readRevision(
  db: Queryable,
  ehrId: string,
  selector: { revision: number } | { planVersion: number },
): Promise<PlanRevision | undefined> {
  const [column, value] = 'revision' in selector ? ['revision', selector.revision] : ['plan_version', selector.planVersion];
  const { rows } = await db.query<RevisionRow>(`SELECT ${REVISION_COLUMNS} FROM care_plan_revision WHERE ehr_id = $1 AND ${column} = $2`, [
    ehrId,
    value,
  ]);
  return rows[0] && toRevision(rows[0]);
}

export async function listRevisions(db: Queryable, ehrId: string): Promise<PlanRevision[]> {
  const { rows } = await db.query<RevisionRow>(`SELECT ${REVISION_COLUMNS} FROM care_plan_revision WHERE ehr_id = $1 ORDER BY revision`, [
    ehrId,
  ]);
  return rows.map(toRevision);
}

export async function writeSummary(tx: Queryable, ehrId: string, summary: unknown): Promise<void> {
  await tx.query(
    `INSERT INTO care_plan_summary (ehr_id, summary, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (ehr_id) DO UPDATE SET summary = EXCLUDED.summary, updated_at = now()`,
    [ehrId, JSON.stringify(summary)],
  );
}

/** The emergency summary in one round trip. */
// Every emergency summary reads it: prepared once per connection.
const READ_SUMMARY = new PreparedStatement('ucp_read_summary', 'SELECT summary FROM care_plan_summary WHERE ehr_id = $1');

export async function readSummary(db: Queryable, ehrId: string): Promise<unknown> {
  const { rows } = await db.query<{ summary: unknown }>(READ_SUMMARY, [ehrId]);
  return rows[0]?.summary;
}

/**
 * The answer's JSON text for a summary row `s` of the plan `cp` (SUMMARY_JOINS): the stored
 * projection as the database holds it (never parsed and serialised again on an emergency read),
 * whether its review is overdue on `today` (ISO dates compared by code point, as the service
 * compares them), and who the person is — name, date of birth, gender, address (never a
 * restricted record's), verification and death — from the demographics held, so that a crew can
 * confirm from the summary itself that they have the right person.
 */
function summaryAnswerJson(today: string): string {
  return `(jsonb_set(s.summary, '{reviewOverdue}', to_jsonb(coalesce(s.summary->>'reviewDate' < ${today} COLLATE "C", false)))
       || jsonb_build_object('person', jsonb_build_object(
            'nhsNumber', cp.nhs_number,
            'name', v.demographics->'name'->'text',
            'birthDate', v.demographics->'birthDate',
            'gender', v.demographics->'gender',
            'address', CASE WHEN pd.restricted THEN NULL ELSE v.demographics->'address' END,
            'restricted', coalesce(pd.restricted, false),
            'verification', coalesce(pd.verification, 'not-held'),
            'deceased', v.demographics->'deceased')))::text`;
}

const SUMMARY_JOINS = `JOIN care_plan cp ON cp.ehr_id = s.ehr_id
   LEFT JOIN person_demographics pd ON pd.nhs_number = cp.nhs_number
   LEFT JOIN person_demographics_version v ON v.nhs_number = pd.nhs_number AND v.version = pd.current_version`;

/** One emergency summary answer, in one round trip (for a caller that records its read itself). */
const READ_SUMMARY_JSON = new PreparedStatement(
  'ucp_read_summary_json',
  `SELECT s.summary->>'status' AS status, ${summaryAnswerJson('$2::text')} AS json
   FROM care_plan_summary s ${SUMMARY_JOINS}
   WHERE s.ehr_id = $1`,
);

export interface SummaryAnswer {
  status: string | null;
  json: string;
}

export async function readSummaryJson(db: Queryable, ehrId: string, today: string): Promise<SummaryAnswer | undefined> {
  const { rows } = await db.query<{ status: string | null; json: string }>(READ_SUMMARY_JSON, [ehrId, today]);
  return rows[0];
}

/** An emergency read waiting for its batch: whose summary, as of which day, and the read's audit record. */
export interface RecordedSummaryRead {
  ehrId: string;
  today: string;
  record: AuditRecord;
}

/**
 * The emergency reads of a batch in ONE statement, committed on its own: each summary answer,
 * and the audit record of each read that found a summary to give (none for a plan that is not
 * there or was deleted: those answers are refusals, which record nothing more). The records are
 * durable when the statement returns, before any answer leaves, and no read's answer exists
 * without its record. One round trip, one transaction and one WAL flush serve every read of the
 * batch: the emergency summary is what the platform answers most, and the round trip of its own
 * record was what it paid most for (issue #14).
 */
const READ_SUMMARIES_RECORDED = new PreparedStatement(
  'ucp_read_summaries_recorded',
  `WITH wanted AS (SELECT w, n FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(w, n)),
   answered AS (
     SELECT wanted.n, wanted.w->'record' AS r, s.summary->>'status' AS status, ${summaryAnswerJson("(wanted.w->>'today')")} AS json
     FROM wanted JOIN care_plan_summary s ON s.ehr_id = (wanted.w->>'ehrId')::uuid ${SUMMARY_JOINS}),
   appended AS (${appendAuditSql("(SELECT r, n FROM answered WHERE status IS DISTINCT FROM 'deleted') AS given")})
   SELECT n, status, json, NULL::bigint AS seq, NULL::timestamptz AS recorded_at, NULL::text AS hash FROM answered
   UNION ALL
   SELECT NULL, NULL, NULL, seq, recorded_at, hash FROM appended`,
);

async function commitRecordedSummaryReads(db: Queryable, reads: readonly RecordedSummaryRead[]): Promise<(SummaryAnswer | undefined)[]> {
  const append = new AuditAppend(reads.map((read) => read.record));
  const wanted = reads.map((read, index) => ({ ehrId: read.ehrId, today: read.today, record: append.rows[index] }));
  const { rows } = await db.query<AppendedRow & { n: string | null; status: string | null; json: string | null }>(READ_SUMMARIES_RECORDED, [
    JSON.stringify(wanted),
  ]);
  const answers: (SummaryAnswer | undefined)[] = reads.map(() => undefined);
  const appended: AppendedRow[] = [];
  for (const row of rows) {
    if (row.n === null) appended.push(row);
    else answers[Number(row.n) - 1] = { status: row.status, json: row.json ?? 'null' };
  }
  const recorded = answers.flatMap((answer, index) => (answer && answer.status !== 'deleted' ? [index] : []));
  append.entries(appended, recorded);
  return answers;
}

/**
 * The emergency summary answer for one read, with its audit record committed in the same
 * statement (READ_SUMMARIES_RECORDED), together with the other reads arriving at the same time.
 * Undefined when there is no summary. Throws `unavailable` (fail closed) when the record could
 * not be written: then no answer is given.
 */
export async function readSummaryJsonRecorded(db: Database, read: RecordedSummaryRead): Promise<SummaryAnswer | undefined> {
  try {
    return await groupCommitterFor(db, 'recorded-summary-reads', (batch: readonly RecordedSummaryRead[]) =>
      commitRecordedSummaryReads(db, batch),
    ).append(read);
  } catch (error) {
    throw auditUnavailable(error);
  }
}

export interface ReviewDueRow {
  ehrId: string;
  nhsNumber: string;
  reviewDate: string;
  planVersion: number;
  pathways: string[];
  draftState: DraftState | null;
  authorOds: string | null;
  approverOds: string | null;
}

/** Published plans an organisation authored or approved whose review falls due by `until`, soonest first. */
/** The worklist facts of the plans of `ehrIds` (found by an AQL query), by EHR id. */
export async function readWorklistRows(db: Queryable, ehrIds: readonly string[]): Promise<Map<string, ReviewDueRow>> {
  if (ehrIds.length === 0) return new Map();
  const { rows } = await db.query<{
    ehr_id: string;
    nhs_number: string;
    review_date: string | null;
    plan_version: number;
    pathways: string[];
    draft_state: DraftState | null;
    author_ods: string | null;
    approver_ods: string | null;
  }>(
    `SELECT ehr_id, nhs_number, review_date::text AS review_date, plan_version, pathways, draft_state, author_ods, approver_ods
     FROM care_plan WHERE ehr_id = ANY($1)`,
    [ehrIds],
  );
  return new Map(
    rows.map((row) => [
      row.ehr_id,
      {
        ehrId: row.ehr_id,
        nhsNumber: row.nhs_number,
        reviewDate: (row.review_date ?? '').slice(0, 10),
        planVersion: row.plan_version,
        pathways: row.pathways,
        draftState: row.draft_state,
        authorOds: row.author_ods,
        approverOds: row.approver_ods,
      },
    ]),
  );
}

/** Keeps the consent projection the access decision reads current from a published plan. */
export async function recordConsent(tx: Queryable, nhsNumber: string, consentToShare: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO person_consent (nhs_number, consent_to_share, recorded_at) VALUES ($1, $2, now())
     ON CONFLICT (nhs_number) DO UPDATE SET consent_to_share = EXCLUDED.consent_to_share, recorded_at = now()`,
    [nhsNumber, consentToShare],
  );
  accessChanged();
}

/** A restarted plan has no emergency summary until it is published again. */
export async function deleteSummary(tx: Queryable, ehrId: string): Promise<void> {
  await tx.query('DELETE FROM care_plan_summary WHERE ehr_id = $1', [ehrId]);
}

export async function setDraftHeader(tx: Queryable, ehrId: string, draftHeaderId: string | null): Promise<void> {
  await tx.query('UPDATE care_plan SET draft_header_id = $2 WHERE ehr_id = $1', [ehrId, draftHeaderId]);
}
