import type { Static } from 'typebox';
import type {
  AwaitingAttentionSchema,
  DeclineBody,
  DraftListSchema,
  DraftSaveBody,
  DraftSchema,
  MergeBody,
  MergeResultSchema,
  ProposeBody,
} from '../../../src/careplan/http/care-plan-draft-schemas';
import { ApiProblem, getJson, request } from './http';
import type { Flat, PlanView } from './care-plan-api';

/**
 * Drafts of one's own (/api/care-plans/{ehr}/drafts): a professional working apart from the
 * plan's shared draft, or the person proposing a change to their own plan, merged field by field.
 */

// The drafts API's answers, typed by its schemas (src/careplan/http/care-plan-draft-schemas.ts).
export type PersonalDraft = Static<typeof DraftSchema>;
export type DraftState = PersonalDraft['state'];
export type DraftOutcome = NonNullable<PersonalDraft['outcome']>;
export type DraftSection = PersonalDraft['sections'][number];
export type DraftConflict = DraftSection['conflicts'][number];
export type DraftSummary = Static<typeof DraftListSchema>['drafts'][number];

/** Module id → field path → whose value stays (MergeBody's resolutions). */
export type Resolutions = NonNullable<Static<typeof MergeBody>['resolutions']>;

export type AwaitingAttention = Static<typeof AwaitingAttentionSchema>;

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
  return (await getJson<Static<typeof DraftListSchema>>(`/api/care-plans/${ehrId}/drafts`)).drafts;
}

export function draftOf(ehrId: string, draftId: string): Promise<PersonalDraft> {
  return getJson<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/${draftId}`);
}

/** Saves what changed in a section into the caller's own draft; `readRevision` is the plan revision they read it at. */
export async function saveToOwnDraft(ehrId: string, moduleId: string, flat: Flat, readRevision: number): Promise<PersonalDraft> {
  const answer = await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine/modules/${moduleId}`, {
    method: 'PUT',
    headers: ifMatch(readRevision),
    body: { flat } satisfies Static<typeof DraftSaveBody>,
  });
  return answer.body;
}

export async function proposeOwnDraft(ehrId: string, note: string): Promise<PersonalDraft> {
  const body: Static<typeof ProposeBody> = note.trim() ? { note: note.trim() } : {};
  return (await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine/propose`, { method: 'POST', body })).body;
}

export async function withdrawOwnDraft(ehrId: string): Promise<PersonalDraft> {
  return (await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/mine/withdraw`, { method: 'POST' })).body;
}

export async function mergeDraft(ehrId: string, draftId: string, revision: number, resolutions: Resolutions): Promise<PlanView> {
  const answer = await request<Static<typeof MergeResultSchema>>(`/api/care-plans/${ehrId}/drafts/${draftId}/merge`, {
    method: 'POST',
    headers: ifMatch(revision),
    body: { resolutions } satisfies Static<typeof MergeBody>,
  });
  return answer.body.plan;
}

export async function declineProposal(ehrId: string, draftId: string, reason: string): Promise<PersonalDraft> {
  const body: Static<typeof DeclineBody> = { reason };
  return (await request<PersonalDraft>(`/api/care-plans/${ehrId}/drafts/${draftId}/decline`, { method: 'POST', body })).body;
}

export function awaitingAttention(): Promise<AwaitingAttention> {
  return getJson<AwaitingAttention>('/api/care-plans/awaiting-attention');
}
