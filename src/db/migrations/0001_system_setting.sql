-- Facts about this installation that every instance must agree on: its identity, whether it
-- holds demo data. One row per key.
CREATE TABLE system_setting (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
