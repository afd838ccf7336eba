import { ApiProblem, getJson, request } from './http';
import type { Actor, FieldChange, Flat, PlanView } from './care-plan-api';

/**
 * Drafts of one's own (/api/care-plans/{ehr}/drafts): a professional working apart from the
 * plan's shared draft, or the person proposing a change to their own plan, merged field by field.
 */

export type DraftState = 'open' | 'proposed' | 'merged' | 'withdrawn' | 'declined';

export interface DraftOutcome {
  by: Actor;
  at: string;
  revision?: number;
  reason?: string;
}

export interface DraftConflict {
  moduleId: string;
  path: string;
  label: string;
  startedFrom?: string;
  mine?: string;
  now?: string;
}

export interface DraftSection {
  moduleId: string;
  title: string;
  basedOnRevision: number;
  changes: FieldChange[];
  changedSince: FieldChange[];
  conflicts: DraftConflict[];
  flat: Flat;
}

export interface PersonalDraft {
  draftId: string;
  ehrId: string;
  author: Actor;
  byPerson: boolean;
  state: DraftState;
  note: string | null;
  outcome: DraftOutcome | null;
  planRevision: number;
  sections: DraftSection[];
  createdAt: string;
  updatedAt: string;
}

export type DraftSummary = Omit<PersonalDraft, 'sections' | 'planRevision'> & { sections: string[] };

export type Resolutions = Record<string, Record<string, 'mine' | 'theirs'>>;

export interface AwaitingAttention {
  approvals: {
    ehrId: string;
    nhsNumber: string;
    name: string | null;
    submittedAt: string;
    changeSummary: string | null;
    pathways: string[];
  }[];
  proposals: {
    ehrId: string;
    nhsNumber: string;
    name: string | null;
    draftId: string;
    author: string;
    note: string | null;
    proposedAt: string;
  }[];
}

const ifMatch = (revision: number) => ({ 'if-match': `"${revision}"` });

/** The caller's own live draft of the plan; undefined when they hold none. */
export async function ownDraft(ehrId: string): Promise<PersonalDraft | undefined> {
  try {
    return await getJson<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine`);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  }
}

export async function draftsOf(ehrId: string): Promise<DraftSummary[]> {
  return (await getJson<{ drafts: DraftSummary[] }>(`/api/care-plans/${ehrId}/drafts`)).drafts;
}

export function draftOf(ehrId: string, draftId: string): Promise<PersonalDraft> {
  return getJson<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/${draftId}`);
}

/** Saves what changed in a section into the caller's own draft; `readRevision` is the plan revision they read it at. */
export async function saveToOwnDraft(ehrId: string, moduleId: string, flat: Flat, readRevision: number): Promise<PersonalDraft> {
  const answer = await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine/modules/${moduleId}`, {
    method: 'PUT',
    headers: ifMatch(readRevision),
    body: { flat },
  });
  return answer.body;
}

export async function proposeOwnDraft(ehrId: string, note: string): Promise<PersonalDraft> {
  const body = note.trim() ? { note: note.trim() } : {};
  return (await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine/propose`, { method: 'POST', body })).body;
}

export async function withdrawOwnDraft(ehrId: string): Promise<PersonalDraft> {
  return (await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine/withdraw`, { method: 'POST' })).body;
}

export async function mergeDraft(ehrId: string, draftId: string, revision: number, resolutions: Resolutions): Promise<PlanView> {
  const answer = await request<{ plan: PlanView }>(`/api/care-plans/${ehrId}/drafts/${draftId}/merge`, {
    method: 'POST',
    headers: ifMatch(revision),
    body: { resolutions },
  });
  return answer.body.plan;
}

export async function declineProposal(ehrId: string, draftId: string, reason: string): Promise<PersonalDraft> {
  return (await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/${draftId}/decline`, { method: 'POST', body: { reason } })).body;
}

export function awaitingAttention(): Promise<AwaitingAttention> {
  return getJson<AwaitingAttention>('/api/care-plans/awaiting-attention');
}
