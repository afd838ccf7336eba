-- Organisations that take part in the service: who they are, what kind of care they give, the
-- integrated care system they belong to, and whether they meet the data security standards
-- (only those that do may see plans).
CREATE TABLE organisation (
  ods_code text PRIMARY KEY CHECK (ods_code ~ '^[A-Z0-9]{3,10}$'),
  name text NOT NULL CHECK (name <> ''),
  kind text NOT NULL CHECK (kind IN ('gp-practice', 'ambulance-service', 'nhs-111', 'out-of-hours-gp', 'acute-trust',
    'community-trust', 'hospice', 'care-home', 'local-authority')),
  ics text NOT NULL CHECK (ics IN ('North Central London', 'North East London', 'North West London',
    'South East London', 'South West London')),
  data_security_status text NOT NULL CHECK (data_security_status IN ('standards-met', 'approaching-standards',
    'standards-not-met')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_by_ics ON organisation (ics);
