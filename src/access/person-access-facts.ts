import { PreparedStatement, type Queryable } from '../db/database.js';
import type { PersonAccessFacts } from './access-policy.js';

type FactsRow = { care_team: string[] | null; registered_gp: string | null; consent: boolean | null };

// The facts of the person whose NHS number is the expression `nhs` (a parameter or a column).
const factsColumns = (nhs: string) => `
  (SELECT array_agg(ods_code) FROM person_relationship WHERE nhs_number = ${nhs} AND kind = 'care-team') AS care_team,
  (SELECT ods_code FROM person_relationship WHERE nhs_number = ${nhs} AND kind = 'registered-gp' LIMIT 1) AS registered_gp,
  (SELECT consent_to_share FROM person_consent WHERE nhs_number = ${nhs}) AS consent`;

const BY_NHS_NUMBER_SQL = `SELECT ${factsColumns('$1')}`;

// The EHR's subject and that person's facts in one statement: the read path of every request about an EHR.
const BY_EHR_SQL = new PreparedStatement(
  'ucp_ehr_access_facts',
  `SELECT p.subject_id, ${factsColumns('p.subject_id')}
  FROM (SELECT (SELECT subject_id FROM ehr WHERE ehr_id = $1::uuid) AS subject_id) p`,
);

/** What the access decision needs to know about a person, read in one round trip. */
export async function readPersonAccessFacts(db: Queryable, nhsNumber: string): Promise<PersonAccessFacts> {
  const { rows } = await db.query<FactsRow>(BY_NHS_NUMBER_SQL, [nhsNumber]);
  return factsOf(nhsNumber, rows[0]);
}

/**
 * The subject (NHS number, '' when the EHR is unknown or has none) of an EHR and the facts of
 * that person, in one round trip. `ehrId` must be a UUID.
 */
export async function readEhrAccessFacts(db: Queryable, ehrId: string): Promise<{ nhsNumber: string; facts: PersonAccessFacts }> {
  const { rows } = await db.query<FactsRow & { subject_id: string | null }>(BY_EHR_SQL, [ehrId]);
  const nhsNumber = rows[0]?.subject_id ?? '';
  return { nhsNumber, facts: factsOf(nhsNumber, nhsNumber === '' ? undefined : rows[0]) };
}

function factsOf(nhsNumber: string, row: FactsRow | undefined): PersonAccessFacts {
  return {
    nhsNumber,
    careTeamOdsCodes: new Set(row?.care_team ?? []),
    registeredGpOdsCode: row?.registered_gp ?? undefined,
    // No recorded decision: sharing for direct care is the default the service was set up on.
    consentToShare: row?.consent ?? true,
  };
}
