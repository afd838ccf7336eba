import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { setDirectoryUid } from '../store/ehr-store.js';
import {
  latestObjectId,
  readVersion,
  writeContribution,
  type CommitAudit,
  type StoredVersion,
  type VersionChange,
} from '../store/version-store.js';
import type { EhrService } from './ehr-service.js';
import { checkedFolder } from './folder-check.js';
import { parseVersionReference, type VersionSelection } from './version-selection.js';
import type { JsonObject } from '../../shared/json.js';

/** The EHR's directory: one versioned FOLDER tree per EHR. */
export class DirectoryService {
  constructor(
    private readonly db: Database,
    private readonly systemId: string,
    private readonly ehrs: EhrService,
  ) {}

  async create(ehrId: string, folder: unknown, audit: CommitAudit): Promise<StoredVersion> {
    const data = checkedFolder(folder);
    const objectId = randomUUID();
    return this.commit(
      ehrId,
      audit,
      { objectType: 'FOLDER', objectId, precedingVersion: undefined, changeType: 'creation', lifecycleState: 'complete', data },
      objectId,
      true,
    );
  }

  async update(ehrId: string, folder: unknown, precedingVersionUid: string, audit: CommitAudit): Promise<StoredVersion> {
    const data = checkedFolder(folder);
    const preceding = parseVersionReference(precedingVersionUid, 'If-Match');
    return this.commit(
      ehrId,
      audit,
      {
        objectType: 'FOLDER',
        objectId: preceding.objectId,
        precedingVersion: preceding.version,
        precedingSystemId: preceding.systemId,
        changeType: 'modification',
        lifecycleState: 'complete',
        data,
      },
      preceding.objectId,
      false,
    );
  }

  async delete(ehrId: string, precedingVersionUid: string, audit: CommitAudit): Promise<StoredVersion> {
    const preceding = parseVersionReference(precedingVersionUid, 'If-Match');
    return this.commit(
      ehrId,
      audit,
      {
        objectType: 'FOLDER',
        objectId: preceding.objectId,
        precedingVersion: preceding.version,
        precedingSystemId: preceding.systemId,
        changeType: 'deleted',
        lifecycleState: 'deleted',
        data: null,
      },
      null,
      false,
    );
  }

  /**
   * The directory (latest, a given version, or as it was at a time), or the sub-folder reached
   * by `path`: folder names separated by '/'.
   */
  async get(
    ehrId: string,
    selection: VersionSelection & { versionUid?: string; path?: string },
  ): Promise<{ version: StoredVersion; folder: JsonObject | undefined }> {
    const ehr = await this.ehrs.requireEhr(this.db, ehrId);
    let objectId = ehr.directoryUid;
    let version = selection.version;
    if (selection.versionUid) {
      const uid = parseVersionReference(selection.versionUid, 'version_uid');
      objectId = uid.objectId;
      version = uid.version;
    }
    // A deleted directory is no longer the EHR's, but reading it says it was deleted (below).
    if (!objectId && version === undefined && !selection.atTime) objectId = await latestObjectId(this.db, ehrId, 'FOLDER');
    if (!objectId) throw new AppError('not-found', `EHR ${ehrId} has no directory.`);
    const stored = await readVersion(this.db, {
      ehrId,
      objectType: 'FOLDER',
      objectId,
      ...(version !== undefined ? { version } : selection.atTime ? { atTime: selection.atTime } : {}),
    });
    if (!stored) throw new AppError('not-found', `EHR ${ehrId} has no such directory version.`);
    // A deleted directory is a version without data: the caller says so (ITS-REST answers 204).
    if (!stored.data) return { version: stored, folder: undefined };
    const folder = selection.path ? findSubFolder(stored.data, selection.path) : stored.data;
    if (!folder) throw new AppError('not-found', `The directory has no folder at path "${selection.path}".`);
    return { version: stored, folder };
  }

  private async commit(
    ehrId: string,
    audit: CommitAudit,
    change: VersionChange,
    directoryUid: string | null,
    creating: boolean,
  ): Promise<StoredVersion> {
    return this.db.transaction(async (tx) => {
      const ehr = await this.ehrs.lockForWrite(tx, ehrId, { statusOnly: false });
      if (creating && ehr.directoryUid) {
        throw new AppError('conflict', `EHR ${ehrId} already has a directory; update it with PUT and If-Match.`);
      }
      if (!creating && ehr.directoryUid !== change.objectId) {
        throw new AppError('not-found', `EHR ${ehrId} has no directory ${change.objectId ?? ''}.`);
      }
      const committed = await writeContribution(tx, { ehrId, systemId: this.systemId, audit, changes: [change] });
      await setDirectoryUid(tx, ehrId, directoryUid);
      const version = committed.versions[0];
      if (!version) throw new Error('directory commit wrote no version');
      return version;
    });
  }
}

function findSubFolder(root: JsonObject, path: string): JsonObject | undefined {
  let current: JsonObject | undefined = root;
  for (const name of path.split('/').filter(Boolean)) {
    const children: unknown[] = Array.isArray(current?.['folders']) ? (current['folders'] as unknown[]) : [];
    current = children.find(
      (child): child is JsonObject =>
        typeof child === 'object' && child !== null && (child as { name?: { value?: unknown } }).name?.value === name,
    );
    if (!current) return undefined;
  }
  return current;
}
