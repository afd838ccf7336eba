-- Durable delivery from the transactional outbox (event_outbox): FHIR R4 Subscriptions, each with
-- its own cursor so a subscriber that is down holds back only itself, and named consumers (the
-- national record locator) with theirs. A cursor moves only after its event was handled, so
-- nothing is lost across restarts; a lease lets exactly one server work a cursor at a time.

CREATE TABLE fhir_subscription (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Who created it (user id or OAuth client id) and the organisation it acted for: the owner.
  owner_id text NOT NULL,
  owner_kind text NOT NULL CHECK (owner_kind IN ('user', 'client', 'system')),
  owner_ods text,
  -- The R4 criteria as given (Flag?patient:identifier=…), and the person it is limited to, if any.
  criteria text NOT NULL CHECK (criteria <> ''),
  resource_type text NOT NULL CHECK (resource_type IN ('Flag', 'CarePlan')),
  nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
  status_filter text[],
  channel_type text NOT NULL CHECK (channel_type IN ('rest-hook', 'websocket')),
  endpoint text CHECK ((channel_type = 'rest-hook') = (endpoint IS NOT NULL)),
  -- Extra headers to send with each notification (R4 channel.header), as "Name: value" lines.
  headers text[] NOT NULL DEFAULT '{}',
  -- Key of the HMAC-SHA256 signature of each rest-hook notification; stored in clear because
  -- signing needs it (encrypting it at rest is future work, as for signing keys).
  hmac_secret text,
  reason text NOT NULL CHECK (reason <> ''),
  status text NOT NULL CHECK (status IN ('active', 'error', 'off')),
  error text,
  end_time timestamptz,
  -- The outbox sequence number of the last event handled (delivered, or not matching).
  cursor_seq bigint NOT NULL,
  -- Notifications sent since the subscription started (R4 backport events-since-subscription-start).
  events_delivered bigint NOT NULL DEFAULT 0,
  failed_attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fhir_subscription_due ON fhir_subscription (next_attempt_at) WHERE status <> 'off';

CREATE TABLE outbox_consumer (
  name text PRIMARY KEY,
  cursor_seq bigint NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  lease_owner text,
  lease_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Pointers this platform keeps in the National Record Locator, one per person and document type.
CREATE TABLE nrl_pointer (
  nhs_number text NOT NULL CHECK (nhs_number ~ '^[0-9]{10}$'),
  type_code text NOT NULL,
  ehr_id uuid NOT NULL,
  pointer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('current', 'superseded', 'entered-in-error')),
  plan_version integer NOT NULL,
  -- The outbox event that last changed it: handling the same event twice changes nothing.
  event_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (nhs_number, type_code, pointer_id)
);

-- Every notification a subscription has sent or will send, numbered without gaps per subscription
-- (R4 backport event-number): a subscriber that missed some asks for them by number ($events),
-- and recognises a repeat by its number. One row per matching outbox event.
CREATE TABLE fhir_subscription_notification (
  subscription_id uuid NOT NULL REFERENCES fhir_subscription (id) ON DELETE CASCADE,
  event_number bigint NOT NULL,
  outbox_seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  focus text NOT NULL,
  delivered_at timestamptz,
  PRIMARY KEY (subscription_id, event_number),
  UNIQUE (subscription_id, outbox_seq)
);
