-- A person's demographics from the national demographics service (PDS), versioned: each
-- retrieval that changed something is a new version with its source and time. The person row
-- says which version is current, how sure we are of it (verification) and, for a number PDS
-- merged into another, which number replaced it; with its version it is read in one round trip.
CREATE TABLE person_demographics (
  nhs_number text PRIMARY KEY CHECK (nhs_number ~ '^[0-9]{10}$'),
  -- Set when PDS answered a read of this number with another record: the number that replaced
  -- it. Always the final one (never a chain); the demographics live under that number only.
  superseded_by text REFERENCES person_demographics (nhs_number),
  -- The newest version held under this number itself (null: PDS never answered for it as itself).
  current_version integer,
  -- verified: PDS confirmed the current version at verified_at; unverified: PDS could not be
  -- reached at the last attempt (since unverified_since); not-found: PDS no longer knows it.
  verification text NOT NULL CHECK (verification IN ('verified', 'unverified', 'not-found')),
  verified_at timestamptz,
  unverified_since timestamptz,
  -- Projections of the current version, for the search PDS cannot answer when it is down and
  -- for the registered-GP relationship (its ODS code).
  family_name text,
  given_names text[] NOT NULL DEFAULT '{}',
  birth_date text,
  gender text,
  postcode text,
  registered_gp text,
  restricted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (superseded_by IS NULL OR superseded_by <> nhs_number)
);
CREATE INDEX person_demographics_by_name ON person_demographics (lower(family_name), birth_date);
CREATE INDEX person_demographics_by_gp ON person_demographics (registered_gp) WHERE registered_gp IS NOT NULL;
CREATE INDEX person_demographics_superseded ON person_demographics (superseded_by) WHERE superseded_by IS NOT NULL;

-- Every version ever retrieved: never updated, never deleted.
CREATE TABLE person_demographics_version (
  nhs_number text NOT NULL REFERENCES person_demographics (nhs_number),
  version integer NOT NULL CHECK (version > 0),
  source text NOT NULL CHECK (source IN ('pds', 'pds-stub', 'manual')),
  retrieved_at timestamptz NOT NULL,
  -- The source's own version of the record (PDS meta.versionId), when it gives one.
  source_version text,
  -- The demographics as mapped (src/demographics/person-demographics.ts); a restricted record's
  -- address, contacts and GP are never in it.
  demographics jsonb NOT NULL,
  PRIMARY KEY (nhs_number, version)
);
