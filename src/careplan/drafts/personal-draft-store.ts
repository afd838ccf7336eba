import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { databaseErrorCode, UNIQUE_VIOLATION } from '../../db/database-error-code.js';
import { AppError } from '../../errors/app-error.js';
import type { PlanActor } from '../care-plan-store.js';
import type { Flat } from '../plan-model.js';

/** The drafts of one's own (migration 0025): a professional's apart from the shared draft, or the person's proposal. */

export type PersonalDraftState = 'open' | 'proposed' | 'merged' | 'withdrawn' | 'declined';

/** A section as the author started from it: the plan revision they read, and its content then. */
export interface SectionBase {
  revision: number;
  flat: Flat;
}

export interface DraftOutcome {
  by: PlanActor;
  at: string;
  /** The plan revision the merge made; absent for a withdrawal or a refusal. */
  revision?: number;
  reason?: string;
}

export interface PersonalDraftRow {
  draftId: string;
  ehrId: string;
  authorId: string;
  author: PlanActor;
  byPerson: boolean;
  state: PersonalDraftState;
  base: Record<string, SectionBase>;
  changes: Record<string, Flat>;
  note: string | null;
  outcome: DraftOutcome | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  draft_id: string;
  ehr_id: string;
  author_id: string;
  author: PlanActor;
  by_person: boolean;
  state: PersonalDraftState;
  base: Record<string, SectionBase>;
  changes: Record<string, Flat>;
  note: string | null;
  outcome: DraftOutcome | null;
  created_at: Date;
  updated_at: Date;
  [column: string]: unknown;
}

const COLUMNS = 'draft_id, ehr_id, author_id, author, by_person, state, base, changes, note, outcome, created_at, updated_at';

function toRow(row: Row): PersonalDraftRow {
  return {
    draftId: row.draft_id,
    ehrId: row.ehr_id,
    authorId: row.author_id,
    author: row.author,
    byPerson: row.by_person,
    state: row.state,
    base: row.base,
    changes: row.changes,
    note: row.note,
    outcome: row.outcome,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The author's draft of the plan still in their hands or waiting to be merged, if any. */
export async function findLiveDraft(
  db: Queryable,
  ehrId: string,
  authorId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PersonalDraftRow | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM care_plan_personal_draft WHERE ehr_id = $1 AND author_id = $2 AND state IN ('open', 'proposed')${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [ehrId, authorId],
  );
  return rows[0] && toRow(rows[0]);
}

export async function readDraftById(
  db: Queryable,
  ehrId: string,
  draftId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PersonalDraftRow | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM care_plan_personal_draft WHERE ehr_id = $1 AND draft_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [ehrId, draftId],
  );
  return rows[0] && toRow(rows[0]);
}

/** Every draft of the plan, live ones first, newest first. */
export async function listDrafts(db: Queryable, ehrId: string): Promise<PersonalDraftRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM care_plan_personal_draft WHERE ehr_id = $1
     ORDER BY state IN ('open', 'proposed') DESC, updated_at DESC, draft_id`,
    [ehrId],
  );
  return rows.map(toRow);
}

/** The people's proposals waiting for a professional, oldest first: the worklist of plans to look at. */
export async function listProposals(db: Queryable, ehrIds: readonly string[] | 'all', limit: number): Promise<PersonalDraftRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM care_plan_personal_draft WHERE state = 'proposed' AND ($1::uuid[] IS NULL OR ehr_id = ANY($1::uuid[]))
     ORDER BY updated_at, draft_id LIMIT $2`,
    [ehrIds === 'all' ? null : ehrIds, limit],
  );
  return rows.map(toRow);
}

export async function insertDraft(
  tx: Queryable,
  draft: Pick<PersonalDraftRow, 'ehrId' | 'authorId' | 'author' | 'byPerson' | 'base' | 'changes'>,
): Promise<PersonalDraftRow> {
  const { rows } = await tx
    .query<Row>(
      `INSERT INTO care_plan_personal_draft (draft_id, ehr_id, author_id, author, by_person, state, base, changes)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING ${COLUMNS}`,
      [
        randomUUID(),
        draft.ehrId,
        draft.authorId,
        JSON.stringify(draft.author),
        draft.byPerson,
        JSON.stringify(draft.base),
        JSON.stringify(draft.changes),
      ],
    )
    .catch((error: unknown) => {
      // Two first saves of the same author at once: the unique index keeps one live draft.
      if (databaseErrorCode(error) === UNIQUE_VIOLATION) {
        throw new AppError('conflict', 'Your draft of this plan was started by another save at the same moment; save again.', {
          cause: error,
        });
      }
      throw error;
    });
  return toRow(rows[0] as Row);
}

export async function updateDraft(
  tx: Queryable,
  draft: Pick<PersonalDraftRow, 'draftId' | 'state' | 'base' | 'changes' | 'note' | 'outcome'>,
): Promise<PersonalDraftRow> {
  const { rows } = await tx.query<Row>(
    `UPDATE care_plan_personal_draft SET state = $2, base = $3, changes = $4, note = $5, outcome = $6, updated_at = now()
     WHERE draft_id = $1 RETURNING ${COLUMNS}`,
    [
      draft.draftId,
      draft.state,
      JSON.stringify(draft.base),
      JSON.stringify(draft.changes),
      draft.note,
      draft.outcome && JSON.stringify(draft.outcome),
    ],
  );
  return toRow(rows[0] as Row);
}
