-- Single sign-on (src/auth/oidc/README.md): an OpenID Connect authorisation request in flight,
-- from the redirect to the identity provider until its callback. Kept in the database, not in
-- memory, so that the callback may reach any of several servers. A row is taken (deleted) by
-- the first callback that names its state, so a replayed callback finds nothing.
CREATE TABLE oidc_pending_login (
  -- From openid-client's randomState(): 32 random bytes, base64url.
  state text PRIMARY KEY CHECK (length(state) BETWEEN 22 AND 128),
  -- The configured provider id; the callback must arrive for the same one.
  provider text NOT NULL CHECK (provider ~ '^[a-z0-9-]{1,32}$'),
  -- The PKCE verifier and the ID token nonce. Secret, but only for the few minutes until
  -- expires_at, and useless without the authorisation code the browser carries.
  code_verifier text NOT NULL CHECK (code_verifier <> ''),
  nonce text NOT NULL CHECK (nonce <> ''),
  -- SHA-256 (hex) of a random value in a cookie of the browser that started the sign-in: a
  -- callback URL carried to another browser (login CSRF) is refused.
  browser_binding_hash text NOT NULL CHECK (browser_binding_hash ~ '^[0-9a-f]{64}$'),
  -- Where the web app wanted to go after signing in: a path on this server.
  return_to text NOT NULL CHECK (left(return_to, 1) = '/'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_pending_login_expiry ON oidc_pending_login (expires_at);
