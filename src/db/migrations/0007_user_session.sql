-- Web app sessions: one row per signed-in browser. Several servers share this table, so a
-- session signed out on one is ended on all. src/auth/sessions/README.md describes the rules.

CREATE TABLE user_session (
  -- SHA-256 (hex) of the random token in the cookie. The token itself is never stored: someone
  -- who reads this table cannot act as anyone. The CSRF token is derived from the cookie's token
  -- (HMAC), so it is not stored either and needs no column.
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  -- The organisation the user acts for in this session; the roles come from the membership,
  -- read afresh on every request.
  ods_code text NOT NULL REFERENCES organisation (ods_code) ON DELETE CASCADE,
  -- Times come from the application's clock (as the local accounts' do), not now(), so a
  -- session's timeline and the password change it is compared with share one clock.
  created_at timestamptz NOT NULL,
  -- Updated at most once a minute, to spare the database a write per request.
  last_seen_at timestamptz NOT NULL,
  idle_expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  -- local_credential.password_changed_at when the session began (NULL without a local account):
  -- any change since ends the session.
  password_changed_at timestamptz,
  -- For the person's own list of their sessions.
  client_address text CHECK (length(client_address) <= 100),
  user_agent text CHECK (length(user_agent) <= 512),
  -- The person in context when the session was launched from a trusted record system.
  launch_context_nhs_number text CHECK (launch_context_nhs_number ~ '^[0-9]{10}$'),
  -- The purpose of use declared at sign-in; NULL means the default for the roles. Checked by the
  -- application, so that adding a purpose needs no migration.
  purpose_of_use text,
  revoked_at timestamptz,
  revoked_reason text CHECK (
    revoked_reason IN ('signed-out', 'signed-out-everywhere', 'signed-in-again', 'ended-by-user', 'ended-by-administrator')
  ),
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL)),
  CHECK (idle_expires_at <= absolute_expires_at)
);
CREATE INDEX user_session_live_by_user ON user_session (user_id) WHERE revoked_at IS NULL;
-- For purging sessions long over.
CREATE INDEX user_session_by_absolute_expiry ON user_session (absolute_expires_at);
