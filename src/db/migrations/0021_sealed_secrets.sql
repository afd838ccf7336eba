-- Secrets the server must use again are stored sealed (AES-256-GCM under the key-encryption key
-- from UCP_SECRETS_KEY or the data folder's key file; src/secrets/secret-box.ts), never in clear.
-- The checks are NOT VALID so that rows from before this migration may stay until the server
-- seals them at start-up (src/secrets/stored-secrets.ts); every row written from now on must be
-- sealed, so a server that would write a clear secret fails instead.

ALTER TABLE signing_key ADD CONSTRAINT signing_key_private_key_sealed CHECK (private_key_pem LIKE 'sealed:v1:%') NOT VALID;
COMMENT ON COLUMN signing_key.private_key_pem IS 'PKCS #8 PEM, sealed (sealed:v1:…) under the key-encryption key';

ALTER TABLE local_credential ADD CONSTRAINT local_credential_totp_sealed
  CHECK (totp_secret LIKE 'sealed:v1:%' AND totp_pending_secret LIKE 'sealed:v1:%') NOT VALID;
COMMENT ON COLUMN local_credential.totp_secret IS 'TOTP shared secret (base32), sealed under the key-encryption key';
COMMENT ON COLUMN local_credential.totp_pending_secret IS 'TOTP secret being enrolled (base32), sealed under the key-encryption key';

ALTER TABLE fhir_subscription ADD CONSTRAINT fhir_subscription_hmac_secret_sealed CHECK (hmac_secret LIKE 'sealed:v1:%') NOT VALID;
COMMENT ON COLUMN fhir_subscription.hmac_secret IS 'HMAC-SHA256 key of rest-hook notifications, sealed under the key-encryption key';
