import { accessChanged } from '../../access/access-generation.js';
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { createEhr, findEhrBySubject, readEhr, updateEhrStatusFacts, type StoredEhr, type SubjectRef } from '../store/ehr-store.js';
import {
  listVersions,
  readVersion,
  readVersionedObject,
  writeContribution,
  type CommitAudit,
  type StoredVersion,
  type StoredVersionedObject,
} from '../store/version-store.js';
import { defaultEhrStatus, readEhrStatusFacts } from './ehr-status.js';
import { parseVersionReference, type VersionSelection } from './version-selection.js';
import type { JsonObject } from '../../shared/json.js';

export interface EhrView {
  ehr: StoredEhr;
  status: StoredVersion;
}

/** EHRs and their EHR_STATUS: creation, look-up by id and by subject, status versions. */
export class EhrService {
  constructor(
    private readonly db: Database,
    private readonly systemId: string,
  ) {}

  async create(input: { ehrId?: string; status?: unknown }, audit: CommitAudit): Promise<EhrView> {
    const [view] = await this.createMany([input], audit);
    if (!view) throw new Error('EHR not created');
    return view;
  }

  /**
   * Creates several EHRs in one transaction, all or none: for loading many at once (the demo
   * dataset), where a transaction each would cost a commit each. Every status is checked first.
   */
  async createMany(inputs: readonly { ehrId?: string; status?: unknown }[], audit: CommitAudit): Promise<EhrView[]> {
    const checked = inputs.map((input) => {
      const status = (input.status ?? defaultEhrStatus()) as JsonObject;
      const read = readEhrStatusFacts(status);
      if (!('facts' in read)) throw new AppError('bad-request', 'The EHR_STATUS is not valid.', { issues: read.issues });
      return { ehrId: input.ehrId ?? randomUUID(), statusUid: randomUUID(), status, facts: read.facts };
    });
    const created = await this.db.transaction(async (tx) => {
      const results = [];
      for (const one of checked) results.push(await createEhr(tx, { ...one, systemId: this.systemId, audit }));
      return results;
    });
    return created.map(({ ehr, contribution }) => {
      const statusVersion = contribution.versions[0];
      if (!statusVersion) throw new Error('EHR created without a status version');
      return { ehr, status: statusVersion };
    });
  }

  async get(ehrId: string): Promise<EhrView> {
    const ehr = await this.requireEhr(this.db, ehrId);
    return { ehr, status: await this.requireStatus(ehr, {}) };
  }

  async findBySubject(subject: SubjectRef): Promise<EhrView> {
    const ehr = await findEhrBySubject(this.db, subject);
    if (!ehr) throw new AppError('not-found', 'There is no EHR for that subject id in that namespace.');
    return { ehr, status: await this.requireStatus(ehr, {}) };
  }

  /** The EHR_STATUS version selected by version id or time; the latest by default. */
  async getStatus(ehrId: string, selection: VersionSelection): Promise<StoredVersion> {
    const ehr = await this.requireEhr(this.db, ehrId);
    return this.requireStatus(ehr, selection);
  }

  async statusVersionedObject(ehrId: string): Promise<StoredVersionedObject> {
    const ehr = await this.requireEhr(this.db, ehrId);
    const object = await readVersionedObject(this.db, { ehrId, objectType: 'EHR_STATUS', objectId: ehr.ehrStatusUid });
    if (!object) throw new Error(`EHR ${ehrId} has no EHR_STATUS`);
    return object;
  }

  async statusHistory(ehrId: string): Promise<StoredVersion[]> {
    const ehr = await this.requireEhr(this.db, ehrId);
    return listVersions(this.db, { ehrId, objectType: 'EHR_STATUS', objectId: ehr.ehrStatusUid });
  }

  /** A new EHR_STATUS version, based on `precedingVersionUid` (which must be the latest). */
  async updateStatus(ehrId: string, status: unknown, precedingVersionUid: string, audit: CommitAudit): Promise<StoredVersion> {
    const checked = readEhrStatusFacts(status);
    if (!('facts' in checked)) {
      throw new AppError('bad-request', 'The EHR_STATUS is not valid.', { issues: checked.issues });
    }
    const preceding = parseVersionReference(precedingVersionUid, 'If-Match');
    return this.db.transaction(async (tx) => {
      const ehr = await this.lockForWrite(tx, ehrId, { statusOnly: true });
      if (preceding.objectId !== ehr.ehrStatusUid) {
        throw new AppError('precondition-failed', `${precedingVersionUid} is not a version of this EHR's EHR_STATUS.`);
      }
      const committed = await writeContribution(tx, {
        ehrId,
        systemId: this.systemId,
        audit,
        changes: [
          {
            objectType: 'EHR_STATUS',
            objectId: ehr.ehrStatusUid,
            precedingVersion: preceding.version,
            precedingSystemId: preceding.systemId,
            changeType: 'modification',
            lifecycleState: 'complete',
            data: status as JsonObject,
          },
        ],
      });
      await updateEhrStatusFacts(tx, ehrId, checked.facts);
      // The subject an access decision reads may have changed.
      accessChanged();
      const version = committed.versions[0];
      if (!version) throw new Error('status update wrote no version');
      return version;
    });
  }

  /**
   * Locks the EHR row for the rest of the transaction, so that writes to one EHR are serialised
   * and what was checked stays true until commit. Refuses (409) when the EHR_STATUS says the EHR
   * is not modifiable, unless the write is to the EHR_STATUS itself.
   */
  async lockForWrite(tx: Queryable, ehrId: string, options: { statusOnly: boolean }): Promise<StoredEhr> {
    const ehr = await this.requireEhr(tx, ehrId, { forUpdate: true });
    if (!options.statusOnly && !ehr.isModifiable) {
      throw new AppError('conflict', `EHR ${ehrId} is not modifiable (its EHR_STATUS says is_modifiable = false).`);
    }
    return ehr;
  }

  /** The EHR, or 404. Every EHR-scoped operation starts here. */
  async requireEhr(db: Queryable, ehrId: string, options: { forUpdate?: boolean } = {}): Promise<StoredEhr> {
    const ehr = await readEhr(db, ehrId, options);
    if (!ehr) throw new AppError('not-found', `There is no EHR with id ${ehrId}.`);
    return ehr;
  }

  private async requireStatus(ehr: StoredEhr, selection: VersionSelection): Promise<StoredVersion> {
    const version = await readVersion(this.db, {
      ehrId: ehr.ehrId,
      objectType: 'EHR_STATUS',
      objectId: ehr.ehrStatusUid,
      ...selection,
    });
    if (!version) {
      throw new AppError(
        'not-found',
        selection.atTime ? `The EHR_STATUS did not exist at ${selection.atTime}.` : 'No such EHR_STATUS version.',
      );
    }
    return version;
  }
}
