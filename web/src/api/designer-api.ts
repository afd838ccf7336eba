import type { Static } from 'typebox';
import type { PathwayDefinitionSchema } from '../../../src/careplan/pathway/pathway-definition';
import type {
  CopyBody,
  DiffSchema,
  DraftBody,
  PreviewSchema,
  ReviewBody,
  SafetyNote as SafetyNoteSchema,
  SummaryListSchema,
  VersionListSchema,
  VersionSchema,
  VersionViewSchema,
} from '../../../src/designer/http/designer-schemas';
import type { AccessHeaders } from './care-plan-api';
import { getJson, request } from './http';

/**
 * The pathway designer's API (/api/designer/pathways, permission pathway:design), typed as its
 * schemas (src/designer/http/designer-schemas.ts) give it.
 */

export type SafetyNote = Static<typeof SafetyNoteSchema>;

/** A pathway definition as it is when sound (src/careplan/pathway/pathway-definition.ts). */
export type PathwayDefinition = Static<typeof PathwayDefinitionSchema>;
export type DesignedModule = PathwayDefinition['modules'][number];

type ServedVersion = Static<typeof VersionSchema>;
// The schema serves a version's definition as unknown, since a draft may be unsound (its problems
// say where); the pages read it as a definition, as far as it is one.
type WithDefinition<Version extends ServedVersion> = Omit<Version, 'definition'> & { definition: PathwayDefinition };

/** A version as a pathway's list of versions gives it. */
export type ListedVersion = WithDefinition<ServedVersion>;
/** One version, with what stops it being submitted or published (empty when sound). */
export type PathwayVersion = WithDefinition<Static<typeof VersionViewSchema>>;
export type VersionStatus = ServedVersion['status'];

export type PathwaySummary = Static<typeof SummaryListSchema>['pathways'][number];

/** One change between two versions: in plain language (made by the server, so every client says the same) and at its JSON pointer. */
export type DefinitionChange = Static<typeof DiffSchema>['changes'][number];

const base = '/api/designer/pathways';

export async function designedPathways(): Promise<PathwaySummary[]> {
  return (await getJson<Static<typeof SummaryListSchema>>(base)).pathways;
}

export async function pathwayVersions(key: string): Promise<ListedVersion[]> {
  return (await getJson<Omit<Static<typeof VersionListSchema>, 'versions'> & { versions: ListedVersion[] }>(`${base}/${key}`)).versions;
}

export function pathwayVersion(key: string, version: number): Promise<PathwayVersion> {
  return getJson<PathwayVersion>(`${base}/${key}/versions/${version}`);
}

/** Sent with the preview's requests: the server refuses any write that carries it. */
export const PREVIEW_HEADER = 'x-ucp-preview';

/** The person's published plan to preview a version over (null when they have none). */
export type PreviewOver = Static<typeof PreviewSchema>;

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
  const body: Static<typeof CopyBody> = { fromVersion };
  return (await request<PathwayVersion>(`${base}/${key}/versions`, { method: 'POST', body })).body;
}

export async function saveDraft(
  key: string,
  version: number,
  definition: PathwayDefinition,
  safetyNotes: SafetyNote[],
): Promise<PathwayVersion> {
  const body: Static<typeof DraftBody> = { definition, safetyNotes };
  return (await request<PathwayVersion>(`${base}/${key}/versions/${version}`, { method: 'PUT', body })).body;
}

export type VersionStep = 'submit' | 'publish';

export async function stepVersion(key: string, version: number, step: VersionStep): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/versions/${version}/${step}`, { method: 'POST' })).body;
}

export async function reviewVersion(
  key: string,
  version: number,
  outcome: Static<typeof ReviewBody>['outcome'],
  note: string,
): Promise<PathwayVersion> {
  const body: Static<typeof ReviewBody> = note.trim() ? { outcome, note } : { outcome };
  return (await request<PathwayVersion>(`${base}/${key}/versions/${version}/review`, { method: 'POST', body })).body;
}

export async function rollBack(key: string): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/rollback`, { method: 'POST' })).body;
}

export async function retire(key: string): Promise<PathwayVersion> {
  return (await request<PathwayVersion>(`${base}/${key}/retire`, { method: 'POST' })).body;
}

export async function versionDiff(key: string, from: number, to: number): Promise<DefinitionChange[]> {
  return (await getJson<Static<typeof DiffSchema>>(`${base}/${key}/diff?from=${from}&to=${to}`)).changes;
}

/** A new pathway's first draft, from a definition (its key is the definition's id). */
export async function startPathway(definition: PathwayDefinition, safetyNotes: SafetyNote[] = []): Promise<PathwayVersion> {
  const body: Static<typeof DraftBody> = { definition, safetyNotes };
  return (await request<PathwayVersion>(base, { method: 'POST', body })).body;
}
