-- The urgent care plan: projections of a person's plan for speed. The plan itself is openEHR
-- compositions in the person's EHR (a header and one composition per module); these tables point
-- at them and keep what every reader needs first, so no request has to assemble it.

-- One row per person, never two: the unique key on the person is what refuses a second plan.
CREATE TABLE care_plan (
  ehr_id uuid PRIMARY KEY REFERENCES ehr (ehr_id),
  nhs_number text NOT NULL UNIQUE,
  -- draft | awaiting-approval (never yet published), published, closed (death), deleted (logical)
  status text NOT NULL CHECK (status IN ('draft', 'awaiting-approval', 'published', 'closed', 'deleted')),
  -- The open draft of a published plan, if any: editing or awaiting-approval.
  draft_state text CHECK (draft_state IN ('editing', 'awaiting-approval')),
  pathways text[] NOT NULL DEFAULT '{}',
  -- Pathways the open draft will have once published.
  draft_pathways text[] NOT NULL DEFAULT '{}',
  -- Every write raises it: the ETag writers send back in If-Match.
  revision integer NOT NULL DEFAULT 1,
  -- Published plan versions: 0 until first published.
  plan_version integer NOT NULL DEFAULT 0,
  -- {"<module id>": {"published": "<composition uid>", "draft": "<composition uid>"}}
  modules jsonb NOT NULL DEFAULT '{}',
  header_id uuid,
  draft_header_id uuid,
  review_date date,
  draft_review_date date,
  change_summary text,
  author_ods text,
  approver_ods text,
  approved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_plan_review_due ON care_plan (review_date) WHERE status = 'published';
CREATE INDEX care_plan_by_author ON care_plan (author_ods);
CREATE INDEX care_plan_by_approver ON care_plan (approver_ods);

-- Every revision of the plan: which version of each module composition (and of the header) it
-- consisted of, who made it and why. Published revisions carry the plan version number. History,
-- diffs and "what changed since the version you edited" are answered from here and the versions.
CREATE TABLE care_plan_revision (
  ehr_id uuid NOT NULL REFERENCES care_plan (ehr_id),
  revision integer NOT NULL,
  plan_version integer,
  event text NOT NULL,
  status text NOT NULL,
  -- {"<module id>": "<version uid>"}: the content a reader of this revision saw
  modules jsonb NOT NULL,
  header_version_uid text,
  header jsonb NOT NULL,
  actor jsonb NOT NULL,
  change_summary text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ehr_id, revision)
);
CREATE UNIQUE INDEX care_plan_revision_plan_version ON care_plan_revision (ehr_id, plan_version) WHERE plan_version IS NOT NULL;

-- What an ambulance crew sees first, derived from the published compositions on every publish
-- (and on death or deletion); read in one round trip.
CREATE TABLE care_plan_summary (
  ehr_id uuid PRIMARY KEY REFERENCES care_plan (ehr_id),
  summary jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
