-- The display of a pointer's record type: a pathway's own type (its `recordType`) is not one of the
-- platform's fixed types, so the text is kept to supersede the pointer later without the pathway.
ALTER TABLE nrl_pointer ADD COLUMN type_display text;
