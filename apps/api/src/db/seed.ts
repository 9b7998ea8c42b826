import type { Queryable } from './database.js';

/**
 * `count` deterministic orders in one statement: the same ids, customers, items and
 * statuses on every machine; `created_at` spread over the 90 days before now, newest
 * first by number. Prices are integer cents, and each total is the exact sum of its items.
 */
const SEED_SQL = `
WITH catalogue(n, sku, price_cents) AS (
  VALUES (0, 'TEA-OOLONG-250', 1250), (1, 'TEA-SENCHA-100', 890), (2, 'TEA-ASSAM-500', 1575),
         (3, 'CUP-PORCELAIN', 2400), (4, 'POT-CAST-IRON', 6499), (5, 'KETTLE-GOOSENECK', 4999),
         (6, 'FILTER-PAPER-100', 399), (7, 'SCALE-0-1G', 2995)
),
customers(n, name) AS (
  VALUES (0, 'Ada Lovelace'), (1, 'Grace Hopper'), (2, 'Alan Turing'), (3, 'Katherine Johnson'),
         (4, 'Edsger Dijkstra'), (5, 'Barbara Liskov'), (6, 'Donald Knuth'), (7, 'Margaret Hamilton'),
         (8, 'Linus Torvalds'), (9, 'Frances Allen'), (10, 'Tim Berners-Lee'), (11, 'Radia Perlman')
),
seed AS (
  SELECT i,
         -- A version-4 layout (version and variant nibbles set) so the contract's z.uuid() accepts it.
         overlay(overlay(md5('tandem-seed-order-' || i) PLACING '4' FROM 13)
                 PLACING substr('89ab', 1 + i % 4, 1) FROM 17)::uuid AS id,
         (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + (i * 7) % 5] AS status,
         date_trunc('milliseconds',
           now() - make_interval(secs => (i - 1) * (90 * 86400.0 / $1) + (i * 37) % 600)) AS created_at
  FROM generate_series(1, $1::int) AS i
)
INSERT INTO orders (id, customer, items, total_cents, status, created_at)
SELECT seed.id, c.name, lines.items, lines.total_cents, seed.status, seed.created_at
FROM seed
JOIN customers c ON c.n = seed.i % 12
CROSS JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_object('sku', p.sku, 'qty', line.qty, 'priceCents', p.price_cents) ORDER BY line.k) AS items,
         sum(line.qty * p.price_cents) AS total_cents
  FROM (SELECT k, 1 + (seed.i + k) % 4 AS qty, (seed.i * 3 + k * 5) % 8 AS product
        FROM generate_series(1, 1 + seed.i % 5) AS k) AS line
  JOIN catalogue p ON p.n = line.product
) AS lines
`;

/** Seeds `count` orders when the table is empty; returns how many it inserted. */
export async function seedOrders(db: Queryable, count: number): Promise<number> {
  if (count <= 0) return 0;
  const [existing] = await db.query<{ present: boolean }>(
    'seed.check',
    'SELECT EXISTS (SELECT 1 FROM orders) AS present',
  );
  if (existing?.present) return 0;
  await db.query('seed.insert', SEED_SQL, [count]);
  return count;
}
