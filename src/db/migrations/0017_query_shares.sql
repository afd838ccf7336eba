-- Fair shares of query work, held in the database every server shares, so that the limits hold
-- across instances: the queries each caller and each organisation is running now (a lease that
-- expires if its server dies mid-query), and the query time each has used in the current minute.
-- src/openehr/service/query-shares.ts describes the rules.
CREATE TABLE query_lease (
  id uuid PRIMARY KEY,
  caller_key text NOT NULL,
  organisation_key text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX query_lease_by_caller ON query_lease (caller_key);
CREATE INDEX query_lease_by_organisation ON query_lease (organisation_key);

CREATE TABLE query_work (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  used_ms bigint NOT NULL CHECK (used_ms >= 0),
  PRIMARY KEY (key, window_start)
);
