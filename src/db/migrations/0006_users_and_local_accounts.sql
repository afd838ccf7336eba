-- People who use the platform, the organisations they act for (with a role in each), local
-- accounts (username and password, optional TOTP) as the fallback to single sign-on, and the
-- links to external identity providers. src/users/README.md describes the rules.

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name text NOT NULL CHECK (btrim(display_name) <> ''),
  email text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND length(email) <= 254),
  -- GMC, NMC, HCPC … number, as the person gives it; not checked against any register here.
  professional_registration_id text CHECK (btrim(professional_registration_id) <> ''),
  -- Only for a person who reads their own plan (role `patient`); ten digits, no spaces.
  nhs_number text UNIQUE CHECK (nhs_number ~ '^[0-9]{10}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Users are disabled, never deleted: the audit trail names them.
  disabled_at timestamptz
);
CREATE UNIQUE INDEX app_user_email ON app_user (lower(email));

CREATE TABLE membership (
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  ods_code text NOT NULL REFERENCES organisation (ods_code),
  -- Names from src/access/roles.ts, checked by the application so that adding a role needs no
  -- migration.
  roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND array_position(roles, NULL) IS NULL),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, ods_code)
);
CREATE INDEX membership_by_organisation ON membership (ods_code);

CREATE TABLE local_credential (
  user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
  -- ASCII only, so that lower() here and toLowerCase() in the application agree in any locale.
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9._@+''-]{3,254}$'),
  -- scrypt in one self-describing string, 'scrypt$N$r$p$salt$hash' (src/auth/tokens/client-secrets.ts),
  -- so the cost can be raised later without invalidating passwords hashed before.
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL,
  -- Set by an org-admin's reset: the temporary password only lets the person choose a new one.
  must_change_password boolean NOT NULL DEFAULT false,
  -- Consecutive failures since the last success; drives the lock-out back-off.
  failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until timestamptz,
  -- TOTP shared secrets, base32 (RFC 4648), stored in clear because verifying needs them.
  -- Encrypting them at rest is future work, as for signing keys.
  totp_secret text,
  -- A secret being enrolled; it replaces totp_secret only once a code from it is confirmed, so an
  -- abandoned enrolment never locks anyone out.
  totp_pending_secret text,
  -- The last 30-second step whose code was accepted: a code for it or an earlier step is a replay.
  totp_last_used_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX local_credential_username ON local_credential (lower(username));

-- Single sign-on (later): the subject an identity provider asserts, linked to one user.
CREATE TABLE external_identity (
  provider text NOT NULL CHECK (provider <> ''),
  subject text NOT NULL CHECK (subject <> ''),
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, subject)
);
CREATE INDEX external_identity_by_user ON external_identity (user_id);
