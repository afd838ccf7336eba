-- Sign-in throttling shared by every server of an installation: failures counted per username
-- (whether or not such an account exists, so the answers cannot tell known names from unknown
-- ones) and per client address (so one address cannot try thousands of names). Keys are SHA-256
-- hashes: a username field sometimes holds a mistyped password, which must not be kept in clear.
-- src/auth/local/sign-in-throttle.ts describes the rules.
CREATE TABLE sign_in_throttle (
  key_hash text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  kind text NOT NULL CHECK (kind IN ('username', 'address')),
  failures integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL,
  blocked_until timestamptz
);
CREATE INDEX sign_in_throttle_by_window ON sign_in_throttle (window_started_at);
