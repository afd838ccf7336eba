-- Pathways as versioned data (issue #17): each version of a pathway definition, its review and
-- its clinical safety notes. A version's definition never changes once it leaves draft; rolling
-- back publishes an earlier definition again as a new version, so the list reads as what
-- happened. At most one version of a pathway is published: the one plans are written with.
CREATE TABLE pathway_version (
  id uuid PRIMARY KEY,
  pathway_key text NOT NULL CHECK (pathway_key ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(pathway_key) <= 64),
  version integer NOT NULL CHECK (version > 0),
  status text NOT NULL CHECK (status IN ('draft', 'review', 'published', 'retired')),
  definition jsonb NOT NULL,
  -- Hazards and controls, as docs/clinical-safety.md records them.
  safety_notes jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The version this one was copied from (a draft from a version, or a roll-back).
  based_on uuid REFERENCES pathway_version (id),
  author_id text NOT NULL,
  author_name text NOT NULL,
  -- The review: approved (may be published) or returned (goes back to draft with the note).
  review_outcome text CHECK (review_outcome IN ('approved', 'returned')),
  reviewer_id text,
  reviewer_name text,
  review_note text CHECK (length(review_note) <= 2000),
  reviewed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  published_at timestamptz,
  retired_at timestamptz,
  UNIQUE (pathway_key, version),
  -- Separation of duties, held by the database too: nobody approves their own version.
  CHECK (review_outcome IS DISTINCT FROM 'approved' OR reviewer_id <> author_id)
);
CREATE UNIQUE INDEX pathway_version_one_published ON pathway_version (pathway_key) WHERE status = 'published';
CREATE INDEX pathway_version_by_key ON pathway_version (pathway_key, version DESC);

-- A count of changes to what is published, read by every server: a server whose catalogue was
-- read under another count reads the published versions again (src/careplan/catalogue).
CREATE TABLE pathway_catalogue_generation (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL
);
INSERT INTO pathway_catalogue_generation (singleton, generation) VALUES (true, 0);
