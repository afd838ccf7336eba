import { isDeepStrictEqual } from 'node:util';
import type { Queryable } from '../db/database.js';
import type { DemographicsSearch, DemographicsSourceName, PersonDemographics, Verification } from './person-demographics.js';

/** A person's demographics as stored: the current version and how sure the platform is of it. */
export interface StoredPerson {
  /** The number asked for. */
  nhsNumber: string;
  /** The number PDS replaced it with (merged), whose record `demographics` is. */
  supersededBy: string | null;
  verification: Verification;
  /** When the source last answered for this record (ISO 8601). */
  verifiedAt: string | null;
  /** Since when the source could not be reached, while unverified. */
  unverifiedSince: string | null;
  version: number;
  source: DemographicsSourceName;
  /** When the current version was first retrieved. */
  versionRetrievedAt: string;
  demographics: PersonDemographics;
  /** The registered practice's name as the organisation register knows it, if it does. */
  registeredGpName: string | null;
  /** The person's plan, under this number or the one that replaced it. */
  plan: PlanPointer | null;
}

export interface PlanPointer {
  ehrId: string;
  status: string;
  reviewDate: string | null;
}

type PersonRow = {
  nhs_number: string;
  superseded_by: string | null;
  verification: Verification;
  verified_at: Date | string | null;
  unverified_since: Date | string | null;
  version: number;
  source: DemographicsSourceName;
  retrieved_at: Date | string;
  demographics: PersonDemographics;
  gp_name: string | null;
  plan_ehr_id: string | null;
  plan_status: string | null;
  plan_review_date: string | null;
};

// One round trip: the number asked for, the record it resolves to (itself, or the number that
// replaced it), that record's current version, the practice's name and the plan pointer.
const SELECT_PERSON = `SELECT p.nhs_number, p.superseded_by, r.verification, r.verified_at, r.unverified_since,
    v.version, v.source, v.retrieved_at, v.demographics, o.name AS gp_name,
    plan.ehr_id AS plan_ehr_id, plan.status AS plan_status, plan.review_date AS plan_review_date
  FROM person_demographics p
  JOIN person_demographics r ON r.nhs_number = coalesce(p.superseded_by, p.nhs_number)
  JOIN person_demographics_version v ON v.nhs_number = r.nhs_number AND v.version = r.current_version
  LEFT JOIN organisation o ON o.ods_code = r.registered_gp
  LEFT JOIN LATERAL (
    SELECT cp.ehr_id::text AS ehr_id, cp.status, cp.review_date::text AS review_date FROM care_plan cp
    WHERE cp.nhs_number IN (r.nhs_number, p.nhs_number) ORDER BY cp.nhs_number = r.nhs_number DESC LIMIT 1
  ) AS plan ON true`;

export async function readStoredPerson(db: Queryable, nhsNumber: string): Promise<StoredPerson | undefined> {
  const { rows } = await db.query<PersonRow>(`${SELECT_PERSON} WHERE p.nhs_number = $1`, [nhsNumber]);
  return rows[0] && toStoredPerson(rows[0]);
}

/**
 * Records what the source answered for `requested`: a new version when anything changed, else
 * only that it was confirmed now. When the answer is another number's record (PDS follows a
 * merge), the demographics are stored under that number alone and `requested` (with anything
 * that pointed at it) points there: one person, one record.
 */
export async function recordRetrieval(
  tx: Queryable,
  requested: string,
  found: { demographics: PersonDemographics; sourceVersion: string | null },
  source: DemographicsSourceName,
): Promise<void> {
  const { demographics } = found;
  const current = demographics.nhsNumber;
  await tx.query(`INSERT INTO person_demographics (nhs_number, verification) VALUES ($1, 'verified') ON CONFLICT DO NOTHING`, [current]);
  // Lock first, then read what is held in a statement of its own: it sees what a concurrent
  // retrieval of the same person committed while this one waited for the lock.
  await tx.query('SELECT 1 FROM person_demographics WHERE nhs_number = $1 FOR UPDATE', [current]);
  const { rows } = await tx.query<{ current_version: number | null; demographics: PersonDemographics | null }>(
    `SELECT p.current_version, v.demographics FROM person_demographics p
     LEFT JOIN person_demographics_version v ON v.nhs_number = p.nhs_number AND v.version = p.current_version
     WHERE p.nhs_number = $1`,
    [current],
  );
  const held = rows[0];
  if (held?.current_version && held.demographics && isDeepStrictEqual(held.demographics, demographics)) {
    await tx.query(
      `UPDATE person_demographics SET verification = 'verified', verified_at = now(), unverified_since = NULL, superseded_by = NULL,
         updated_at = now() WHERE nhs_number = $1`,
      [current],
    );
  } else {
    const version = (held?.current_version ?? 0) + 1;
    await tx.query(
      `INSERT INTO person_demographics_version (nhs_number, version, source, retrieved_at, source_version, demographics)
       VALUES ($1, $2, $3, now(), $4, $5::jsonb)`,
      [current, version, source, found.sourceVersion, JSON.stringify(demographics)],
    );
    await tx.query(
      `UPDATE person_demographics SET current_version = $2, verification = 'verified', verified_at = now(), unverified_since = NULL,
         superseded_by = NULL, family_name = $3, given_names = $4::text[], birth_date = $5, gender = $6, postcode = $7,
         registered_gp = $8, restricted = $9, updated_at = now()
       WHERE nhs_number = $1`,
      [
        current,
        version,
        demographics.name?.family ?? null,
        demographics.name?.given ?? [],
        demographics.birthDate,
        demographics.gender,
        demographics.address?.postalCode ?? null,
        demographics.registeredGpOdsCode,
        demographics.restricted,
      ],
    );
  }
  if (requested === current) return;
  await tx.query(
    `INSERT INTO person_demographics (nhs_number, verification, verified_at, superseded_by) VALUES ($1, 'verified', now(), $2)
     ON CONFLICT (nhs_number) DO UPDATE SET superseded_by = $2, verification = 'verified', verified_at = now(),
       unverified_since = NULL, updated_at = now()`,
    [requested, current],
  );
  await tx.query('UPDATE person_demographics SET superseded_by = $2, updated_at = now() WHERE superseded_by = $1', [requested, current]);
}

/** The source could not be reached: what is held stays, marked unverified (a number it no longer knew stays so). */
export async function markUnverified(db: Queryable, nhsNumber: string): Promise<void> {
  await db.query(
    `UPDATE person_demographics SET verification = 'unverified', unverified_since = coalesce(unverified_since, now()), updated_at = now()
     WHERE nhs_number = $1 AND verification <> 'not-found'`,
    [nhsNumber],
  );
}

/** The source answered that it does not know the number (any more): what is held stays, marked so. */
export async function markNotFound(db: Queryable, nhsNumber: string): Promise<void> {
  await db.query(
    `UPDATE person_demographics SET verification = 'not-found', verified_at = now(), unverified_since = NULL, updated_at = now()
     WHERE nhs_number = $1`,
    [nhsNumber],
  );
}

/**
 * The stored records that match a search, for when the source cannot be reached: family name
 * and birth date exact (a trailing `*` matches the start of a name or postcode), like PDS's
 * non-fuzzy search. Restricted records never match a search that names a postcode.
 */
export async function searchStoredPeople(db: Queryable, criteria: DemographicsSearch, limit: number): Promise<StoredPerson[]> {
  const { rows } = await db.query<PersonRow>(
    `${SELECT_PERSON}
     WHERE p.superseded_by IS NULL AND lower(p.family_name) LIKE $1 ESCAPE '\\' AND p.birth_date = $2
       AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM unnest(p.given_names) AS given WHERE lower(given) LIKE $3 ESCAPE '\\'))
       AND ($4::text IS NULL OR p.gender = $4)
       AND ($5::text IS NULL OR (NOT p.restricted AND replace(upper(p.postcode), ' ', '') LIKE $5 ESCAPE '\\'))
     ORDER BY p.nhs_number LIMIT $6`,
    [
      likePattern(criteria.family.toLowerCase()),
      criteria.birthDate,
      criteria.given ? likePattern(criteria.given.toLowerCase()) : null,
      criteria.gender ?? null,
      criteria.postcode ? likePattern(criteria.postcode.replace(/\s+/g, '').toUpperCase(), true) : null,
      limit,
    ],
  );
  return rows.map(toStoredPerson);
}

/** The plans of the given people (identity-level facts only: where the plan is and its status). */
export async function readPlanPointers(db: Queryable, nhsNumbers: readonly string[]): Promise<ReadonlyMap<string, PlanPointer>> {
  if (nhsNumbers.length === 0) return new Map();
  const { rows } = await db.query<{ nhs_number: string; ehr_id: string; status: string; review_date: string | null }>(
    'SELECT nhs_number, ehr_id::text AS ehr_id, status, review_date::text AS review_date FROM care_plan WHERE nhs_number = ANY($1::text[])',
    [nhsNumbers],
  );
  return new Map(rows.map((row) => [row.nhs_number, { ehrId: row.ehr_id, status: row.status, reviewDate: row.review_date }]));
}

/**
 * The names held for the given people, as a banner shows them (a merged number: the name of the
 * record that replaced it), by the number asked for. One query, no call to the source: a report
 * names people from what the platform holds. People with no name held are left out.
 */
export async function readStoredNames(db: Queryable, nhsNumbers: readonly string[]): Promise<ReadonlyMap<string, string>> {
  if (nhsNumbers.length === 0) return new Map();
  const { rows } = await db.query<{ nhs_number: string; name: string | null }>(
    `SELECT p.nhs_number, v.demographics->'name'->>'text' AS name
       FROM person_demographics p
       JOIN person_demographics r ON r.nhs_number = coalesce(p.superseded_by, p.nhs_number)
       JOIN person_demographics_version v ON v.nhs_number = r.nhs_number AND v.version = r.current_version
      WHERE p.nhs_number = ANY($1::text[])`,
    [nhsNumbers],
  );
  return new Map(rows.flatMap((row) => (row.name ? [[row.nhs_number, row.name] as const] : [])));
}

/** A LIKE pattern: the text literally, except a trailing `*` (or, for a postcode start, always) matching the rest. */
function likePattern(value: string, prefix = false): string {
  const wildcard = value.endsWith('*');
  const literal = (wildcard ? value.slice(0, -1) : value).replace(/[\\%_]/g, (character) => `\\${character}`);
  return wildcard || prefix ? `${literal}%` : literal;
}

function toStoredPerson(row: PersonRow): StoredPerson {
  return {
    nhsNumber: row.nhs_number,
    supersededBy: row.superseded_by,
    verification: row.verification,
    verifiedAt: isoTime(row.verified_at),
    unverifiedSince: isoTime(row.unverified_since),
    version: row.version,
    source: row.source,
    versionRetrievedAt: isoTime(row.retrieved_at) ?? '',
    demographics: row.demographics,
    registeredGpName: row.gp_name,
    plan: row.plan_ehr_id && row.plan_status ? { ehrId: row.plan_ehr_id, status: row.plan_status, reviewDate: row.plan_review_date } : null,
  };
}

function isoTime(value: Date | string | null): string | null {
  if (value === null) return null;
  return new Date(value).toISOString();
}
