import { PreparedStatement, type Queryable } from '../db/database.js';
import { accessCacheOf } from './access-generation.js';
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

export interface EhrAccessFacts {
  nhsNumber: string;
  facts: Readonly<PersonAccessFacts>;
}

/**
 * How long an EHR's subject and access facts are reused without asking the database: a crew
 * opening a plan asks for the summary, the plan and its sections within seconds, each needing
 * the same decision. A care relationship, consent or subject recorded through this process ends
 * every entry at once (access-generation.ts); one recorded by another server is seen within this long.
 */
export const EHR_ACCESS_FACTS_TTL_MS = 1_000;
const MAX_CACHED_EHRS = 10_000;

/** What the access decision needs to know about a person, read in one round trip. */
export async function readPersonAccessFacts(db: Queryable, nhsNumber: string): Promise<PersonAccessFacts> {
  const { rows } = await db.query<FactsRow>(BY_NHS_NUMBER_SQL, [nhsNumber]);
  return factsOf(nhsNumber, rows[0]);
}

/**
 * The subject (NHS number, '' when the EHR is unknown or has none) of an EHR and the facts of
 * that person, in one round trip. `ehrId` must be a UUID.
 */
export async function readEhrAccessFacts(db: Queryable, ehrId: string): Promise<EhrAccessFacts> {
  const cache = accessCacheOf<EhrAccessFacts>(db, 'ehr-access-facts', EHR_ACCESS_FACTS_TTL_MS, MAX_CACHED_EHRS);
  let withoutSubject: EhrAccessFacts | undefined;
  const read = await cache.read(ehrId, async () => {
    const { rows } = await db.query<FactsRow & { subject_id: string | null }>(BY_EHR_SQL, [ehrId]);
    const nhsNumber = rows[0]?.subject_id ?? '';
    const facts = { nhsNumber, facts: factsOf(nhsNumber, nhsNumber === '' ? undefined : rows[0]) };
    // An unknown EHR (or one without a subject) is not kept: it may be created the next moment.
    if (nhsNumber !== '') return facts;
    withoutSubject = facts;
    return undefined;
  });
  const facts = read ?? withoutSubject;
  if (!facts) throw new Error('the access facts were not read');
  return facts;
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
