import type { Caller } from '../access/caller.js';
import { queryAudit } from '../audit/audit-query.js';
import type { AuditEntry } from '../audit/audit-record.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';

/** Far beyond any real person's trail; a bound so that one export cannot take the server's memory. */
const MAX_AUDIT_ENTRIES = 50_000;
const AUDIT_PAGE = 1_000;

export interface StoredObjectVersion {
  uid: string;
  version: number;
  objectType: string;
  contributionId: string;
  timeCommitted: string;
  changeType: string;
  lifecycleState: string;
  committer: unknown;
  data: unknown;
}

/** The openEHR EHR extract: the EHR and every version of every object in it (status, compositions, folders), oldest first. */
export interface EhrExtract {
  ehrId: string;
  timeCreated: string;
  systemId: string;
  versions: StoredObjectVersion[];
}

/** An audit entry as a subject access export shows it: without the chain's hashes. */
export type ExportedAuditEntry = Omit<AuditEntry, 'prevHash' | 'hash'>;

/** What the platform's own stores hold about a person for a subject access request (UK GDPR article 15). */
export interface SubjectAccessRecords {
  openehr: EhrExtract | undefined;
  /** Who read or changed the record, who was refused, every break-glass: the whole audit trail about the person, oldest first. */
  access: ExportedAuditEntry[];
}

/** A subject access export is for the person themselves, or an auditor trusted with every organisation. */
export function requireSubjectAccessRight(caller: Caller, nhsNumber: string): void {
  const isThePerson = caller.ownNhsNumber === nhsNumber;
  const trustedAuditor = caller.permissions.has('audit:read') && caller.scopes?.includes('audit:all-organisations') === true;
  if (!isThePerson && !trustedAuditor) {
    throw new AppError(
      'forbidden',
      'A subject access export is for the person, or an auditor trusted with every organisation (audit:all-organisations).',
    );
  }
}

type VersionRow = {
  uid: string;
  version: number;
  object_type: string;
  contribution_id: string;
  time_committed: Date | string;
  change_type: string;
  lifecycle_state: string;
  committer: unknown;
  data: unknown;
};

/** The person's EHR with every stored version in it; undefined when they have no EHR. */
export async function readEhrExtract(db: Queryable, nhsNumber: string): Promise<EhrExtract | undefined> {
  const { rows: ehrs } = await db.query<{ ehr_id: string; time_created: Date | string; system_id: string }>(
    'SELECT ehr_id, time_created, system_id FROM ehr WHERE subject_namespace = $1 AND subject_id = $2',
    [NHS_NUMBER_SYSTEM, nhsNumber],
  );
  const ehr = ehrs[0];
  if (!ehr) return undefined;
  const { rows } = await db.query<VersionRow>(
    `SELECT uid, version, object_type, contribution_id, time_committed, change_type, lifecycle_state, committer, data
     FROM object_version WHERE ehr_id = $1 ORDER BY time_committed, uid, version`,
    [ehr.ehr_id],
  );
  return {
    ehrId: ehr.ehr_id,
    timeCreated: new Date(ehr.time_created).toISOString(),
    systemId: ehr.system_id,
    versions: rows.map((row) => ({
      uid: row.uid,
      version: row.version,
      objectType: row.object_type,
      contributionId: row.contribution_id,
      timeCommitted: new Date(row.time_committed).toISOString(),
      changeType: row.change_type,
      lifecycleState: row.lifecycle_state,
      committer: row.committer,
      data: row.data,
    })),
  };
}

/** The whole audit trail about the person, oldest first, without the chain's hashes. */
export async function readPersonAuditTrail(db: Queryable, nhsNumber: string): Promise<ExportedAuditEntry[]> {
  const newestFirst: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryAudit(db, { nhsNumber, limit: AUDIT_PAGE, ...(cursor ? { cursor } : {}) });
    newestFirst.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor && newestFirst.length < MAX_AUDIT_ENTRIES);
  return newestFirst.reverse().map(({ prevHash: _prevHash, hash: _hash, ...entry }) => entry);
}
