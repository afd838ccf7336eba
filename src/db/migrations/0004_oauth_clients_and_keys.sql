-- Machine clients (OAuth 2.0 client credentials) and the keys that sign their access tokens.
-- Every server of an installation reads both tables, so a token issued by one is accepted by all.

CREATE TABLE oauth_client (
  client_id text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._~-]{1,128}$'),
  name text NOT NULL,
  -- scrypt hash in one self-describing string, 'scrypt$N$r$p$salt$hash' (salt and hash base64url),
  -- so the cost can be raised later without invalidating secrets hashed before.
  secret_hash text NOT NULL,
  allowed_scopes text[] NOT NULL DEFAULT '{}',
  -- Roles the client acts with (src/access/roles.ts); its tokens carry them.
  roles text[] NOT NULL DEFAULT '{}',
  -- The organisation the client acts for; NULL for platform-wide clients.
  organisation_ods_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE signing_key (
  -- RFC 7638 thumbprint of the public key, so the same key always has the same id.
  kid text PRIMARY KEY,
  algorithm text NOT NULL CHECK (algorithm IN ('ES256')),
  public_jwk jsonb NOT NULL,
  -- PKCS #8 PEM, stored in clear. Encrypting it at rest (a key-encryption key outside the
  -- database, or a KMS) is future work; until then the database's own protection covers it.
  private_key_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A retired key neither signs nor appears in the JWKS, so tokens it signed stop verifying.
  retired_at timestamptz
);
CREATE INDEX signing_key_current ON signing_key (algorithm, created_at DESC) WHERE retired_at IS NULL;
