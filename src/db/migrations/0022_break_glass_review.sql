-- Break-glass follow-up: every break-glass access (an audit_log row with action 'break-glass') is
-- reviewed by an auditor of the organisation that broke the glass, once, with an outcome. The
-- review is itself audited; this table is what the review list is read from.
CREATE TABLE break_glass_review (
  -- No foreign key: audit_log refuses TRUNCATE by its own trigger, and a referencing table would
  -- make PostgreSQL refuse it first with a message that hides why. Rows are never deleted.
  audit_seq bigint PRIMARY KEY,
  outcome text NOT NULL CHECK (outcome IN ('justified', 'not-justified', 'referred')),
  note text NOT NULL CHECK (btrim(note) <> '' AND length(note) <= 2000),
  reviewed_by text NOT NULL,
  reviewer_ods text NOT NULL,
  reviewed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_break_glass ON audit_log (ods_code, seq) WHERE action = 'break-glass';
