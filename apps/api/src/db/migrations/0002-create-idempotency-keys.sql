-- Idempotency keys of order creates. A create with a key inserts its row here first, in
-- the same transaction as the order: a second request with the same key waits on that
-- row (the primary key) until the first commits, then replays `response` instead of
-- storing a second order. `request_hash` is the SHA-256 of the canonical request body;
-- the same key with another hash is refused. Rows older than IDEMPOTENCY_KEY_TTL_MS
-- (24 h) are expired: taken over by a new request with that key, and deleted a few at
-- a time by later keyed writes.
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  order_id uuid REFERENCES orders (id) ON DELETE CASCADE,
  -- The first answer's data (the order as created, wire form), so a replay repeats it
  -- even after the order moved on.
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
