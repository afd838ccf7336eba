import type { PlanRevision } from '../../careplan/care-plan-store.js';

/**
 * The revisions of a plan that changed what its readers see: each publication, and a later
 * closing (death recorded) or deletion. These, and only these, are the FHIR versions of the
 * CarePlan — a draft is seen by no one, so saving one makes no version. The version id is the
 * plan's revision number at that change, the same number its Provenance names.
 */
export interface PlanVersion {
  versionId: string;
  lastUpdated: string;
  /** How the version came about, as a FHIR history entry records it. */
  method: 'POST' | 'PUT' | 'DELETE';
  revision: number;
}

const VISIBLE_EVENTS = new Set(['published', 'death-recorded', 'deleted']);

/** Oldest first; empty for a plan never published. */
export function planVersions(revisions: readonly PlanRevision[]): PlanVersion[] {
  const firstPublished = revisions.find((revision) => revision.event === 'published')?.revision;
  if (firstPublished === undefined) return [];
  return revisions
    .filter((revision) => revision.revision >= firstPublished && VISIBLE_EVENTS.has(revision.event))
    .map((revision, index) => ({
      versionId: String(revision.revision),
      lastUpdated: revision.recordedAt,
      method: revision.event === 'deleted' ? 'DELETE' : index === 0 ? 'POST' : 'PUT',
      revision: revision.revision,
    }));
}
