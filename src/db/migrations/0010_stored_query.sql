-- Stored AQL queries (openEHR ITS-REST Definition API): a qualified name (namespace::name) with
-- semantic versions; a version once stored never changes, a new one is stored beside it.
CREATE TABLE stored_query (
  name text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.-]+::[A-Za-z0-9_.-]+$'),
  major integer NOT NULL CHECK (major >= 0),
  minor integer NOT NULL CHECK (minor >= 0),
  patch integer NOT NULL CHECK (patch >= 0),
  query_type text NOT NULL DEFAULT 'AQL' CHECK (query_type = 'AQL'),
  q text NOT NULL,
  saved_by text NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, major, minor, patch)
);

-- The audit records the people each query returned one row per person, so a person's access
-- report (audit_log_by_person) lists the queries they appeared in; this finds a query's rows.
CREATE INDEX audit_log_by_query ON audit_log ((detail ->> 'queryId')) WHERE action = 'query';
