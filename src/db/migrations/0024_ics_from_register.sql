-- Integrated care systems are whatever the organisation register holds, not London's five (issue
-- #11): any region of England can take part. A system is still named, and named briefly.
ALTER TABLE organisation DROP CONSTRAINT organisation_ics_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_ics_named CHECK (ics <> '' AND length(ics) <= 100);
