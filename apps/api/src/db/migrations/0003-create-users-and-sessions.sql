-- Accounts and their sessions (docs/decisions/0013-password-hashing-and-sessions.md).
-- One account per e-mail whatever its case: the unique index is on lower(email), and the
-- API stores e-mails lower-cased already. password_hash is the whole scrypt string
-- (`scrypt$ln=…,r=…,p=…$salt$hash`), parameters included, so they can change later.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email));

-- A session is a row: revoking one is a DELETE, seen by its very next request. `id` is the
-- SHA-256 (hex) of the cookie's random token, so a leak of this table opens no session.
-- The expiry rolls: each use moves expires_at forward (at most once a minute: last_seen_at).
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Every order belongs to an account. Orders from before accounts (and the seeded demo
-- orders until a demo user adopts them) have none: only an admin sees those.
ALTER TABLE orders ADD COLUMN owner_id uuid REFERENCES users (id) ON DELETE SET NULL;

-- A user's list: their orders, newest first, read as a keyset range like the whole list.
CREATE INDEX orders_owner_created_at_id_idx ON orders (owner_id, created_at DESC, id DESC);
