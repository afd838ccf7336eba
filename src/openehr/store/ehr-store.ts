import type { Queryable } from '../../db/database.js';
import { databaseErrorCode, UNIQUE_VIOLATION } from '../../db/database-error-code.js';
import { AppError } from '../../errors/app-error.js';
import type { JsonObject } from '../../shared/json.js';
import { writeContribution, type CommitAudit, type CommittedContribution } from './version-store.js';

export interface SubjectRef {
  id: string;
  namespace: string;
}

export interface StoredEhr {
  ehrId: string;
  systemId: string;
  timeCreated: string;
  subject: SubjectRef | undefined;
  isQueryable: boolean;
  isModifiable: boolean;
  ehrStatusUid: string;
  directoryUid: string | undefined;
}

type EhrRow = {
  ehr_id: string;
  system_id: string;
  time_created: Date;
  subject_namespace: string | null;
  subject_id: string | null;
  is_queryable: boolean;
  is_modifiable: boolean;
  ehr_status_uid: string;
  directory_uid: string | null;
};

const EHR_COLUMNS = `ehr_id, system_id, time_created, subject_namespace, subject_id, is_queryable, is_modifiable,
  ehr_status_uid, directory_uid`;

function toStoredEhr(row: EhrRow): StoredEhr {
  return {
    ehrId: row.ehr_id,
    systemId: row.system_id,
    timeCreated: row.time_created.toISOString(),
    subject:
      row.subject_id !== null && row.subject_namespace !== null ? { id: row.subject_id, namespace: row.subject_namespace } : undefined,
    isQueryable: row.is_queryable,
    isModifiable: row.is_modifiable,
    ehrStatusUid: row.ehr_status_uid,
    directoryUid: row.directory_uid ?? undefined,
  };
}

/** The facts of an EHR_STATUS that the `ehr` row mirrors for fast look-up. */
export interface EhrStatusFacts {
  subject: SubjectRef | undefined;
  isQueryable: boolean;
  isModifiable: boolean;
}

export async function createEhr(
  tx: Queryable,
  input: { ehrId: string; statusUid: string; systemId: string; status: JsonObject; facts: EhrStatusFacts; audit: CommitAudit },
): Promise<{ ehr: StoredEhr; contribution: CommittedContribution }> {
  const { rows: clock } = await tx.query<{ now: Date }>('SELECT now() AS now');
  try {
    await tx.query(
      `INSERT INTO ehr (ehr_id, system_id, time_created, subject_namespace, subject_id, is_queryable, is_modifiable, ehr_status_uid)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        input.ehrId,
        input.systemId,
        clock[0]?.now ?? new Date(),
        input.facts.subject?.namespace ?? null,
        input.facts.subject?.id ?? null,
        input.facts.isQueryable,
        input.facts.isModifiable,
        input.statusUid,
      ],
    );
  } catch (error) {
    throw explainUniqueViolation(error, input.ehrId, input.facts.subject);
  }
  const contribution = await writeContribution(tx, {
    ehrId: input.ehrId,
    systemId: input.systemId,
    audit: input.audit,
    changes: [
      {
        objectType: 'EHR_STATUS',
        objectId: input.statusUid,
        precedingVersion: undefined,
        changeType: 'creation',
        lifecycleState: 'complete',
        data: input.status,
      },
    ],
  });
  const ehr = await readEhr(tx, input.ehrId);
  if (!ehr) throw new Error('EHR vanished within its own transaction');
  return { ehr, contribution };
}

/** Keeps the `ehr` row's mirror of the EHR_STATUS in step with a new status version. */
export async function updateEhrStatusFacts(tx: Queryable, ehrId: string, facts: EhrStatusFacts): Promise<void> {
  try {
    await tx.query(`UPDATE ehr SET subject_namespace = $2, subject_id = $3, is_queryable = $4, is_modifiable = $5 WHERE ehr_id = $1`, [
      ehrId,
      facts.subject?.namespace ?? null,
      facts.subject?.id ?? null,
      facts.isQueryable,
      facts.isModifiable,
    ]);
  } catch (error) {
    throw explainUniqueViolation(error, ehrId, facts.subject);
  }
}

export async function setDirectoryUid(tx: Queryable, ehrId: string, directoryUid: string | null): Promise<void> {
  await tx.query('UPDATE ehr SET directory_uid = $2 WHERE ehr_id = $1', [ehrId, directoryUid]);
}

export async function readEhr(db: Queryable, ehrId: string, options: { forUpdate?: boolean } = {}): Promise<StoredEhr | undefined> {
  const { rows } = await db.query<EhrRow>(`SELECT ${EHR_COLUMNS} FROM ehr WHERE ehr_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [
    ehrId,
  ]);
  return rows[0] && toStoredEhr(rows[0]);
}

/** One unique-index look-up. */
export async function findEhrBySubject(db: Queryable, subject: SubjectRef): Promise<StoredEhr | undefined> {
  const { rows } = await db.query<EhrRow>(`SELECT ${EHR_COLUMNS} FROM ehr WHERE subject_namespace = $1 AND subject_id = $2`, [
    subject.namespace,
    subject.id,
  ]);
  return rows[0] && toStoredEhr(rows[0]);
}

function explainUniqueViolation(error: unknown, ehrId: string, subject: SubjectRef | undefined): unknown {
  if (databaseErrorCode(error) !== UNIQUE_VIOLATION) return error;
  const message = error instanceof Error ? error.message : '';
  if (message.includes('ehr_subject_key') && subject) {
    return new AppError('conflict', `An EHR already exists for subject ${subject.id} in namespace ${subject.namespace}.`, {
      cause: error,
    });
  }
  return new AppError('conflict', `An EHR with id ${ehrId} already exists.`, { cause: error });
}
