import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { appendEvent } from '../../events/outbox.js';
import type { PartyProxy } from '../rm/common.js';
import type { AuditChangeType, VersionLifecycleState } from '../terminology/openehr-terminology.js';
import { collectArchetypeIds } from './archetype-index.js';
import type { JsonObject } from '../../shared/json.js';
import { formatVersionUid } from './version-uid.js';

export type VersionedObjectType = 'COMPOSITION' | 'EHR_STATUS' | 'FOLDER';
export type LifecycleState = VersionLifecycleState;
export type { AuditChangeType };

// Stored documents are JSON; re-exported for the parts that still import it from here.
export type { JsonObject };

export const CONTRIBUTION_EVENT_TOPIC = 'openehr.contribution';

/** Who commits and why; becomes the AUDIT_DETAILS of the contribution and of each version. */
export interface CommitAudit {
  committer: PartyProxy;
  description?: string;
  /**
   * Records who did this in the platform's audit trail, inside the commit's own transaction, so
   * a change and its audit record exist together or not at all. A write that changed only
   * projections (no version) calls it without a contribution.
   */
  trail?: (
    tx: Queryable,
    committed: { ehrId: string; contributionId: string | undefined; versionUids: readonly string[] },
  ) => Promise<void>;
}

export interface VersionChange {
  objectType: VersionedObjectType;
  /** The versioned object's uid; a new one is made when creating and none is given. */
  objectId?: string;
  /** The version this change replaces; undefined creates a new versioned object. */
  precedingVersion: number | undefined;
  /** The system id the client named in the preceding version id, if it named one. */
  precedingSystemId?: string;
  changeType: AuditChangeType;
  lifecycleState: LifecycleState;
  /** Canonical JSON of the new version (its `uid` is set here); null for a deletion. */
  data: JsonObject | null;
  templateId?: string;
  templateVersion?: number;
}

export interface StoredVersion {
  objectId: string;
  version: number;
  versionUid: string;
  objectType: VersionedObjectType;
  ehrId: string;
  systemId: string;
  contributionId: string;
  timeCommitted: string;
  changeType: AuditChangeType;
  lifecycleState: LifecycleState;
  committer: PartyProxy;
  description: string | undefined;
  templateId: string | undefined;
  isLatest: boolean;
  data: JsonObject | null;
}

export interface CommittedContribution {
  contributionId: string;
  timeCommitted: string;
  changeType: AuditChangeType;
  versions: StoredVersion[];
}

/**
 * The one write path of the repository. A contribution and all its versions are written in the
 * caller's transaction, together with the event that announces them: all of it or none.
 * A change based on a version that is no longer the latest is refused (optimistic locking).
 */
export async function writeContribution(
  tx: Queryable,
  input: { ehrId: string; systemId: string; audit: CommitAudit; changes: readonly VersionChange[] },
): Promise<CommittedContribution> {
  const contributionId = randomUUID();
  const { rows: clock } = await tx.query<{ now: Date }>('SELECT now() AS now');
  const timeCommitted = (clock[0]?.now ?? new Date()).toISOString();
  const contributionChangeType = input.changes.length === 1 ? (input.changes[0]?.changeType ?? 'unknown') : 'unknown';
  await tx.query(
    `INSERT INTO contribution (contribution_id, ehr_id, system_id, time_committed, change_type, committer, description)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      contributionId,
      input.ehrId,
      input.systemId,
      timeCommitted,
      contributionChangeType,
      JSON.stringify(input.audit.committer),
      input.audit.description ?? null,
    ],
  );

  const versions: StoredVersion[] = [];
  for (const change of input.changes) {
    versions.push(await writeVersion(tx, { ...input, contributionId, timeCommitted }, change));
  }

  await appendEvent(tx, CONTRIBUTION_EVENT_TOPIC, {
    ehrId: input.ehrId,
    contributionId,
    timeCommitted,
    versions: versions.map((version) => ({
      objectType: version.objectType,
      objectId: version.objectId,
      versionUid: version.versionUid,
      changeType: version.changeType,
      lifecycleState: version.lifecycleState,
      templateId: version.templateId ?? null,
    })),
  });
  await input.audit.trail?.(tx, { ehrId: input.ehrId, contributionId, versionUids: versions.map((version) => version.versionUid) });
  return { contributionId, timeCommitted, changeType: contributionChangeType, versions };
}

type WriteContext = { ehrId: string; systemId: string; audit: CommitAudit; contributionId: string; timeCommitted: string };

/** Where a new version goes: its object, number and the system id its uid names. */
type VersionSlot = { objectId: string; version: number; systemId: string };

async function writeVersion(tx: Queryable, context: WriteContext, change: VersionChange): Promise<StoredVersion> {
  const { objectId, version, systemId } =
    change.precedingVersion === undefined
      ? await createVersionedObject(tx, context, change)
      : await advanceVersionedObject(tx, context, change, change.precedingVersion);
  const versionUid = formatVersionUid({ objectId, systemId, version });
  const data: JsonObject | null = change.data && { ...change.data, uid: { _type: 'OBJECT_VERSION_ID', value: versionUid } };
  await insertObjectVersion(tx, context, change, { objectId, version, systemId }, data);
  return {
    objectId,
    version,
    versionUid,
    objectType: change.objectType,
    ehrId: context.ehrId,
    systemId,
    contributionId: context.contributionId,
    timeCommitted: context.timeCommitted,
    changeType: change.changeType,
    lifecycleState: change.lifecycleState,
    committer: context.audit.committer,
    description: context.audit.description,
    templateId: change.templateId,
    isLatest: true,
    data,
  };
}

/** Version 1 of a new versioned object; a uid the client chose that exists already is a conflict. */
async function createVersionedObject(tx: Queryable, context: WriteContext, change: VersionChange): Promise<VersionSlot> {
  const objectId = change.objectId ?? randomUUID();
  const inserted = await tx.query(
    `INSERT INTO versioned_object (uid, ehr_id, object_type, system_id, time_created, latest_version)
     VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (uid) DO NOTHING`,
    [objectId, context.ehrId, change.objectType, context.systemId, context.timeCommitted],
  );
  if (inserted.rowCount === 0) {
    throw new AppError('conflict', `A versioned object with uid ${objectId} already exists.`);
  }
  return { objectId, version: 1, systemId: context.systemId };
}

/**
 * The next version of an existing object, locked for the rest of the transaction. Refused unless
 * the change is based on the latest version (optimistic locking), with the latest one's uid as ETag.
 */
async function advanceVersionedObject(
  tx: Queryable,
  context: WriteContext,
  change: VersionChange,
  precedingVersion: number,
): Promise<VersionSlot> {
  if (!change.objectId) throw new Error('a change based on a preceding version must name its object');
  const objectId = change.objectId;
  const { rows } = await tx.query<{ latest_version: number; system_id: string; ehr_id: string; object_type: string }>(
    'SELECT latest_version, system_id, ehr_id, object_type FROM versioned_object WHERE uid = $1 FOR UPDATE',
    [objectId],
  );
  const current = rows[0];
  if (!current || current.ehr_id !== context.ehrId || current.object_type !== change.objectType) {
    throw new AppError('not-found', `There is no ${change.objectType} with uid ${objectId} in EHR ${context.ehrId}.`);
  }
  const systemId = current.system_id;
  const namedOtherSystem = change.precedingSystemId !== undefined && change.precedingSystemId !== systemId;
  if (current.latest_version !== precedingVersion || namedOtherSystem) {
    const latestUid = formatVersionUid({ objectId, systemId, version: current.latest_version });
    throw new AppError(
      'precondition-failed',
      `The change is based on version ${precedingVersion} of ${objectId}, but the latest version is ` +
        `${latestUid}. Read it, apply your change to it, and try again.`,
      { headers: { ETag: `"${latestUid}"` } },
    );
  }
  const version = current.latest_version + 1;
  await tx.query('UPDATE object_version SET is_latest = false WHERE uid = $1 AND is_latest', [objectId]);
  await tx.query('UPDATE versioned_object SET latest_version = $2 WHERE uid = $1', [objectId, version]);
  return { objectId, version, systemId };
}

async function insertObjectVersion(
  tx: Queryable,
  context: WriteContext,
  change: VersionChange,
  slot: VersionSlot,
  data: JsonObject | null,
): Promise<void> {
  const archetypeNodeId = typeof data?.['archetype_node_id'] === 'string' ? data['archetype_node_id'] : null;
  await tx.query(
    `INSERT INTO object_version (uid, version, ehr_id, object_type, contribution_id, time_committed, change_type,
       lifecycle_state, committer, description, template_id, template_version, archetype_node_id, archetypes,
       is_latest, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, true, $15)`,
    [
      slot.objectId,
      slot.version,
      context.ehrId,
      change.objectType,
      context.contributionId,
      context.timeCommitted,
      change.changeType,
      change.lifecycleState,
      JSON.stringify(context.audit.committer),
      context.audit.description ?? null,
      change.templateId ?? null,
      change.templateVersion ?? null,
      archetypeNodeId,
      data ? collectArchetypeIds(data) : [],
      data ? JSON.stringify(data) : null,
    ],
  );
}

type VersionRow = {
  uid: string;
  version: number;
  object_type: VersionedObjectType;
  ehr_id: string;
  system_id: string;
  contribution_id: string;
  time_committed: Date;
  change_type: AuditChangeType;
  lifecycle_state: LifecycleState;
  committer: PartyProxy;
  description: string | null;
  template_id: string | null;
  is_latest: boolean;
  data: JsonObject | null;
};

const VERSION_COLUMNS = `v.uid, v.version, v.object_type, v.ehr_id, o.system_id, v.contribution_id, v.time_committed,
  v.change_type, v.lifecycle_state, v.committer, v.description, v.template_id, v.is_latest`;

function toStoredVersion(row: VersionRow): StoredVersion {
  return {
    objectId: row.uid,
    version: row.version,
    versionUid: formatVersionUid({ objectId: row.uid, systemId: row.system_id, version: row.version }),
    objectType: row.object_type,
    ehrId: row.ehr_id,
    systemId: row.system_id,
    contributionId: row.contribution_id,
    timeCommitted: row.time_committed.toISOString(),
    changeType: row.change_type,
    lifecycleState: row.lifecycle_state,
    committer: row.committer,
    description: row.description ?? undefined,
    templateId: row.template_id ?? undefined,
    isLatest: row.is_latest,
    data: row.data ?? null,
  };
}

export interface VersionSelector {
  ehrId: string;
  objectType: VersionedObjectType;
  objectId: string;
  /** A specific version; otherwise the latest, or the one current at `atTime`. */
  version?: number;
  atTime?: string;
}

/** The object id of the EHR's most recently committed object of a type, deleted or not (a directory the EHR no longer names). */
export async function latestObjectId(db: Queryable, ehrId: string, objectType: VersionSelector['objectType']): Promise<string | undefined> {
  const { rows } = await db.query<{ uid: string }>(
    'SELECT uid::text AS uid FROM object_version WHERE ehr_id = $1 AND object_type = $2 AND is_latest ORDER BY time_committed DESC LIMIT 1',
    [ehrId, objectType],
  );
  return rows[0]?.uid;
}

/** One version with its data, or undefined when the EHR has no such object or version. */
export async function readVersion(db: Queryable, selector: VersionSelector): Promise<StoredVersion | undefined> {
  const params: unknown[] = [selector.objectId, selector.ehrId, selector.objectType];
  let condition: string;
  if (selector.version !== undefined) {
    params.push(selector.version);
    condition = 'v.version = $4';
  } else if (selector.atTime !== undefined) {
    params.push(selector.atTime);
    condition = 'v.time_committed <= $4 ORDER BY v.version DESC LIMIT 1';
  } else {
    condition = 'v.is_latest';
  }
  const { rows } = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS}, v.data FROM object_version v JOIN versioned_object o ON o.uid = v.uid
     WHERE v.uid = $1 AND v.ehr_id = $2 AND v.object_type = $3 AND ${condition}`,
    params,
  );
  return rows[0] && toStoredVersion(rows[0]);
}

/** Every version of an object without its data, oldest first: the revision history. */
export async function listVersions(
  db: Queryable,
  selector: Pick<VersionSelector, 'ehrId' | 'objectType' | 'objectId'>,
): Promise<StoredVersion[]> {
  const { rows } = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS}, NULL AS data FROM object_version v JOIN versioned_object o ON o.uid = v.uid
     WHERE v.uid = $1 AND v.ehr_id = $2 AND v.object_type = $3 ORDER BY v.version`,
    [selector.objectId, selector.ehrId, selector.objectType],
  );
  return rows.map(toStoredVersion);
}

export interface StoredVersionedObject {
  objectId: string;
  ehrId: string;
  objectType: VersionedObjectType;
  systemId: string;
  timeCreated: string;
  latestVersion: number;
}

export async function readVersionedObject(
  db: Queryable,
  selector: Pick<VersionSelector, 'ehrId' | 'objectType' | 'objectId'>,
): Promise<StoredVersionedObject | undefined> {
  const { rows } = await db.query<{
    uid: string;
    ehr_id: string;
    object_type: VersionedObjectType;
    system_id: string;
    time_created: Date;
    latest_version: number;
  }>(
    `SELECT uid, ehr_id, object_type, system_id, time_created, latest_version FROM versioned_object
     WHERE uid = $1 AND ehr_id = $2 AND object_type = $3`,
    [selector.objectId, selector.ehrId, selector.objectType],
  );
  const row = rows[0];
  return (
    row && {
      objectId: row.uid,
      ehrId: row.ehr_id,
      objectType: row.object_type,
      systemId: row.system_id,
      timeCreated: row.time_created.toISOString(),
      latestVersion: row.latest_version,
    }
  );
}

export interface StoredContribution {
  contributionId: string;
  ehrId: string;
  systemId: string;
  timeCommitted: string;
  changeType: AuditChangeType;
  committer: PartyProxy;
  description: string | undefined;
  versions: StoredVersion[];
}

export async function readContribution(db: Queryable, ehrId: string, contributionId: string): Promise<StoredContribution | undefined> {
  const { rows } = await db.query<{
    contribution_id: string;
    ehr_id: string;
    system_id: string;
    time_committed: Date;
    change_type: AuditChangeType;
    committer: PartyProxy;
    description: string | null;
  }>(
    `SELECT contribution_id, ehr_id, system_id, time_committed, change_type, committer, description
     FROM contribution WHERE contribution_id = $1 AND ehr_id = $2`,
    [contributionId, ehrId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const versions = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS}, NULL AS data FROM object_version v JOIN versioned_object o ON o.uid = v.uid
     WHERE v.contribution_id = $1 ORDER BY v.uid, v.version`,
    [contributionId],
  );
  return {
    contributionId: row.contribution_id,
    ehrId: row.ehr_id,
    systemId: row.system_id,
    timeCommitted: row.time_committed.toISOString(),
    changeType: row.change_type,
    committer: row.committer,
    description: row.description ?? undefined,
    versions: versions.rows.map(toStoredVersion),
  };
}
