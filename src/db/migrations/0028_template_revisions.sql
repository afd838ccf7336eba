-- Template revisions (issue #17): who uploaded each revision of a template, and, for a revision
-- made by the template composer, the template description it was compiled from, so that the next
-- revision starts from it. Revisions uploaded before this migration name nobody.
ALTER TABLE template ADD COLUMN uploaded_by_id text;
ALTER TABLE template ADD COLUMN uploaded_by_name text;
ALTER TABLE template ADD COLUMN description jsonb;
