-- The audit trail: every read and write of personal data, every sign-in, failure and denial.
-- It is append-only twice over: triggers here refuse UPDATE, DELETE and TRUNCATE and refuse a
-- row that does not extend the chain, so no application bug can rewrite history; and each row
-- holds the SHA-256 of its content chained to the previous row's hash, so that someone who can
-- switch the triggers off (the table's owner, a superuser) still cannot change history unseen.
-- src/audit/README.md describes the chain and how to verify it.

CREATE TABLE audit_log (
  -- Gapless: the appender takes the head's seq + 1 under an advisory lock. A sequence would
  -- leave gaps on rollback, and a gap must mean that a row was removed.
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  recorded_at timestamptz NOT NULL,
  action text NOT NULL CHECK (action IN (
    'read', 'create', 'update', 'delete', 'query',
    'sign-in', 'sign-in-failed', 'sign-out', 'access-denied', 'break-glass'
  )),
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  actor_id text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'client', 'system', 'anonymous')),
  actor_display_name text,
  roles text[] NOT NULL,
  ods_code text,
  purpose_of_use text,
  break_glass_reason text,
  -- Text, not inet: the hash covers the value exactly as the server saw it.
  client_address text,
  nhs_number text,
  ehr_id text,
  -- What was touched: e.g. COMPOSITION and a version uid, or ROUTE and a path.
  resource_type text,
  resource_id text,
  detail jsonb NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

-- The auditor's questions: by person, by user, by organisation, by time; newest first.
CREATE INDEX audit_log_by_person ON audit_log (nhs_number, seq) WHERE nhs_number IS NOT NULL;
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_by_organisation ON audit_log (ods_code, seq) WHERE ods_code IS NOT NULL;
CREATE INDEX audit_log_by_time ON audit_log (recorded_at);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING HINT = 'Audit records are never changed or removed; record a correction as a new entry.';
END;
$$;

-- Statement-level, so that even a statement that would touch no row is refused.
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE FUNCTION audit_log_check_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  SELECT seq, hash INTO head_seq, head_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  IF NEW.seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
    RAISE EXCEPTION 'audit_log row % does not extend the chain, whose head is row %', NEW.seq, head_seq;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_extends_chain
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_check_link();
