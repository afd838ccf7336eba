-- Privileged roles (decision-maker, auditor, administrator) are granted by two people: one asks,
-- another decides. A request waits here until a second administrator of the organisation, or a
-- platform administrator of another organisation, approves or refuses it. src/users/role-grants.ts
-- states the rules; every request and decision is also in the audit trail.
CREATE TABLE role_grant (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  ods_code text NOT NULL REFERENCES organisation (ods_code),
  role text NOT NULL,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  outcome text CHECK (outcome IN ('approved', 'refused')),
  CHECK ((decided_at IS NULL) = (outcome IS NULL) AND (decided_by IS NULL) = (outcome IS NULL))
);
-- One open request per person, organisation and role.
CREATE UNIQUE INDEX role_grant_open ON role_grant (user_id, ods_code, role) WHERE outcome IS NULL;
CREATE INDEX role_grant_by_organisation ON role_grant (ods_code, requested_at) WHERE outcome IS NULL;
