import { accessChanged } from './access-generation.js';
import type { Queryable } from '../db/database.js';

/** How an organisation came to be in a person's care team: always an explicit act. */
export type CareTeamBasis = 'demographics' | 'corrected' | 'added-by-member' | 'declared' | 'system' | 'recorded-before-earned-membership';

export interface CareTeamMembership {
  odsCode: string;
  organisationName: string | null;
  kind: 'care-team' | 'registered-gp';
  basis: CareTeamBasis;
  since: string;
  addedBy: string | null;
  reason: string | null;
}

/**
 * Adds an organisation to a person's care team, saying who did it and why. Joining again changes
 * nothing (the first act stands), so a repeated request cannot rewrite who added it.
 */
export async function joinCareTeam(
  tx: Queryable,
  membership: { nhsNumber: string; odsCode: string; basis: CareTeamBasis; addedBy: string; reason: string | null },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO person_relationship (nhs_number, ods_code, kind, basis, added_by, reason)
     VALUES ($1, $2, 'care-team', $3, $4, $5) ON CONFLICT DO NOTHING`,
    [membership.nhsNumber, membership.odsCode, membership.basis, membership.addedBy, membership.reason],
  );
  accessChanged();
  return (rowCount ?? 0) > 0;
}

/**
 * The registered GP practice as the national demographics service says, replacing any other:
 * access follows the person's registration, never what someone typed into a plan. A practice
 * that is not taking part in the service (not in the organisation table) is not recorded.
 */
export async function recordRegisteredGpFromDemographics(tx: Queryable, nhsNumber: string, odsCode: string | null): Promise<void> {
  await tx.query(
    `DELETE FROM person_relationship WHERE nhs_number = $1 AND kind = 'registered-gp' AND ($2::text IS NULL OR ods_code <> $2)`,
    [nhsNumber, odsCode],
  );
  accessChanged();
  if (odsCode === null) return;
  await tx.query(
    `INSERT INTO person_relationship (nhs_number, ods_code, kind, basis, added_by, reason)
     SELECT $1, ods_code, 'registered-gp', 'demographics', 'national demographics service', NULL FROM organisation WHERE ods_code = $2
     ON CONFLICT DO NOTHING`,
    [nhsNumber, odsCode],
  );
  accessChanged();
}

/**
 * The registered GP practice as corrected by a named person with a reason (the demographics
 * service named a practice the person is not registered with): the registered-GP relationship
 * moves to the practice named. The practice that was wrong loses only that relationship; a
 * membership it earned otherwise (declared, added by a member) is another row and stays.
 */
export async function recordCorrectedRegisteredGp(
  tx: Queryable,
  correction: { nhsNumber: string; odsCode: string; correctedBy: string; reason: string },
): Promise<void> {
  await tx.query(`DELETE FROM person_relationship WHERE nhs_number = $1 AND kind = 'registered-gp'`, [correction.nhsNumber]);
  await tx.query(
    `INSERT INTO person_relationship (nhs_number, ods_code, kind, basis, added_by, reason) VALUES ($1, $2, 'registered-gp', 'corrected', $3, $4)`,
    [correction.nhsNumber, correction.odsCode, correction.correctedBy, correction.reason],
  );
  accessChanged();
}

/** Everyone in a person's care team, with how, when and by whom each joined: for the person and their clinicians. */
export async function listCareTeam(db: Queryable, nhsNumber: string): Promise<CareTeamMembership[]> {
  const { rows } = await db.query<{
    ods_code: string;
    name: string | null;
    kind: 'care-team' | 'registered-gp';
    basis: CareTeamBasis;
    since: Date | string;
    added_by: string | null;
    reason: string | null;
  }>(
    `SELECT r.ods_code, o.name, r.kind, r.basis, r.since, r.added_by, r.reason
       FROM person_relationship r LEFT JOIN organisation o ON o.ods_code = r.ods_code
      WHERE r.nhs_number = $1 ORDER BY r.kind DESC, r.since, r.ods_code`,
    [nhsNumber],
  );
  return rows.map((row) => ({
    odsCode: row.ods_code,
    organisationName: row.name,
    kind: row.kind,
    basis: row.basis,
    since: new Date(row.since).toISOString(),
    addedBy: row.added_by,
    reason: row.reason,
  }));
}
