import { accessChanged } from '../../access/access-generation.js';
import type { Queryable } from '../../db/database.js';
import { AppError, type ErrorIssue } from '../../errors/app-error.js';
import { updateEhrStatusFacts } from '../store/ehr-store.js';
import {
  readVersion,
  writeContribution,
  type CommitAudit,
  type CommittedContribution,
  type StoredVersion,
  type VersionChange,
  type VersionSelector,
} from '../store/version-store.js';
import { parseVersionUid } from '../store/version-uid.js';
import { readEhrStatusFacts } from './ehr-status.js';
import { lifecycleValidation } from './lifecycle-validation.js';
import type { CompiledTemplate } from './template-service.js';

export type { CommitAudit, CommittedContribution, JsonObject, StoredVersion, VersionChange } from '../store/version-store.js';
export { parseVersionUid } from '../store/version-uid.js';

/**
 * Versions read and written inside a caller's transaction, for a service that changes several
 * objects of one EHR at once (the care plan). It is the same write path as the REST API's, with
 * the same rules: every composition is checked by the lifecycle validation policy against its
 * compiled template (compiled before the transaction, since a template read inside it would wait
 * for the connection the transaction holds), and an EHR_STATUS version updates the EHR's facts.
 * The caller holds the EHR's write lock (`EhrService.lockForWrite`).
 */
export class VersionService {
  constructor(private readonly systemId: string) {}

  read(db: Queryable, selector: VersionSelector): Promise<StoredVersion | undefined> {
    return readVersion(db, selector);
  }

  /** A composition version named by its uid (`object::system::n`); undefined when the uid is malformed or unknown. */
  async readComposition(db: Queryable, ehrId: string, versionUid: string): Promise<StoredVersion | undefined> {
    const uid = parseVersionUid(versionUid);
    return uid ? readVersion(db, { ehrId, objectType: 'COMPOSITION', objectId: uid.objectId, version: uid.version }) : undefined;
  }

  async commit(
    tx: Queryable,
    input: { ehrId: string; audit: CommitAudit; changes: readonly VersionChange[]; templates: ReadonlyMap<string, CompiledTemplate> },
  ): Promise<CommittedContribution> {
    const issues = input.changes.flatMap((change, index) => refusedIssues(change, input.templates).map((issue) => at(index, issue)));
    if (issues.length > 0) {
      throw new AppError('unprocessable', `The change was not committed: ${issues.length} problem(s) in its versions.`, { issues });
    }
    const committed = await writeContribution(tx, {
      ehrId: input.ehrId,
      systemId: this.systemId,
      audit: input.audit,
      changes: input.changes,
    });
    for (const change of input.changes) {
      if (change.objectType !== 'EHR_STATUS' || !change.data) continue;
      const checked = readEhrStatusFacts(change.data);
      if (!('facts' in checked)) throw new AppError('bad-request', 'The EHR_STATUS is not valid.', { issues: checked.issues });
      await updateEhrStatusFacts(tx, input.ehrId, checked.facts);
      // The subject an access decision reads may have changed.
      accessChanged();
    }
    return committed;
  }
}

function refusedIssues(change: VersionChange, templates: ReadonlyMap<string, CompiledTemplate>): ErrorIssue[] {
  if (change.objectType !== 'COMPOSITION' || change.data === null || change.lifecycleState === 'deleted') return [];
  const template = change.templateId ? templates.get(change.templateId) : undefined;
  if (!template)
    return [
      {
        path: '/archetype_details/template_id/value',
        message: `template ${change.templateId ?? '(none)'} was not compiled for this write`,
      },
    ];
  return lifecycleValidation(template.validate(change.data), change.lifecycleState).refused;
}

function at(index: number, issue: ErrorIssue): ErrorIssue {
  return { path: `/versions/${index}/data${issue.path}`, message: issue.message };
}
