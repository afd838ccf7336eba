-- Signing keys rotate with overlap (src/auth/tokens/README.md, "Rotation"): a new key is
-- published before it signs (activates_at in the future), and a key it replaces keeps verifying
-- until tokens it signed have expired (retired_at, now also set in the future).

ALTER TABLE signing_key ADD COLUMN activates_at timestamptz;
UPDATE signing_key SET activates_at = created_at;
ALTER TABLE signing_key ALTER COLUMN activates_at SET NOT NULL, ALTER COLUMN activates_at SET DEFAULT now();
COMMENT ON COLUMN signing_key.retired_at IS 'From this time the key neither signs nor verifies; set in the future when a successor is introduced';

DROP INDEX signing_key_current;
CREATE INDEX signing_key_by_activation ON signing_key (algorithm, activates_at DESC);
