import { AppError } from '../../errors/app-error.js';
import { parseVersionUid, type VersionUid } from '../store/version-uid.js';

/** Which version of an object a read wants: a given version, the one current at a time, or the latest. */
export interface VersionSelection {
  version?: number;
  atTime?: string;
}

/** A version id given by a client (in a path or an If-Match header), or a clear 400. */
export function parseVersionReference(value: string, where: string): VersionUid {
  const parsed = parseVersionUid(value.replace(/^"|"$/g, ''));
  if (!parsed) {
    throw new AppError('bad-request', `${where} must be a version id of the form <uuid>::<system id>::<version>, got "${value}".`);
  }
  return parsed;
}

/**
 * Parses a `version_at_time` value (ISO 8601 date-time with a time zone). A time without zone is
 * refused: "10:00" in London and in UTC are different moments.
 */
export function parseVersionAtTime(value: string): string {
  const match = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  const time = match ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new AppError(
      'bad-request',
      `version_at_time must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T10:00:00Z; got "${value}".`,
    );
  }
  return new Date(time).toISOString();
}

/** What the API layers read of stored versions, without reaching into the store. */
export type { StoredVersion } from '../store/version-store.js';
export { parseObjectReference } from '../store/version-uid.js';
