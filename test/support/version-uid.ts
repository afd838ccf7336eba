import { parseVersionUid, type VersionUid } from '../../src/openehr/store/version-uid.js';

/** A version id the server returned, read the one way the code reads them; a test fails here if it is not one. */
export function versionUidOf(value: unknown): VersionUid {
  const parsed = typeof value === 'string' ? parseVersionUid(value.replaceAll('"', '')) : undefined;
  if (!parsed) throw new Error(`not a version id: ${String(value)}`);
  return parsed;
}

/** The versioned object's id of a version id the server returned. */
export function objectIdOf(versionUid: unknown): string {
  return versionUidOf(versionUid).objectId;
}
