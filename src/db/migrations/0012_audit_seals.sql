-- The audit log without a lock on the request path (src/audit/README.md, "Sealing").
--
-- Until now every append took one advisory lock for the whole cluster, read the chain's head and
-- linked to it, so every read and write of the platform waited for the previous one to commit.
-- From here on a row takes its position from a sequence and carries the hash of its own content
-- (format ucp-audit/2, without a link); a sealer running off the request path closes the
-- settled rows in batches: each seal holds the Merkle tree head (RFC 6962) of the rows in its
-- range, and the seals form a hash chain. A row changed, removed or inserted after it was sealed
-- changes its seal's tree head; `npm run audit:verify` recomputes every one.
--
-- Rows written before this migration keep their chain (prev_hash); the first seal covers them too.

-- Positions are taken, never handed back: a rolled-back append leaves a hole, which the seal
-- records (its row count and tree head cover exactly the rows that exist).
CREATE SEQUENCE audit_log_seq AS bigint MINVALUE 1;
SELECT setval('audit_log_seq', coalesce((SELECT max(seq) FROM audit_log), 0) + 1, false);

ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
DROP TRIGGER audit_log_extends_chain ON audit_log;
DROP FUNCTION audit_log_check_link();

CREATE TABLE audit_seal (
  -- Gapless: one sealer at a time (advisory lock) appends head + 1.
  seal_no bigint PRIMARY KEY CHECK (seal_no >= 1),
  -- The rows sealed: every audit_log row with from_seq <= seq <= to_seq; ranges follow each other.
  from_seq bigint NOT NULL CHECK (from_seq >= 1),
  to_seq bigint NOT NULL CHECK (to_seq >= from_seq),
  row_count integer NOT NULL CHECK (row_count >= 0),
  -- RFC 6962 Merkle tree head over the rows' hashes in seq order (SHA-256, hex).
  tree_head text NOT NULL CHECK (tree_head ~ '^[0-9a-f]{64}$'),
  sealed_at timestamptz NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE FUNCTION audit_seal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_seal is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER audit_seal_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_seal
  FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_refuse_change();

CREATE FUNCTION audit_seal_check_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head audit_seal%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_seal ORDER BY seal_no DESC LIMIT 1;
  IF NOT FOUND THEN
    IF NEW.seal_no <> 1 OR NEW.from_seq <> 1 OR NEW.prev_hash <> repeat('0', 64) THEN
      RAISE EXCEPTION 'audit_seal % does not start the seal chain', NEW.seal_no;
    END IF;
  ELSIF NEW.seal_no <> head.seal_no + 1 OR NEW.from_seq <> head.to_seq + 1 OR NEW.prev_hash <> head.hash THEN
    RAISE EXCEPTION 'audit_seal % does not extend the seal chain, whose head is seal %', NEW.seal_no, head.seal_no;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_seal_extends_chain
  BEFORE INSERT ON audit_seal
  FOR EACH ROW EXECUTE FUNCTION audit_seal_check_link();

-- A new row must be unlinked (format 2) and lie beyond every seal: nothing is slipped into a
-- range that was already sealed. One index probe per row; no lock.
CREATE FUNCTION audit_log_check_position() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sealed_to bigint;
BEGIN
  IF NEW.prev_hash IS NOT NULL THEN
    RAISE EXCEPTION 'audit_log row % names a previous hash: rows are sealed, not linked', NEW.seq;
  END IF;
  SELECT to_seq INTO sealed_to FROM audit_seal ORDER BY seal_no DESC LIMIT 1;
  IF FOUND AND NEW.seq <= sealed_to THEN
    RAISE EXCEPTION 'audit_log row % lies in a sealed range (sealed up to row %)', NEW.seq, sealed_to;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_outside_seals
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_check_position();
