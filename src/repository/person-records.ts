import { AppError } from '../errors/app-error.js';
import type { VersionOptions } from '../openehr/service/composition-service.js';
import type { DirectoryService } from '../openehr/service/directory-service.js';
import type { EhrView } from '../openehr/service/ehr-service.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import type { VersionSelection } from '../openehr/service/version-selection.js';
import type { CommitAudit, StoredContribution, StoredVersion, StoredVersionedObject } from '../openehr/store/version-store.js';
import type { PersonAccess, Repository, WriteAudit } from './repository.js';
import { ehrStatusSubjectChange, plannedContributionVersions } from './openehr-write-rules.js';
import { withCprSnomedMappings } from './cpr-snomed-mapping.js';
import { seniorDecisionChange } from './senior-decision-rule.js';

/** Who commits and why, as the API gives it; the repository adds the audit trail. */
export type Committer = Omit<CommitAudit, 'trail'>;

/**
 * One person's openEHR records, reached through the caller's repository after the access
 * decision: every method works on that person's EHR only, and every write passes the write rules
 * and is audited in its own transaction.
 */
export class PersonRecords {
  constructor(
    private readonly repository: Repository,
    private readonly openehr: OpenEhrServices,
    readonly access: PersonAccess,
  ) {}

  /** The EHR id; an access to a person without an EHR reads as "no such EHR". */
  get ehrId(): string {
    if (!this.access.ehrId) throw new AppError('not-found', 'There is no EHR for this person.');
    return this.access.ehrId;
  }

  ehr(): Promise<EhrView> {
    return this.openehr.ehrs.get(this.ehrId);
  }

  status(selection: VersionSelection = {}): Promise<StoredVersion> {
    return this.openehr.ehrs.getStatus(this.ehrId, selection);
  }

  statusVersionedObject(): Promise<StoredVersionedObject> {
    return this.openehr.ehrs.statusVersionedObject(this.ehrId);
  }

  statusHistory(): Promise<StoredVersion[]> {
    return this.openehr.ehrs.statusHistory(this.ehrId);
  }

  /** A new EHR_STATUS version; the EHR's subject is not the API's to change. */
  async updateStatus(status: unknown, precedingVersionUid: string, committer: Committer): Promise<StoredVersion> {
    const { ehr } = await this.ehr();
    ehrStatusSubjectChange(ehr.subject, status);
    return this.openehr.ehrs.updateStatus(this.ehrId, status, precedingVersionUid, this.#audit(committer, { action: 'update' }));
  }

  composition(reference: string, selection: Pick<VersionSelection, 'atTime'> = {}): Promise<StoredVersion> {
    return this.openehr.compositions.get(this.ehrId, reference, selection);
  }

  versionedComposition(objectId: string): Promise<StoredVersionedObject> {
    return this.openehr.compositions.versionedObject(this.ehrId, objectId);
  }

  compositionHistory(objectId: string): Promise<StoredVersion[]> {
    return this.openehr.compositions.history(this.ehrId, objectId);
  }

  async createComposition(sent: unknown, committer: Committer, options: VersionOptions = {}): Promise<StoredVersion> {
    // A CPR decision's SNOMED CT mapping always follows its code, whatever the writer sent (AQL and reports match on it).
    const composition = withCprSnomedMappings(sent);
    await this.repository.requireSeniorDecisionRight(seniorDecisionChange(null, composition), this.access);
    return this.openehr.compositions.create(this.ehrId, composition, this.#audit(committer, { action: 'create' }), options);
  }

  /** A new version of `objectId` based on `precedingVersionUid`; the senior-decision rule compares it with that version. */
  async updateComposition(
    objectId: string,
    sent: unknown,
    precedingVersionUid: string,
    committer: Committer,
    options: VersionOptions = {},
  ): Promise<StoredVersion> {
    const composition = withCprSnomedMappings(sent);
    const before = await this.#precedingData(precedingVersionUid);
    await this.repository.requireSeniorDecisionRight(seniorDecisionChange(before, composition), this.access);
    return this.openehr.compositions.update(
      this.ehrId,
      objectId,
      composition,
      precedingVersionUid,
      this.#audit(committer, { action: 'update' }),
      options,
    );
  }

  async deleteComposition(precedingVersionUid: string, committer: Committer): Promise<StoredVersion> {
    const before = await this.#precedingData(precedingVersionUid);
    await this.repository.requireSeniorDecisionRight(seniorDecisionChange(before, null), this.access);
    return this.openehr.compositions.delete(this.ehrId, precedingVersionUid, this.#audit(committer, { action: 'delete' }));
  }

  /** Several versions together, all or none; each passes the rules its single-object route applies. */
  async commitContribution(sent: unknown, committer: Committer): Promise<StoredContribution> {
    const body = withCprSnomedMappings(sent);
    const { ehr } = await this.ehr();
    for (const version of plannedContributionVersions(body)) {
      if (version.type === 'EHR_STATUS' && version.data !== null) ehrStatusSubjectChange(ehr.subject, version.data);
      if (version.type === 'EHR_STATUS' || version.type === 'FOLDER') continue;
      const before = version.precedingVersionUid ? await this.#precedingData(version.precedingVersionUid) : null;
      await this.repository.requireSeniorDecisionRight(seniorDecisionChange(before, version.data), this.access);
    }
    return this.openehr.contributions.commit(this.ehrId, body, this.#audit(committer, { action: 'create' }));
  }

  contribution(contributionId: string): Promise<StoredContribution> {
    return this.openehr.contributions.get(this.ehrId, contributionId);
  }

  directory(selection: Parameters<DirectoryService['get']>[1]): ReturnType<DirectoryService['get']> {
    return this.openehr.directories.get(this.ehrId, selection);
  }

  createDirectory(folder: unknown, committer: Committer): Promise<StoredVersion> {
    return this.openehr.directories.create(this.ehrId, folder, this.#audit(committer, { action: 'create' }));
  }

  updateDirectory(folder: unknown, precedingVersionUid: string, committer: Committer): Promise<StoredVersion> {
    return this.openehr.directories.update(this.ehrId, folder, precedingVersionUid, this.#audit(committer, { action: 'update' }));
  }

  deleteDirectory(precedingVersionUid: string, committer: Committer): Promise<StoredVersion> {
    return this.openehr.directories.delete(this.ehrId, precedingVersionUid, this.#audit(committer, { action: 'delete' }));
  }

  #audit(committer: Committer, write: WriteAudit): CommitAudit {
    return { ...committer, trail: this.repository.writeTrail(this.access, write) };
  }

  /**
   * The content of the version a change is based on. A version that does not exist here is left
   * for the write itself to refuse (404 or 412, as each route answers); it has no decision to protect.
   */
  async #precedingData(precedingVersionUid: string): Promise<unknown> {
    try {
      return (await this.openehr.compositions.get(this.ehrId, precedingVersionUid)).data;
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 400)) return null;
      throw error;
    }
  }
}
