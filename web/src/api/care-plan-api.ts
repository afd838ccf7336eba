import type { Static } from 'typebox';
import type {
  Actor as ActorSchema,
  ChangesSchema,
  CreateBody,
  EmergencySummarySchema,
  HistorySchema,
  PathwayListSchema,
  PlanSchema,
  SaveModuleBody,
  SaveResultSchema,
  StaleProblemSchema,
  SubmitBody,
  SubmitResultSchema,
} from '../../../src/careplan/http/care-plan-schemas';
import type { FormDefinition } from '../../../src/careplan/pathway/form-definition';
import { ApiProblem, getJson, request } from './http';

/** The care plan API (/api/care-plans), typed as its schemas (src/careplan/http/care-plan-schemas.ts) give it. */

export type Flat = Record<string, unknown>;

// What the server answers, typed by the schemas that validate and serialise it: one contract, so
// a field the server adds, renames or drops fails the web app's typecheck instead of its users.
export type Actor = Static<typeof ActorSchema>;
export type PlanView = Static<typeof PlanSchema>;
export type ModuleContent = PlanView['modules'][number];
export type EmergencySummary = Static<typeof EmergencySummarySchema>;
export type Labelled = EmergencySummary['whatMattersMost'][number];
export type PlanChanges = Static<typeof ChangesSchema>;
export type FieldChange = PlanChanges['header'][number];
export type PlanHistory = Static<typeof HistorySchema>;

// The schema serves a module's form as unknown (its sections nest without end, which the schema
// does not spell out); it is what buildFormDefinition returns, so the web reads it as that type.
export type { FormDefinition, FormField, FormOption, FormSection } from '../../../src/careplan/pathway/form-definition';

type ServedPathway = Static<typeof PathwayListSchema>['pathways'][number];
type ServedModule = ServedPathway['modules'][number];
export type PathwayModule = Omit<ServedModule, 'form'> & { form?: FormDefinition };
export type Pathway = Omit<ServedPathway, 'modules'> & { modules: PathwayModule[] };

/** Headers that carry a stated break-glass reason to the policy point. */
export type AccessHeaders = Record<string, string>;

export const BREAK_GLASS_HEADER = 'x-ucp-break-glass-reason';

/**
 * The headers that carry a break-glass reason. A header value must be Latin-1 text, and people
 * type curly quotes and dashes: those become their plain forms, anything else outside Latin-1 a
 * question mark, so a reason never stops the request it is for.
 */
export function breakGlassHeaders(reason: string): AccessHeaders {
  const plain = reason
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201F\u2033]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
  return { [BREAK_GLASS_HEADER]: plain };
}

/** The person's EHR id, found by NHS number through the openEHR API; undefined when they have no EHR. */
export async function ehrIdOf(nhsNumber: string): Promise<string | undefined> {
  const query = new URLSearchParams({ subject_id: nhsNumber, subject_namespace: 'https://fhir.nhs.uk/Id/nhs-number' });
  try {
    const ehr = await getJson<{ ehr_id: { value: string } }>(`/openehr/v1/ehr?${query.toString()}`);
    return ehr.ehr_id.value;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  }
}

export function emergencySummary(ehrId: string, headers: AccessHeaders = {}): Promise<EmergencySummary> {
  return getJson<EmergencySummary>(`/api/care-plans/${ehrId}/emergency-summary`, { headers });
}

export async function publishedPlan(ehrId: string, headers: AccessHeaders = {}): Promise<PlanView> {
  return getJson<PlanView>(`/api/care-plans/${ehrId}`, { headers });
}

let pathwaysWithForms: Promise<Pathway[]> | undefined;

/** The pathways with each module's form definition: fetched once per page load, as they change only with a release. */
export function pathways(): Promise<Pathway[]> {
  pathwaysWithForms ??= getJson<{ pathways: Pathway[] }>('/api/care-plans/pathways?forms=true').then((answer) => answer.pathways);
  pathwaysWithForms.catch(() => (pathwaysWithForms = undefined));
  return pathwaysWithForms;
}

let readableWithForms: Promise<Pathway[]> | undefined;

/**
 * The pathways to read a plan with: those offered, and those retired since (as last published),
 * so a plan written with a retired pathway still reads. Retired ones first, so a module id an
 * offered pathway took on since is read with the offered one (a later entry wins in a Map).
 */
export function readablePathways(): Promise<Pathway[]> {
  readableWithForms ??= getJson<{ pathways: Pathway[] }>('/api/care-plans/pathways?forms=true&retired=true').then((answer) => [
    ...answer.pathways.filter((pathway) => pathway.retired === true),
    ...answer.pathways.filter((pathway) => pathway.retired !== true),
  ]);
  readableWithForms.catch(() => (readableWithForms = undefined));
  return readableWithForms;
}

export function history(ehrId: string, headers: AccessHeaders = {}): Promise<PlanHistory> {
  return getJson<PlanHistory>(`/api/care-plans/${ehrId}/history`, { headers });
}

export function diff(ehrId: string, from: number, to: number, headers: AccessHeaders = {}): Promise<PlanChanges> {
  return getJson<PlanChanges>(`/api/care-plans/${ehrId}/diff?from=${from}&to=${to}`, { headers });
}

export { request };

/** True when a refusal may be overridden by stating a reason (break the glass). */
export function breakGlassPossible(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 403 && error.detail.includes(BREAK_GLASS_HEADER);
}

/** A plan answer with its revision (the ETag every change sends back in If-Match). */
export interface Revised<T> {
  body: T;
  revision: number;
}

function revisionOf(etag: string | undefined, fallback: number): number {
  const value = etag?.replace(/^W\//, '').replace(/"/g, '');
  return value && /^\d+$/.test(value) ? Number(value) : fallback;
}

const ifMatch = (revision: number) => ({ 'if-match': `"${revision}"` });

export async function readDraft(ehrId: string): Promise<PlanView> {
  return getJson<PlanView>(`/api/care-plans/${ehrId}/draft`);
}

export async function startDraft(ehrId: string, revision: number): Promise<PlanView> {
  return (await request<PlanView>(`/api/care-plans/${ehrId}/draft`, { method: 'POST', headers: ifMatch(revision) })).body;
}

export type NewPlan = Static<typeof CreateBody>;

export async function createPlan(plan: NewPlan): Promise<PlanView> {
  return (await request<PlanView>('/api/care-plans', { method: 'POST', body: plan })).body;
}

/** A saved section: the plan, what the template still needs, and what the save changed, field by field. */
export type SaveResult = Static<typeof SaveResultSchema>;

/** Saves a section: `patch` is merged into it (a null removes a value; keys not sent are kept). */
export async function saveModule(
  ehrId: string,
  moduleId: string,
  patch: Flat,
  revision: number,
  changeSummary?: string,
): Promise<Revised<SaveResult>> {
  const answer = await request<SaveResult>(`/api/care-plans/${ehrId}/draft/modules/${moduleId}`, {
    method: 'PUT',
    headers: ifMatch(revision),
    body: { flat: patch, mode: 'merge', ...(changeSummary ? { changeSummary } : {}) } satisfies Static<typeof SaveModuleBody>,
  });
  return { body: answer.body, revision: revisionOf(answer.etag, answer.body.plan.revision) };
}

export async function submitDraft(
  ehrId: string,
  revision: number,
  reviewDate: string,
  changeSummary?: string,
): Promise<Static<typeof SubmitResultSchema>> {
  return (
    await request<Static<typeof SubmitResultSchema>>(`/api/care-plans/${ehrId}/draft/submit`, {
      method: 'POST',
      headers: ifMatch(revision),
      body: { reviewDate, ...(changeSummary ? { changeSummary } : {}) } satisfies Static<typeof SubmitBody>,
    })
  ).body;
}

export async function approveDraft(ehrId: string, revision: number): Promise<PlanView> {
  return (await request<PlanView>(`/api/care-plans/${ehrId}/draft/approve`, { method: 'POST', headers: ifMatch(revision) })).body;
}

/** A 412 answer: the plan moved on since the revision the change was based on. */
export type StaleWrite = Pick<Static<typeof StaleProblemSchema>, 'currentRevision' | 'changes'>;

export function staleWriteOf(error: unknown): StaleWrite | undefined {
  if (!(error instanceof ApiProblem) || error.status !== 412) return undefined;
  const { currentRevision, changes } = error.body as Partial<StaleWrite>;
  return typeof currentRevision === 'number' && changes ? { currentRevision, changes } : undefined;
}
