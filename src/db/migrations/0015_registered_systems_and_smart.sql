-- Record systems that call the platform with their own signed JWTs (CDS Hooks, contextual
-- launch), the JWT ids already used (replay protection), and the SMART App Launch clients and
-- authorization state of the platform's own authorization server.

CREATE TABLE registered_system (
  -- The `iss` of its JWTs (CDS Hooks: the client id; contextual launch: the system's URL or name).
  issuer text PRIMARY KEY CHECK (issuer <> '' AND length(issuer) <= 512),
  name text NOT NULL CHECK (btrim(name) <> ''),
  -- Where its public keys are published; fetched and cached, never copied here.
  jwks_url text NOT NULL CHECK (jwks_url ~ '^https?://'),
  -- The organisation it acts for (a GP system at a practice, an ambulance dispatch system …).
  ods_code text REFERENCES organisation (ods_code),
  -- What it may do: call CDS services, launch users into the web app in context.
  purposes text[] NOT NULL CHECK (purposes <@ ARRAY['cds-hooks', 'contextual-launch']::text[] AND cardinality(purposes) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- A JWT id seen once is refused again until the token would have expired anyway.
CREATE TABLE used_jwt (
  issuer text NOT NULL,
  jti text NOT NULL CHECK (length(jti) <= 256),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (issuer, jti)
);
CREATE INDEX used_jwt_expiry ON used_jwt (expires_at);

-- SMART App Launch clients of the platform's authorization server.
CREATE TABLE smart_client (
  client_id text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._~-]{1,128}$'),
  name text NOT NULL CHECK (btrim(name) <> ''),
  redirect_uris text[] NOT NULL CHECK (cardinality(redirect_uris) > 0),
  -- The SMART scopes it may ask for (patient/*.rs, user/*.rs, launch, launch/patient, openid, fhirUser, offline_access …).
  scopes text[] NOT NULL,
  -- Public clients (apps in a browser) use PKCE alone; confidential ones also a private key JWT.
  token_endpoint_auth_method text NOT NULL CHECK (token_endpoint_auth_method IN ('none', 'private_key_jwt')),
  -- Where an EHR launch sends the browser (with iss and launch); absent for standalone-only apps.
  launch_url text CHECK (launch_url ~ '^https?://'),
  jwks_url text CHECK ((token_endpoint_auth_method = 'private_key_jwt') = (jwks_url IS NOT NULL)),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- The authorization server's state (oidc-provider models: sessions, interactions, grants, codes,
-- tokens), shared by every server and kept across restarts until it expires.
CREATE TABLE smart_oidc_state (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX smart_oidc_state_grant ON smart_oidc_state (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX smart_oidc_state_uid ON smart_oidc_state (uid) WHERE uid IS NOT NULL;

-- EHR launches this platform started for a SMART app: who launched, for whom, in which organisation.
CREATE TABLE smart_launch (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  ods_code text NOT NULL REFERENCES organisation (ods_code),
  nhs_number text NOT NULL CHECK (nhs_number ~ '^[0-9]{10}$'),
  expires_at timestamptz NOT NULL
);
