import type { Caller } from '../access/caller.js';
import { recordCorrectedRegisteredGp } from '../access/care-team-store.js';
import { mayCorrectRegisteredGp } from '../access/registered-gp-correction-right.js';
import { appendAudit } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { PersonDemographics } from './person-demographics.js';

export interface RegisteredGpCorrectionInput {
  nhsNumber: string;
  /** The ODS code of the practice the person is registered with. */
  odsCode: string;
  /** Why the practice PDS named is wrong, and how the right one is known: kept with the correction and in the audit. */
  reason: string;
}

/** The caller may not correct this person's registered GP: the HTTP layer refuses them through their repository (audited). */
export class RegisteredGpCorrectionRefused extends AppError {
  constructor(readonly explanation: string) {
    super('forbidden', `Access refused: ${explanation}.`);
  }
}

/** A correction as stored: who corrected which practice to which, when and why. */
export interface RegisteredGpCorrection {
  correctedFrom: string | null;
  correctedTo: string;
  reason: string;
  correctedBy: string;
  correctedAt: string;
  version: number;
}

/**
 * Corrects the registered GP of a person whose demographics are held (under their own number):
 * a new demographics version (source `manual`) naming the right practice, the correction with
 * who and why, the registered-GP relationship moved, and the audit record (`update` of the
 * person's `registered-gp`, in their access report) — one transaction. The PDS versions stay as
 * they were. Refused (409) for a restricted record (PDS withholds its practice, so the platform
 * holds none), for the practice already named; (422) for a practice not taking part.
 */
export async function correctRegisteredGp(
  tx: Queryable,
  caller: Caller,
  input: RegisteredGpCorrectionInput,
): Promise<RegisteredGpCorrection> {
  const { nhsNumber, odsCode, reason } = input;
  const { rows } = await tx.query<{
    current_version: number | null;
    superseded_by: string | null;
    demographics: PersonDemographics | null;
  }>(
    `SELECT p.current_version, p.superseded_by, v.demographics FROM person_demographics p
       LEFT JOIN person_demographics_version v ON v.nhs_number = p.nhs_number AND v.version = p.current_version
      WHERE p.nhs_number = $1 FOR UPDATE OF p`,
    [nhsNumber],
  );
  const held = rows[0];
  if (held?.superseded_by) {
    throw new AppError('unprocessable', `NHS number ${nhsNumber} was merged into ${held.superseded_by}: correct the registered GP there.`);
  }
  if (!held?.current_version || !held.demographics) {
    throw new AppError('not-found', `No demographics are held for NHS number ${nhsNumber}; look the person up first.`);
  }
  const demographics = held.demographics;
  if (demographics.restricted) {
    throw new AppError(
      'conflict',
      'This is a restricted (S-flagged) record: the national demographics service withholds its registered practice, so the platform holds none to correct.',
    );
  }
  const current = demographics.registeredGpOdsCode;
  // Decided under the person's lock, on the practice the record names now.
  const right = mayCorrectRegisteredGp(caller, current);
  if (!right.allowed) throw new RegisteredGpCorrectionRefused(right.explanation);
  if (current === odsCode) throw new AppError('conflict', `The registered GP is already ${odsCode}; nothing was changed.`);
  const practice = await tx.query<{ kind: string }>('SELECT kind FROM organisation WHERE ods_code = $1', [odsCode]);
  if (!practice.rows[0]) {
    throw new AppError('unprocessable', `${odsCode} is not an organisation taking part in the service: register the practice first.`);
  }
  if (practice.rows[0].kind !== 'gp-practice') throw new AppError('unprocessable', `${odsCode} is not a GP practice.`);
  // The practice PDS names: what a correction already in force corrected, else what is held now.
  const inForce = await correctionInForce(tx, nhsNumber);
  const pdsNamed = inForce ? inForce.correctedFrom : current;
  await tx.query('UPDATE registered_gp_correction SET lapsed_at = now() WHERE nhs_number = $1 AND lapsed_at IS NULL', [nhsNumber]);
  const version = held.current_version + 1;
  const corrected: PersonDemographics = { ...demographics, registeredGpOdsCode: odsCode };
  await tx.query(
    `INSERT INTO person_demographics_version (nhs_number, version, source, retrieved_at, source_version, demographics)
     VALUES ($1, $2, 'manual', now(), NULL, $3::jsonb)`,
    [nhsNumber, version, JSON.stringify(corrected)],
  );
  await tx.query('UPDATE person_demographics SET current_version = $2, registered_gp = $3, updated_at = now() WHERE nhs_number = $1', [
    nhsNumber,
    version,
    odsCode,
  ]);
  // Naming again the practice PDS names undoes a correction: PDS is simply followed again.
  if (pdsNamed !== odsCode) {
    await tx.query(
      `INSERT INTO registered_gp_correction (nhs_number, corrected_from, corrected_to, reason, corrected_by_id, corrected_by_name, corrected_by_ods, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [nhsNumber, pdsNamed, odsCode, reason, caller.id, caller.displayName, caller.organisation?.odsCode ?? null, version],
    );
  }
  await recordCorrectedRegisteredGp(tx, { nhsNumber, odsCode, correctedBy: caller.displayName, reason });
  await appendAudit(
    tx,
    auditRecordFor(caller, {
      action: 'update',
      nhsNumber,
      resource: { type: 'registered-gp', id: nhsNumber },
      detail: { correction: 'wrong registered GP', from: current, to: odsCode, reason, version, basis: right.basis },
    }),
  );
  return {
    correctedFrom: current,
    correctedTo: odsCode,
    reason,
    correctedBy: caller.displayName,
    correctedAt: new Date().toISOString(),
    version,
  };
}

/**
 * What PDS answered, with a correction in force applied: while PDS still names the practice that
 * was corrected, the corrected practice stands (the registration has not been fixed at source
 * yet); once PDS names another, the correction lapses and PDS is followed.
 */
export async function withRegisteredGpCorrection(tx: Queryable, demographics: PersonDemographics): Promise<PersonDemographics> {
  const inForce = await correctionInForce(tx, demographics.nhsNumber);
  if (!inForce) return demographics;
  if (demographics.registeredGpOdsCode === inForce.correctedFrom) return { ...demographics, registeredGpOdsCode: inForce.correctedTo };
  await tx.query('UPDATE registered_gp_correction SET lapsed_at = now() WHERE id = $1', [inForce.id]);
  return demographics;
}

async function correctionInForce(
  tx: Queryable,
  nhsNumber: string,
): Promise<{ id: string; correctedFrom: string | null; correctedTo: string } | undefined> {
  const { rows } = await tx.query<{ id: string; corrected_from: string | null; corrected_to: string }>(
    'SELECT id::text AS id, corrected_from, corrected_to FROM registered_gp_correction WHERE nhs_number = $1 AND lapsed_at IS NULL',
    [nhsNumber],
  );
  const row = rows[0];
  return row && { id: row.id, correctedFrom: row.corrected_from, correctedTo: row.corrected_to };
}
