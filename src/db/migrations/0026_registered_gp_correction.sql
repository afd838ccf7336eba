-- A wrong registered GP, corrected: the national demographics service (PDS) named a practice the
-- person is not registered with, so that practice had their record and the right one did not.
-- The correction is a new demographics version (source 'manual') and a row here saying who
-- corrected which practice to which, and why. Nothing is edited or deleted: the PDS version stays.
-- A correction stands while PDS still names the practice it corrected; once PDS names another,
-- PDS is followed again and the correction is marked lapsed (the registration was fixed at source).
CREATE TABLE registered_gp_correction (
  id bigserial PRIMARY KEY,
  nhs_number text NOT NULL REFERENCES person_demographics (nhs_number),
  -- The practice PDS named (null: none) and the one the person is registered with.
  corrected_from text,
  corrected_to text NOT NULL REFERENCES organisation (ods_code),
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 10 AND 1000),
  corrected_by_id text NOT NULL,
  corrected_by_name text NOT NULL,
  corrected_by_ods text,
  corrected_at timestamptz NOT NULL DEFAULT now(),
  -- The demographics version the correction made.
  version integer NOT NULL,
  lapsed_at timestamptz,
  CHECK (corrected_from IS DISTINCT FROM corrected_to)
);
-- At most one correction in force per person.
CREATE UNIQUE INDEX registered_gp_correction_in_force ON registered_gp_correction (nhs_number) WHERE lapsed_at IS NULL;

-- The registered-GP relationship a correction gives says so (who, why), like every membership.
ALTER TABLE person_relationship DROP CONSTRAINT person_relationship_basis_check;
ALTER TABLE person_relationship ADD CONSTRAINT person_relationship_basis_check
  CHECK (basis IN ('recorded-before-earned-membership', 'demographics', 'added-by-member', 'declared', 'system', 'corrected'));
