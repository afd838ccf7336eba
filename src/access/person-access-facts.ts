import type { Queryable } from '../db/database.js';
import type { PersonAccessFacts } from './access-policy.js';

/** What the access decision needs to know about a person, read in one round trip. */
export async function readPersonAccessFacts(db: Queryable, nhsNumber: string): Promise<PersonAccessFacts> {
  const { rows } = await db.query<{ care_team: string[] | null; registered_gp: string | null; consent: boolean | null }>(
    `SELECT
       (SELECT array_agg(ods_code) FROM person_relationship WHERE nhs_number = $1 AND kind = 'care-team') AS care_team,
       (SELECT ods_code FROM person_relationship WHERE nhs_number = $1 AND kind = 'registered-gp' LIMIT 1) AS registered_gp,
       (SELECT consent_to_share FROM person_consent WHERE nhs_number = $1) AS consent`,
    [nhsNumber],
  );
  const row = rows[0];
  return {
    nhsNumber,
    careTeamOdsCodes: new Set(row?.care_team ?? []),
    registeredGpOdsCode: row?.registered_gp ?? undefined,
    // No recorded decision: sharing for direct care is the default the service was set up on.
    consentToShare: row?.consent ?? true,
  };
}
