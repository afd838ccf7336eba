import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import {
  listVersions,
  readVersion,
  readVersionedObject,
  writeContribution,
  type AuditChangeType,
  type CommitAudit,
  type LifecycleState,
  type StoredVersion,
  type StoredVersionedObject,
  type VersionChange,
} from '../store/version-store.js';
import { formatVersionUid, isUuid, parseObjectReference } from '../store/version-uid.js';
import type { EhrService } from './ehr-service.js';
import { lifecycleValidation } from './lifecycle-validation.js';
import type { TemplateService } from './template-service.js';
import { parseVersionReference, type VersionSelection } from './version-selection.js';
import type { JsonObject } from '../../shared/json.js';

export interface VersionOptions {
  lifecycleState?: Extract<LifecycleState, 'complete' | 'incomplete'>;
  changeType?: AuditChangeType;
}

/** Versioned compositions in an EHR: commit, update, delete, and reads of any version. */
export class CompositionService {
  constructor(
    private readonly db: Database,
    private readonly systemId: string,
    private readonly ehrs: EhrService,
    private readonly templates: TemplateService,
  ) {}

  /** `lifecycleState` incomplete records a draft: a real version, marked as not yet complete. */
  async create(ehrId: string, composition: unknown, audit: CommitAudit, options: VersionOptions = {}): Promise<StoredVersion> {
    const lifecycleState = options.lifecycleState ?? 'complete';
    const prepared = await this.prepare(composition, lifecycleState);
    return this.commitOne(ehrId, audit, {
      objectType: 'COMPOSITION',
      precedingVersion: undefined,
      changeType: 'creation',
      lifecycleState,
      ...prepared,
    });
  }

  /**
   * A new version of the composition `objectId`, based on `precedingVersionUid`: the version the
   * writer read. If someone else has written since, the update is refused (412), never merged.
   */
  async update(
    ehrId: string,
    objectId: string,
    composition: unknown,
    precedingVersionUid: string,
    audit: CommitAudit,
    options: VersionOptions = {},
  ): Promise<StoredVersion> {
    const preceding = parseVersionReference(precedingVersionUid, 'If-Match');
    if (preceding.objectId !== objectId.toLowerCase()) {
      throw new AppError('bad-request', `If-Match names a version of ${preceding.objectId}, not of composition ${objectId}.`);
    }
    const latest = await readVersion(this.db, { ehrId, objectType: 'COMPOSITION', objectId: preceding.objectId });
    if (latest?.lifecycleState === 'deleted') {
      // ITS-REST: a deleted composition is not silently brought back by an update.
      throw new AppError(
        'bad-request',
        `Composition ${preceding.objectId} is deleted (${latest.versionUid}); commit a new composition instead of updating it.`,
        { headers: { ETag: `"${latest.versionUid}"` } },
      );
    }
    const lifecycleState = options.lifecycleState ?? 'complete';
    const prepared = await this.prepare(composition, lifecycleState);
    return this.commitOne(ehrId, audit, {
      objectType: 'COMPOSITION',
      objectId: preceding.objectId,
      precedingVersion: preceding.version,
      precedingSystemId: preceding.systemId,
      changeType: options.changeType ?? 'modification',
      lifecycleState,
      ...prepared,
    });
  }

  /** Deletion is a new version with lifecycle state "deleted"; every earlier version stays readable. */
  async delete(ehrId: string, precedingVersionUid: string, audit: CommitAudit): Promise<StoredVersion> {
    const preceding = parseVersionReference(precedingVersionUid, 'the version id');
    const latest = await readVersion(this.db, { ehrId, objectType: 'COMPOSITION', objectId: preceding.objectId });
    if (!latest) throw new AppError('not-found', `There is no composition ${preceding.objectId} in EHR ${ehrId}.`);
    // ITS-REST 1.0.3: deleting a deleted composition is a bad request (400); deleting a version that
    // is not the latest is a conflict (409) that names the latest version.
    if (latest.lifecycleState === 'deleted') {
      throw new AppError('bad-request', `Composition ${preceding.objectId} is already deleted (${latest.versionUid}).`);
    }
    if (latest.versionUid !== formatVersionUid(preceding)) {
      throw new AppError(
        'conflict',
        `${precedingVersionUid} is not the latest version of composition ${preceding.objectId}; the latest is ${latest.versionUid}.`,
        { headers: { ETag: `"${latest.versionUid}"` } },
      );
    }
    return this.commitOne(ehrId, audit, {
      objectType: 'COMPOSITION',
      objectId: preceding.objectId,
      precedingVersion: preceding.version,
      precedingSystemId: preceding.systemId,
      changeType: 'deleted',
      lifecycleState: 'deleted',
      data: null,
      ...(latest.templateId !== undefined ? { templateId: latest.templateId } : {}),
    });
  }

  /**
   * A composition by versioned-object id (latest, or the one current at `atTime`) or by version
   * id. A deleted version is returned as such; the caller decides how to show it.
   */
  async get(ehrId: string, reference: string, selection: Pick<VersionSelection, 'atTime'> = {}): Promise<StoredVersion> {
    await this.ehrs.requireEhr(this.db, ehrId);
    const parsed = parseObjectReference(reference);
    if (!parsed) {
      throw new AppError('bad-request', `"${reference}" is neither a composition id (uuid) nor a version id (uuid::system::version).`);
    }
    const version = await readVersion(this.db, {
      ehrId,
      objectType: 'COMPOSITION',
      objectId: parsed.objectId,
      ...(parsed.version !== undefined ? { version: parsed.version } : selection),
    });
    if (!version) {
      throw new AppError(
        'not-found',
        selection.atTime && parsed.version === undefined
          ? `Composition ${parsed.objectId} did not exist at ${selection.atTime}.`
          : `There is no composition ${reference} in EHR ${ehrId}.`,
      );
    }
    return version;
  }

  async versionedObject(ehrId: string, objectId: string): Promise<StoredVersionedObject> {
    await this.ehrs.requireEhr(this.db, ehrId);
    const object = isUuid(objectId)
      ? await readVersionedObject(this.db, { ehrId, objectType: 'COMPOSITION', objectId: objectId.toLowerCase() })
      : undefined;
    if (!object) throw new AppError('not-found', `There is no versioned composition ${objectId} in EHR ${ehrId}.`);
    return object;
  }

  async history(ehrId: string, objectId: string): Promise<StoredVersion[]> {
    const object = await this.versionedObject(ehrId, objectId);
    return listVersions(this.db, { ehrId, objectType: 'COMPOSITION', objectId: object.objectId });
  }

  /**
   * Checks a composition against its template, as the lifecycle state it is committed in requires
   * (lifecycle-validation.ts), and returns what the store needs to keep it.
   */
  async prepare(
    composition: unknown,
    lifecycleState: 'complete' | 'incomplete',
  ): Promise<Pick<VersionChange, 'data' | 'templateId' | 'templateVersion'>> {
    if (typeof composition !== 'object' || composition === null || Array.isArray(composition)) {
      throw new AppError('bad-request', 'The body must be a COMPOSITION object.');
    }
    const data = composition as JsonObject;
    if (data['_type'] !== undefined && data['_type'] !== 'COMPOSITION') {
      throw new AppError('bad-request', `The body must be a COMPOSITION, not ${JSON.stringify(data['_type'])}.`);
    }
    const templateId = templateIdOf(data);
    if (!templateId) {
      throw new AppError('unprocessable', 'The composition names no template (archetype_details.template_id.value is missing).', {
        issues: [{ path: '/archetype_details/template_id/value', message: 'is required' }],
      });
    }
    const template = await this.templates.find(templateId);
    if (!template) {
      throw new AppError(
        'unprocessable',
        `Template ${templateId} is not known here; upload it first (POST /openehr/v1/definition/template/adl1.4).`,
      );
    }
    const { refused } = lifecycleValidation(template.validate(data), lifecycleState);
    if (refused.length > 0) {
      throw new AppError('unprocessable', `The composition does not conform to template ${templateId}: ${refused.length} problem(s).`, {
        issues: refused,
      });
    }
    return { data: { ...data, _type: 'COMPOSITION' }, templateId, templateVersion: template.version };
  }

  private async commitOne(ehrId: string, audit: CommitAudit, change: VersionChange): Promise<StoredVersion> {
    return this.db.transaction(async (tx) => {
      await this.ehrs.lockForWrite(tx, ehrId, { statusOnly: false });
      const committed = await writeContribution(tx, { ehrId, systemId: this.systemId, audit, changes: [change] });
      const version = committed.versions[0];
      if (!version) throw new Error('commit wrote no version');
      return version;
    });
  }
}

export function templateIdOf(composition: JsonObject): string | undefined {
  const details = composition['archetype_details'];
  if (typeof details !== 'object' || details === null) return undefined;
  const templateId = (details as { template_id?: { value?: unknown } }).template_id?.value;
  return typeof templateId === 'string' && templateId !== '' ? templateId : undefined;
}
