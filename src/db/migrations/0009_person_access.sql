-- Who may see a person's plan without breaking the glass, and whether the person allows sharing.
-- Projections kept current from the care plan's own compositions (care team, registered GP,
-- consent to share); the compositions stay the record.
CREATE TABLE person_relationship (
  nhs_number text NOT NULL,
  ods_code text NOT NULL REFERENCES organisation (ods_code),
  kind text NOT NULL CHECK (kind IN ('care-team', 'registered-gp')),
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (nhs_number, ods_code, kind)
);

CREATE TABLE person_consent (
  nhs_number text PRIMARY KEY,
  consent_to_share boolean NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
