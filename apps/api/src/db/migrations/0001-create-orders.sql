-- Orders. Money is integer cents (items[].priceCents, total_cents) so sums are exact.
-- created_at is truncated to milliseconds: the keyset cursor carries a JavaScript Date,
-- and a microsecond the cursor cannot express would repeat or skip rows across pages.
CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer text NOT NULL,
  items jsonb NOT NULL,
  total_cents bigint NOT NULL CHECK (total_cents >= 0),
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

-- Serves the list: newest first, ties broken by id, read as a keyset range.
CREATE INDEX orders_created_at_id_idx ON orders (created_at DESC, id DESC);
