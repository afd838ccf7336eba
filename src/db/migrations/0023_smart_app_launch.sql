-- The web app as a SMART app: a record system launches it with `iss` (its FHIR server) and
-- `launch`; the single sign-on that follows remembers the FHIR server, so that the callback reads
-- the person in context from there and nowhere else.
ALTER TABLE oidc_pending_login
  ADD COLUMN launch_fhir_base text CHECK (launch_fhir_base IS NULL OR launch_fhir_base ~ '^https?://' AND length(launch_fhir_base) <= 512);
