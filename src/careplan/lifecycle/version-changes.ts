import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { OpenEhrServices } from '../../openehr/service/openehr-services.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import type { JsonObject, StoredVersion, VersionChange } from '../../openehr/service/version-service.js';

/**
 * The openEHR versions a plan write commits, decided before the commit: every change names its
 * object id, so what the write leads to is known by object id, never by the order of versions.
 */

/** The module's draft as a new incomplete version of its draft composition (a new one if none is open). */
export function draftChange(latestDraft: StoredVersion | undefined, composition: JsonObject, template: CompiledTemplate): VersionChange {
  const open = latestDraft && latestDraft.lifecycleState !== 'deleted' ? latestDraft : undefined;
  return {
    objectType: 'COMPOSITION',
    objectId: open?.objectId ?? randomUUID(),
    precedingVersion: open?.version,
    changeType: open ? 'modification' : 'creation',
    lifecycleState: 'incomplete',
    data: composition,
    templateId: template.templateId,
    templateVersion: template.version,
  };
}

/** A draft's content as the next complete version of the published composition (a new one if none exists yet). */
export function publishedChange(draft: StoredVersion & { data: JsonObject }, published: StoredVersion | undefined): VersionChange {
  return {
    objectType: 'COMPOSITION',
    objectId: published?.objectId ?? randomUUID(),
    precedingVersion: published?.version,
    changeType: published ? 'modification' : 'creation',
    lifecycleState: 'complete',
    data: withoutUid(draft.data),
    ...(draft.templateId ? { templateId: draft.templateId } : {}),
  };
}

export function deletionOf(version: StoredVersion): VersionChange {
  return {
    objectType: 'COMPOSITION',
    objectId: version.objectId,
    precedingVersion: version.version,
    changeType: 'deleted',
    lifecycleState: 'deleted',
    data: null,
    ...(version.templateId ? { templateId: version.templateId } : {}),
  };
}

/** A new EHR_STATUS version saying the EHR is no longer modifiable (the person has died). */
export function closedEhrStatus(tx: Queryable, openehr: OpenEhrServices, ehrId: string): Promise<VersionChange> {
  return ehrStatusModifiable(tx, openehr, ehrId, false);
}

/** The EHR_STATUS saying whether the EHR may change: closed at a recorded death, opened again when that was in error. */
export async function ehrStatusModifiable(
  tx: Queryable,
  openehr: OpenEhrServices,
  ehrId: string,
  modifiable: boolean,
): Promise<VersionChange> {
  const ehr = await openehr.ehrs.requireEhr(tx, ehrId);
  const status = await openehr.versions.read(tx, { ehrId, objectType: 'EHR_STATUS', objectId: ehr.ehrStatusUid });
  if (!status?.data) throw new Error(`EHR ${ehrId} has no EHR_STATUS`);
  return {
    objectType: 'EHR_STATUS',
    objectId: ehr.ehrStatusUid,
    precedingVersion: status.version,
    changeType: 'modification',
    lifecycleState: 'complete',
    data: { ...withoutUid(status.data), is_modifiable: modifiable },
  };
}

function withoutUid(data: JsonObject): JsonObject {
  const { uid: _uid, ...rest } = data;
  return rest;
}
