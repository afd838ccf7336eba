-- Drafts of one's own (issue #11's drafts per author): a professional working on a plan apart from
-- its shared draft, or the person proposing a change to their own plan. A draft holds only what its
-- author changed (a merge patch per section) over what they started from (the section as they read
-- it), so merging it into the plan is field by field, and a draft is never deleted to make room for
-- another: merged, withdrawn or declined drafts stay, with who did it and why.
CREATE TABLE care_plan_personal_draft (
  draft_id uuid PRIMARY KEY,
  ehr_id uuid NOT NULL REFERENCES care_plan (ehr_id),
  -- The user's id: one open draft per author and plan.
  author_id text NOT NULL,
  -- {"id", "name", "odsCode", "organisation"}: as the plan's revisions name actors
  author jsonb NOT NULL,
  -- True when the person whose plan it is wrote it: a professional merges it, or declines it.
  by_person boolean NOT NULL,
  -- open (being written) → proposed (the person's, waiting for a professional) → merged | declined; withdrawn by its author
  state text NOT NULL CHECK (state IN ('open', 'proposed', 'merged', 'withdrawn', 'declined')),
  -- {"<module id>": {"revision": <plan revision read>, "flat": {…}}}: each section as its author started from it
  base jsonb NOT NULL DEFAULT '{}',
  -- {"<module id>": {<FLAT key>: value | null}}: what the author changed, one change per field
  changes jsonb NOT NULL DEFAULT '{}',
  -- The proposer's message to whoever merges it.
  note text,
  -- {"by": actor, "at", "revision", "reason"}: how it ended
  outcome jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX care_plan_personal_draft_one_open ON care_plan_personal_draft (ehr_id, author_id) WHERE state IN ('open', 'proposed');
CREATE INDEX care_plan_personal_draft_proposed ON care_plan_personal_draft (updated_at) WHERE state = 'proposed';
