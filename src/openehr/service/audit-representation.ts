import {
  AUDIT_CHANGE_TYPE_CODES,
  openehrCodedText,
  VERSION_LIFECYCLE_STATE_CODES,
  type AuditChangeType,
} from '../terminology/openehr-terminology.js';
import type { StoredContribution, StoredVersion, StoredVersionedObject } from '../store/version-store.js';
import { formatVersionUid } from '../store/version-uid.js';

export function dvDateTime(value: string) {
  return { _type: 'DV_DATE_TIME', value };
}

export function objectRef(id: string, type: string, idType: 'HIER_OBJECT_ID' | 'OBJECT_VERSION_ID') {
  return { _type: 'OBJECT_REF', id: { _type: idType, value: id }, namespace: 'local', type };
}

export function auditDetails(audit: {
  systemId: string;
  timeCommitted: string;
  changeType: AuditChangeType;
  committer: unknown;
  description: string | undefined;
}) {
  return {
    _type: 'AUDIT_DETAILS',
    system_id: audit.systemId,
    time_committed: dvDateTime(audit.timeCommitted),
    change_type: openehrCodedText(audit.changeType, AUDIT_CHANGE_TYPE_CODES[audit.changeType]),
    committer: audit.committer,
    ...(audit.description !== undefined ? { description: { _type: 'DV_TEXT', value: audit.description } } : {}),
  };
}

/** ORIGINAL_VERSION in canonical JSON. */
export function originalVersion(version: StoredVersion) {
  return {
    _type: 'ORIGINAL_VERSION',
    uid: { _type: 'OBJECT_VERSION_ID', value: version.versionUid },
    ...(version.version > 1
      ? {
          preceding_version_uid: {
            _type: 'OBJECT_VERSION_ID',
            value: formatVersionUid({ objectId: version.objectId, systemId: version.systemId, version: version.version - 1 }),
          },
        }
      : {}),
    contribution: objectRef(version.contributionId, 'CONTRIBUTION', 'HIER_OBJECT_ID'),
    commit_audit: auditDetails(version),
    lifecycle_state: openehrCodedText(version.lifecycleState, VERSION_LIFECYCLE_STATE_CODES[version.lifecycleState]),
    ...(version.data ? { data: version.data } : {}),
  };
}

/** CONTRIBUTION in canonical JSON. */
export function contributionRepresentation(contribution: StoredContribution) {
  return {
    _type: 'CONTRIBUTION',
    uid: { _type: 'HIER_OBJECT_ID', value: contribution.contributionId },
    versions: contribution.versions.map((version) => objectRef(version.versionUid, 'VERSION', 'OBJECT_VERSION_ID')),
    audit: auditDetails(contribution),
  };
}

/** REVISION_HISTORY: one item per version, oldest first. */
export function revisionHistory(versions: readonly StoredVersion[]) {
  return {
    _type: 'REVISION_HISTORY',
    items: versions.map((version) => ({
      _type: 'REVISION_HISTORY_ITEM',
      version_id: { _type: 'OBJECT_VERSION_ID', value: version.versionUid },
      audits: [auditDetails(version)],
    })),
  };
}

/** VERSIONED_OBJECT metadata (VERSIONED_COMPOSITION, VERSIONED_EHR_STATUS …). */
export function versionedObjectRepresentation(object: StoredVersionedObject) {
  return {
    _type: `VERSIONED_${object.objectType}`,
    uid: { _type: 'HIER_OBJECT_ID', value: object.objectId },
    owner_id: objectRef(object.ehrId, 'EHR', 'HIER_OBJECT_ID'),
    time_created: dvDateTime(object.timeCreated),
  };
}
