-- The openEHR clinical data repository: EHRs, versioned objects (compositions, EHR_STATUS,
-- folders), their versions, contributions, templates, and the event outbox.
--
-- Versions keep their canonical JSON in one jsonb column (fast document reads; PostgreSQL
-- compresses large values), with the columns AQL needs to narrow the search before it touches a
-- document: the EHR, the type, the template, every archetype the document contains, and
-- whether the version is the latest.

CREATE TABLE ehr (
  ehr_id uuid PRIMARY KEY,
  system_id text NOT NULL,
  time_created timestamptz NOT NULL,
  -- The subject's external reference, copied from the current EHR_STATUS so that finding the
  -- EHR of a person (GET /ehr?subject_id=…&subject_namespace=…) is one unique-index look-up.
  subject_namespace text,
  subject_id text,
  is_queryable boolean NOT NULL DEFAULT true,
  is_modifiable boolean NOT NULL DEFAULT true,
  ehr_status_uid uuid NOT NULL,
  directory_uid uuid
);
CREATE UNIQUE INDEX ehr_subject_key ON ehr (subject_namespace, subject_id) WHERE subject_id IS NOT NULL;

CREATE TABLE contribution (
  contribution_id uuid PRIMARY KEY,
  ehr_id uuid NOT NULL REFERENCES ehr (ehr_id),
  system_id text NOT NULL,
  time_committed timestamptz NOT NULL,
  change_type text NOT NULL,
  committer jsonb NOT NULL,
  description text
);
CREATE INDEX contribution_by_ehr ON contribution (ehr_id, time_committed);

CREATE TABLE versioned_object (
  uid uuid PRIMARY KEY,
  ehr_id uuid NOT NULL REFERENCES ehr (ehr_id),
  object_type text NOT NULL CHECK (object_type IN ('COMPOSITION', 'EHR_STATUS', 'FOLDER')),
  system_id text NOT NULL,
  time_created timestamptz NOT NULL,
  latest_version integer NOT NULL CHECK (latest_version >= 1)
);
CREATE INDEX versioned_object_by_ehr ON versioned_object (ehr_id, object_type);

CREATE TABLE object_version (
  uid uuid NOT NULL REFERENCES versioned_object (uid),
  version integer NOT NULL CHECK (version >= 1),
  ehr_id uuid NOT NULL REFERENCES ehr (ehr_id),
  object_type text NOT NULL,
  contribution_id uuid NOT NULL REFERENCES contribution (contribution_id),
  time_committed timestamptz NOT NULL,
  -- openEHR audit change type (terminology group "audit change type"), e.g. creation, modification, deleted.
  change_type text NOT NULL,
  -- openEHR version lifecycle state: complete, incomplete or deleted.
  lifecycle_state text NOT NULL CHECK (lifecycle_state IN ('complete', 'incomplete', 'deleted')),
  committer jsonb NOT NULL,
  description text,
  template_id text,
  template_version integer,
  archetype_node_id text,
  archetypes text[] NOT NULL DEFAULT '{}',
  is_latest boolean NOT NULL,
  -- Canonical JSON of the object; NULL for a deleted version.
  data jsonb,
  PRIMARY KEY (uid, version)
);
CREATE INDEX object_version_latest_by_ehr ON object_version (ehr_id, object_type) WHERE is_latest;
CREATE INDEX object_version_latest_by_template ON object_version (template_id) WHERE is_latest;
CREATE INDEX object_version_archetypes ON object_version USING gin (archetypes);
CREATE INDEX object_version_by_time ON object_version (uid, time_committed);
CREATE INDEX object_version_by_contribution ON object_version (contribution_id);

CREATE TABLE template (
  template_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  template_uid text,
  concept text NOT NULL,
  archetype_id text NOT NULL,
  opt_xml text NOT NULL,
  web_template jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  is_current boolean NOT NULL,
  PRIMARY KEY (template_id, version)
);
CREATE UNIQUE INDEX template_current ON template (template_id) WHERE is_current;

-- Transactional outbox: written in the same transaction as the change it announces, numbered
-- by a sequence, so that listeners can resume from the last number they saw without gaps.
CREATE TABLE event_outbox (
  seq bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  topic text NOT NULL,
  payload jsonb NOT NULL
);
