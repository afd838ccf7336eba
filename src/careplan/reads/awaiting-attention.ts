import type { AllowedQueryScope } from '../../access/query-scope.js';
import { ehrScopeFor } from '../../openehr/service/ehr-scope.js';
import type { PlanActor } from '../care-plan-store.js';
import type { PlanContext } from '../plan-context.js';

/** A plan whose draft waits for someone to approve it. */
export interface AwaitingApproval {
  ehrId: string;
  nhsNumber: string;
  submittedAt: string;
  changeSummary: string | null;
  pathways: string[];
}

/** A change the person proposed to their own plan, waiting for a professional. */
export interface WaitingProposal {
  ehrId: string;
  nhsNumber: string;
  draftId: string;
  author: string;
  note: string | null;
  proposedAt: string;
}

export interface AwaitingAttention {
  approvals: AwaitingApproval[];
  proposals: WaitingProposal[];
}

/**
 * What waits for the caller's organisation, oldest first: drafts submitted for approval and the
 * people's proposals, among the people the caller's query scope reaches (the same scope as their
 * AQL queries: the organisation's care-team and registered-GP relationships). The drafts are not
 * compositions AQL sees, so this reads the plan's own tables, scoped by the one scope rendering.
 */
export async function awaitingAttention(context: PlanContext, scope: AllowedQueryScope, limit: number): Promise<AwaitingAttention> {
  const ehrScope = ehrScopeFor(scope);
  const scoped = (params: unknown[]) =>
    ehrScope.kind === 'all'
      ? 'true'
      : ehrScope.subjectCondition('cp.nhs_number', (value) => {
          params.push(value);
          return `$${params.length}`;
        });
  const approvalParams: unknown[] = [limit];
  const approvals = await context.db.query<{
    ehr_id: string;
    nhs_number: string;
    updated_at: Date;
    change_summary: string | null;
    draft_pathways: string[];
  }>(
    `SELECT cp.ehr_id, cp.nhs_number, cp.updated_at, cp.change_summary, cp.draft_pathways FROM care_plan cp
     WHERE (cp.draft_state = 'awaiting-approval' OR cp.status = 'awaiting-approval') AND ${scoped(approvalParams)}
     ORDER BY cp.updated_at, cp.ehr_id LIMIT $1`,
    approvalParams,
  );
  const proposalParams: unknown[] = [limit];
  const proposals = await context.db.query<{
    ehr_id: string;
    nhs_number: string;
    draft_id: string;
    author: PlanActor;
    note: string | null;
    updated_at: Date;
  }>(
    `SELECT d.ehr_id, cp.nhs_number, d.draft_id, d.author, d.note, d.updated_at
     FROM care_plan_personal_draft d JOIN care_plan cp ON cp.ehr_id = d.ehr_id
     WHERE d.state = 'proposed' AND cp.status NOT IN ('closed', 'deleted') AND ${scoped(proposalParams)}
     ORDER BY d.updated_at, d.draft_id LIMIT $1`,
    proposalParams,
  );
  return {
    approvals: approvals.rows.map((row) => ({
      ehrId: row.ehr_id,
      nhsNumber: row.nhs_number,
      submittedAt: row.updated_at.toISOString(),
      changeSummary: row.change_summary,
      pathways: row.draft_pathways,
    })),
    proposals: proposals.rows.map((row) => ({
      ehrId: row.ehr_id,
      nhsNumber: row.nhs_number,
      draftId: row.draft_id,
      author: row.author.name,
      note: row.note,
      proposedAt: row.updated_at.toISOString(),
    })),
  };
}
