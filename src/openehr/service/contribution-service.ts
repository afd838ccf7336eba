import { accessChanged } from '../../access/access-generation.js';
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.js';
import { AppError, type ErrorIssue } from '../../errors/app-error.js';
import { setDirectoryUid, updateEhrStatusFacts } from '../store/ehr-store.js';
import {
  readContribution,
  writeContribution,
  type AuditChangeType,
  type CommitAudit,
  type StoredContribution,
  type VersionChange,
} from '../store/version-store.js';
import { isUuid, parseVersionUid } from '../store/version-uid.js';
import type { CompositionService } from './composition-service.js';
import type { EhrService } from './ehr-service.js';
import { readEhrStatusFacts } from './ehr-status.js';
import { checkedFolder } from './folder-check.js';
import { AUDIT_CHANGE_TYPE_BY_CODE, VERSION_LIFECYCLE_STATE_BY_CODE } from '../terminology/openehr-terminology.js';
import { isJsonObject, type JsonObject } from '../../shared/json.js';

/** A change read from a contribution body, with what must follow it in the same transaction. */
interface PlannedChange {
  change: VersionChange;
  afterWrite?: (tx: Queryable) => Promise<void>;
}

/**
 * CONTRIBUTIONs: several changes to one EHR (compositions, its EHR_STATUS, its directory)
 * committed together — all of them or none.
 */
export class ContributionService {
  constructor(
    private readonly db: Database,
    private readonly systemId: string,
    private readonly ehrs: EhrService,
    private readonly compositions: CompositionService,
  ) {}

  async commit(ehrId: string, body: unknown, fallbackAudit: CommitAudit): Promise<StoredContribution> {
    if (!isJsonObject(body)) throw new AppError('bad-request', 'The body must be a contribution object with "versions" and "audit".');
    const versions = body['versions'];
    if (!Array.isArray(versions) || versions.length === 0) {
      throw new AppError('bad-request', 'A contribution needs at least one version in "versions".');
    }
    const audit = readAudit(body['audit'], fallbackAudit);
    const ehr = await this.ehrs.requireEhr(this.db, ehrId);
    const issues: ErrorIssue[] = [];
    const planned: PlannedChange[] = [];
    for (const [index, version] of versions.entries()) {
      try {
        planned.push(await this.plan(ehrId, ehr.ehrStatusUid, ehr.directoryUid, version));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const prefix = `/versions/${index}`;
        issues.push({ path: prefix, message: error.detail });
        for (const issue of error.issues) issues.push({ path: `${prefix}/data${issue.path}`, message: issue.message });
      }
    }
    if (issues.length > 0) {
      throw new AppError('unprocessable', `The contribution was not committed: ${issues.length} problem(s) in its versions.`, { issues });
    }
    const committed = await this.db.transaction(async (tx) => {
      // Locked, so the directory checked while planning is still the one written to.
      const statusOnly = planned.every((plan) => plan.change.objectType === 'EHR_STATUS');
      const locked = await this.ehrs.lockForWrite(tx, ehrId, { statusOnly });
      const createsDirectory = planned.some((plan) => plan.change.objectType === 'FOLDER' && plan.change.precedingVersion === undefined);
      if (createsDirectory && locked.directoryUid !== undefined) {
        throw new AppError(
          'conflict',
          `EHR ${ehrId} already has a directory; modify it (preceding_version_uid) instead of creating another.`,
        );
      }
      const result = await writeContribution(tx, { ehrId, systemId: this.systemId, audit, changes: planned.map((plan) => plan.change) });
      for (const plan of planned) await plan.afterWrite?.(tx);
      return result;
    });
    return {
      contributionId: committed.contributionId,
      ehrId,
      systemId: this.systemId,
      timeCommitted: committed.timeCommitted,
      changeType: committed.changeType,
      committer: audit.committer,
      description: audit.description,
      // As a contribution is read back (readContribution): versions without data, by object id.
      versions: committed.versions
        .map((version) => ({ ...version, data: null }))
        .sort((a, b) => (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : a.version - b.version)),
    };
  }

  async get(ehrId: string, contributionId: string): Promise<StoredContribution> {
    await this.ehrs.requireEhr(this.db, ehrId);
    const contribution = isUuid(contributionId) ? await readContribution(this.db, ehrId, contributionId.toLowerCase()) : undefined;
    if (!contribution) throw new AppError('not-found', `There is no contribution ${contributionId} in EHR ${ehrId}.`);
    return contribution;
  }

  private async plan(ehrId: string, statusUid: string, directoryUid: string | undefined, version: unknown): Promise<PlannedChange> {
    if (!isJsonObject(version)) throw new AppError('bad-request', 'Each version must be an ORIGINAL_VERSION object.');
    const audit = isJsonObject(version['commit_audit']) ? version['commit_audit'] : {};
    const changeType = AUDIT_CHANGE_TYPE_BY_CODE.get(codeOf(audit['change_type']) ?? '');
    if (!changeType)
      throw new AppError('bad-request', 'commit_audit.change_type must be an openEHR audit change type (e.g. 249 creation).');
    const lifecycleState = VERSION_LIFECYCLE_STATE_BY_CODE.get(codeOf(version['lifecycle_state']) ?? '532');
    if (!lifecycleState) throw new AppError('bad-request', 'lifecycle_state must be 532 (complete), 553 (incomplete) or 523 (deleted).');
    const deleting = changeType === 'deleted' || lifecycleState === 'deleted';
    const data = version['data'];
    if (!deleting && !isJsonObject(data)) throw new AppError('bad-request', 'The version has no data.');
    const preceding = readPreceding(version, changeType);
    const type = isJsonObject(data) ? data['_type'] : undefined;
    const objectType =
      type ?? (preceding?.objectId === statusUid ? 'EHR_STATUS' : preceding?.objectId === directoryUid ? 'FOLDER' : 'COMPOSITION');
    const base = {
      changeType,
      lifecycleState: deleting ? ('deleted' as const) : lifecycleState,
      precedingVersion: preceding?.version,
      ...(preceding ? { objectId: preceding.objectId, precedingSystemId: preceding.systemId } : {}),
    };

    if (objectType === 'COMPOSITION') {
      if (deleting) return { change: { ...base, objectType: 'COMPOSITION', data: null } };
      const prepared = await this.compositions.prepare(data, lifecycleState === 'incomplete' ? 'incomplete' : 'complete');
      const givenId = preceding
        ? undefined
        : (creationObjectId(version['uid']) ?? creationObjectId(isJsonObject(data) ? data['uid'] : undefined));
      return { change: { ...base, ...prepared, objectType: 'COMPOSITION', ...(givenId ? { objectId: givenId } : {}) } };
    }
    if (objectType === 'EHR_STATUS') {
      if (!preceding || deleting)
        throw new AppError('bad-request', 'The EHR_STATUS can only be modified (with preceding_version_uid), never created or deleted.');
      const checked = readEhrStatusFacts(data);
      if (!('facts' in checked)) throw new AppError('bad-request', 'The EHR_STATUS is not valid.', { issues: checked.issues });
      return {
        change: { ...base, objectType: 'EHR_STATUS', data: data as JsonObject },
        afterWrite: async (tx) => {
          await updateEhrStatusFacts(tx, ehrId, checked.facts);
          // The subject an access decision reads may have changed.
          accessChanged();
        },
      };
    }
    if (objectType === 'FOLDER') {
      if (!preceding && directoryUid) {
        throw new AppError(
          'conflict',
          `EHR ${ehrId} already has a directory; modify it (preceding_version_uid) instead of creating another.`,
        );
      }
      const folder = deleting ? null : checkedFolder(data);
      const objectId = preceding?.objectId ?? randomUUID();
      return {
        change: { ...base, objectType: 'FOLDER', objectId, data: folder },
        afterWrite: (tx) => setDirectoryUid(tx, ehrId, deleting ? null : objectId),
      };
    }
    throw new AppError(
      'bad-request',
      `A contribution may hold COMPOSITION, EHR_STATUS or FOLDER versions, not ${JSON.stringify(objectType)}.`,
    );
  }
}

function codeOf(coded: unknown): string | undefined {
  if (!isJsonObject(coded)) return undefined;
  const code = isJsonObject(coded['defining_code']) ? coded['defining_code']['code_string'] : coded['code_string'];
  return typeof code === 'string' ? code : undefined;
}

function readPreceding(version: JsonObject, changeType: AuditChangeType) {
  const value = isJsonObject(version['preceding_version_uid']) ? version['preceding_version_uid']['value'] : undefined;
  if (changeType === 'creation') return undefined;
  if (typeof value !== 'string') {
    throw new AppError('bad-request', `A ${changeType} needs preceding_version_uid naming the version it changes.`);
  }
  const parsed = parseVersionUid(value);
  if (!parsed) throw new AppError('bad-request', `preceding_version_uid "${value}" is not a version id.`);
  return parsed;
}

/** A new composition may bring its own uid (object id of version 1); otherwise one is made. */
function creationObjectId(uid: unknown): string | undefined {
  if (!isJsonObject(uid)) return undefined;
  const value = uid['value'];
  if (typeof value !== 'string') return undefined;
  const parsed = parseVersionUid(value);
  return parsed?.version === 1 ? parsed.objectId : isUuid(value) ? value.toLowerCase() : undefined;
}

function readAudit(audit: unknown, fallback: CommitAudit): CommitAudit {
  if (!isJsonObject(audit)) return fallback;
  const committer = isJsonObject(audit['committer']) ? audit['committer'] : undefined;
  const description = isJsonObject(audit['description']) ? audit['description']['value'] : undefined;
  return {
    committer: (committer ?? fallback.committer) as CommitAudit['committer'],
    ...(typeof description === 'string' ? { description } : fallback.description ? { description: fallback.description } : {}),
  };
}
