-- Care-team membership is earned by an explicit act, never a side effect of writing: each
-- membership says how it came about (the registered GP from demographics, a member adding an
-- organisation, an organisation declaring a legitimate relationship), who did it and why, so the
-- person and the auditors can see it. Rows from before this migration were side effects of
-- starting or publishing a plan; they are kept, marked as such.
ALTER TABLE person_relationship
  ADD COLUMN basis text NOT NULL DEFAULT 'recorded-before-earned-membership'
    CHECK (basis IN ('recorded-before-earned-membership', 'demographics', 'added-by-member', 'declared', 'system')),
  ADD COLUMN added_by text,
  ADD COLUMN reason text;

-- A declared relationship is audited like break-glass, so auditors can follow it up.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
  'read', 'create', 'update', 'delete', 'query',
  'sign-in', 'sign-in-failed', 'sign-out', 'access-denied', 'break-glass', 'relationship-declared'
));
