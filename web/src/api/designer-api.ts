import type { FormRule } from '../plan-form/form-rules';
import type { FormPrefill } from '../plan-form/prefill-values';
import type { AccessHeaders, PlanView } from './care-plan-api';
import { getJson, request } from './http';

/**
 * The pathway designer's API (/api/designer/pathways, permission pathway:design), typed as its
 * schemas (src/designer/http/designer-routes.ts) give it.
 */

export interface SafetyNote {
  hazard: string;
  controls: string;
}

export interface DesignedModule {
  id: string;
  title: string;
  templateId: string;
  kind: 'clinical' | 'non-clinical';
  seniorDecision: boolean;
  form?: { labels?: Record<string, string>; help?: Record<string, string>; hidden?: string[]; order?: string[] };
  rules?: FormRule[];
  prefill?: FormPrefill[];
}

export interface PathwayDefinition {
  id: string;
  title: string;
  description: string;
  core?: boolean;
  modules: DesignedModule[];
  approval: 'senior' | 'clinician';
  reviewMaxMonths: number;
  [other: string]: unknown;
}

export type VersionStatus = 'draft' | 'review' | 'published' | 'retired';

export interface PathwayVersion {
  id: string;
  pathwayKey: string;
  version: number;
  status: VersionStatus;
  definition: PathwayDefinition;
  safetyNotes: SafetyNote[];
  /** The id (not the number) of the version this one was copied from. */
  basedOn: string | null;
  author: { id: string; name: string };
  review: { outcome: 'approved' | 'returned'; reviewer: { id: string; name: string }; note: string | null; at: string } | null;
  createdAt: string;
  submittedAt: string | null;
  publishedAt: string | null;
  retiredAt: string | null;
  problems?: { path: string; message: string }[];
}

export interface PathwaySummary {
  key: string;
  title: string;
  published: number | null;
  latest: number;
  open: { version: number; status: 'draft' | 'review' } | null;
}

/** One change between two versions: in plain language (made by the server, so every client says the same) and at its JSON pointer. */
export interface DefinitionChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
  description: string;
}

const base = '/api/designer/pathways';

export async function designedPathways(): Promise<PathwaySummary[]> {
  return (await getJson<{ pathways: PathwaySummary[] }>(base)).pathways;
}

export async function pathwayVersions(key: string): Promise<PathwayVersion[]> {
  return (await getJson<{ versions: PathwayVersion[] }>(`${base}/${key}`)).versions;
}

export function pathwayVersion(key: string, version: number): Promise<PathwayVersion> {
  return getJson<PathwayVersion>(`${base}/${key}/versions/${version}`);
}

/** Sent with the preview's requests: the server refuses any write that carries it. */
export const PREVIEW_HEADER = 'x-ucp-preview';

export interface PreviewOver {
  nhsNumber: string;
  version: number;
  /** The person's published plan; null when they have none. */
  plan: PlanView | null;
}

/**
 * The person's current plan to preview a version over: allowed only when the designer may read
 * it under the ordinary rules, and audited as a read (GET …/preview/:nhs_number).
 */
export function previewOver(key: string, version: number, nhsNumber: string, headers: AccessHeaders = {}): Promise<PreviewOver> {
  return getJson<PreviewOver>(`${base}/${key}/versions/${version}/preview/${nhsNumber}`, {
    headers: { ...headers, [PREVIEW_HEADER]: 'read-only' },
  });
}

export async function copyToDraft(key: string, fromVersion: number): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/versions`, { method: 'POST', body: { fromVersion } })).body;
}

export async function saveDraft(
  key: string,
  version: number,
  definition: PathwayDefinition,
  safetyNotes: SafetyNote[],
): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/versions/${version}`, { method: 'PUT', body: { definition, safetyNotes } })).body;
}

export type VersionStep = 'submit' | 'publish';

export async function stepVersion(key: string, version: number, step: VersionStep): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/versions/${version}/${step}`, { method: 'POST' })).body;
}

export async function reviewVersion(key: string, version: number, outcome: 'approve' | 'return', note: string): Promise<PathwayVersion> {
  const body = note.trim() ? { outcome, note } : { outcome };
  return (await request<PathwayVersion>(`${base}/${key}/versions/${version}/review`, { method: 'POST', body })).body;
}

export async function rollBack(key: string): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/rollback`, { method: 'POST' })).body;
}

export async function retire(key: string): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/retire`, { method: 'POST' })).body;
}

export async function versionDiff(key: string, from: number, to: number): Promise<DefinitionChange[]> {
  return (await getJson<{ changes: DefinitionChange[] }>(`${base}/${key}/diff?from=${from}&to=${to}`)).changes;
}

/** A new pathway's first draft, from a definition (its key is the definition's id). */
export async function startPathway(definition: PathwayDefinition, safetyNotes: SafetyNote[] = []): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(base, { method: 'POST', body: { definition, safetyNotes } })).body;
}
