/**
 * openEHR version ids: `object_id::creating_system_id::version_tree_id`. Only trunk versions
 * (1, 2, 3 …) are made here; branches are not supported.
 */
export interface VersionUid {
  objectId: string;
  systemId: string;
  version: number;
}

import { isUuid } from '../../shared/uuid.js';

export { isUuid };

export function formatVersionUid(uid: VersionUid): string {
  return `${uid.objectId}::${uid.systemId}::${uid.version}`;
}

/** Parses a version id; undefined when it is not one (callers turn that into their own error). */
export function parseVersionUid(value: string): VersionUid | undefined {
  const parts = value.split('::');
  if (parts.length !== 3) return undefined;
  const [objectId, systemId, versionText] = parts as [string, string, string];
  if (!isUuid(objectId) || systemId === '' || !/^[1-9]\d{0,8}$/.test(versionText)) return undefined;
  return { objectId: objectId.toLowerCase(), systemId, version: Number(versionText) };
}

/** Accepts either a bare versioned-object id or a full version id, as the REST API does. */
export function parseObjectReference(value: string): { objectId: string; version?: number } | undefined {
  if (isUuid(value)) return { objectId: value.toLowerCase() };
  const parsed = parseVersionUid(value);
  return parsed && { objectId: parsed.objectId, version: parsed.version };
}
