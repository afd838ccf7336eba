-- Embedded forms (issue #17): a record system shows a published form of the platform inside its own
-- page. The origins whose pages may frame it are registered with the system (an empty list: it may
-- not embed), and each embedded launch starts a session of its own, limited to the one person it
-- was launched for, which the web app's ordinary session cookie never stands for.
ALTER TABLE registered_system ADD COLUMN frame_origins text[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(frame_origins) <= 20);

CREATE TABLE embedded_session (
  -- SHA-256 (hex) of the random token in the embedded session's cookie; the token is not stored.
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  ods_code text NOT NULL REFERENCES organisation (ods_code) ON DELETE CASCADE,
  -- The one person the session may read.
  nhs_number text NOT NULL CHECK (nhs_number ~ '^[0-9]{10}$'),
  -- The record system that launched it: its frame origins are the page's frame-ancestors.
  issuer text NOT NULL REFERENCES registered_system (issuer) ON DELETE CASCADE,
  role text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX embedded_session_expiry ON embedded_session (expires_at);
