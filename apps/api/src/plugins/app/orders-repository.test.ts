import { createHash } from 'node:crypto';
import { ORDER_STATUSES, Order, toCents, type User } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, openTestDatabase, type TestDatabase } from '../../../test/databases.js';
import { TEMPLATE_SEED_ORDERS } from '../../../test/pglite-template.js';
import type { Queryable } from '../../db/database.js';
import { seedOrders } from '../../db/seed.js';
import { createOrdersRepository, type OrdersDatabase, type OrdersRepository } from './orders-repository.js';
import { createUsersRepository } from './users-repository.js';

/** The id the seed gives order number `i`: md5 laid out as a version-4 UUID. */
function seededId(i: number): string {
  const hex = createHash('md5').update(`tandem-seed-order-${i}`).digest('hex').split('');
  hex[12] = '4';
  hex[16] = '89ab'[i % 4] as string;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Pages through everything with `limit`, returning the orders in the order received. */
async function walk(repository: OrdersRepository, limit: number): Promise<{ orders: Order[]; pages: number }> {
  const orders: Order[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const position = cursor ? decodeCursor(cursor) : undefined;
    const page = await repository.list({ limit, cursor: position }, null);
    orders.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { orders, pages };
}

function decodeCursor(wire: string) {
  const json = JSON.parse(Buffer.from(wire, 'base64url').toString('utf8')) as { createdAt: string; id: string };
  return { createdAt: new Date(json.createdAt), id: json.id };
}

describe.each<DatabaseKind>(['pglite', 'postgres'])('orders repository on %s', (kind) => {
  let test: TestDatabase;
  let repository: OrdersRepository;
  /** Every order a test creates belongs to this user; reads ask for any owner's (null) unless they test ownership. */
  let owner: User;

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    // The PGlite template is already seeded; a fresh PostgreSQL database is not.
    await seedOrders(test.db, TEMPLATE_SEED_ORDERS);
    repository = createOrdersRepository(test.db);
    owner = (await createUsersRepository(test.db).create({
      email: `owner-${kind}@tandem.test`,
      passwordHash: 'x',
      role: 'user',
    })) as User;
  });
  afterAll(async () => {
    await test?.dispose();
  });

  const count = async () =>
    Number((await test.db.query<{ n: number | string }>('test.count', 'SELECT count(*) AS n FROM orders'))[0]?.n);

  describe('seed', () => {
    it('inserted the requested number of orders, and seeds nothing into a non-empty table', async () => {
      expect(await count()).toBe(TEMPLATE_SEED_ORDERS);
      expect(await seedOrders(test.db, 500)).toBe(0);
      expect(await count()).toBe(TEMPLATE_SEED_ORDERS);
    });

    it('is deterministic: the same ids on every machine and engine', async () => {
      expect(await repository.get(seededId(1), null)).toMatchObject({ id: seededId(1) });
      expect(await repository.get(seededId(TEMPLATE_SEED_ORDERS), null)).toMatchObject({
        id: seededId(TEMPLATE_SEED_ORDERS),
      });
    });

    it('gives valid orders: 1–5 items, mixed statuses, exact totals, dates in the past 90 days', async () => {
      const { orders } = await walk(repository, 100);
      const now = Date.now();
      for (const order of orders) {
        expect(() => Order.encode(order)).not.toThrow();
        expect(order.items.length).toBeGreaterThanOrEqual(1);
        expect(order.items.length).toBeLessThanOrEqual(5);
        const cents = order.items.reduce((sum, item) => sum + item.qty * toCents(item.price), 0);
        expect(toCents(order.total)).toBe(cents);
        expect(order.createdAt.getTime()).toBeLessThanOrEqual(now);
        expect(order.createdAt.getTime()).toBeGreaterThan(now - 91 * 86_400_000);
      }
      expect(new Set(orders.map((order) => order.status)).size).toBe(ORDER_STATUSES.length);
    });
  });

  describe('keyset pagination', () => {
    it('returns every order exactly once, newest first, whatever the page size', async () => {
      const all = await walk(repository, 100);
      for (const limit of [1, 7, 60]) {
        const { orders, pages } = await walk(repository, limit);
        expect(orders.map((order) => order.id)).toEqual(all.orders.map((order) => order.id));
        expect(pages).toBe(Math.max(1, Math.ceil(orders.length / limit)));
      }
      const keys = all.orders.map((order) => [order.createdAt.getTime(), order.id] as const);
      for (let i = 1; i < keys.length; i++) {
        const [previous, current] = [keys[i - 1], keys[i]];
        if (!previous || !current) continue;
        expect(previous[0] > current[0] || (previous[0] === current[0] && previous[1] > current[1])).toBe(true);
      }
    });

    it('ends with a null cursor exactly on the last page', async () => {
      const total = await count();
      const lastFull = await repository.list({ limit: total }, null);
      expect(lastFull.items).toHaveLength(total);
      expect(lastFull.nextCursor).toBeNull();
      const almost = await repository.list({ limit: total - 1 }, null);
      expect(almost.nextCursor).not.toBeNull();
    });

    it('is stable when orders share a timestamp (ties broken by id) and when new orders arrive', async () => {
      const firstPage = await repository.list({ limit: 5 }, null);
      // One transaction: now() is the same for all five, so they tie on created_at.
      const tied = await test.db.transaction(async (tx) => {
        const inTx = createOrdersRepository(tx);
        const created: Order[] = [];
        for (let i = 0; i < 5; i++) {
          created.push(
            await inTx.create({ customer: `Tie ${i}`, items: [{ sku: 'TIE-0001', qty: 1, price: 1 }] }, owner.id),
          );
        }
        return created;
      });
      expect(new Set(tied.map((order) => order.createdAt.getTime())).size).toBe(1);

      // Continuing from a cursor taken before the inserts neither repeats nor skips.
      const cursor = firstPage.nextCursor ? decodeCursor(firstPage.nextCursor) : undefined;
      const rest: Order[] = [];
      let page = await repository.list({ limit: 4, cursor }, null);
      rest.push(...page.items);
      while (page.nextCursor) {
        page = await repository.list({ limit: 4, cursor: decodeCursor(page.nextCursor) }, null);
        rest.push(...page.items);
      }
      const ids = [...firstPage.items, ...rest].map((order) => order.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe((await count()) - tied.length);

      // And the tied orders themselves page one by one without loss.
      const { orders } = await walk(repository, 2);
      expect(orders.filter((order) => order.customer.startsWith('Tie ')).map((order) => order.id)).toEqual(
        tied
          .map((order) => order.id)
          .sort()
          .reverse(),
      );
    });
  });

  describe('owners', () => {
    it("keeps each user's orders to that user: another owner's order is not found, nor listed, nor changed", async () => {
      const users = createUsersRepository(test.db);
      const other = (await users.create({
        email: `other-${kind}@tandem.test`,
        passwordHash: 'x',
        role: 'user',
      })) as User;
      const mine = await repository.create(
        { customer: 'Mine', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] },
        owner.id,
      );
      const theirs = await repository.create(
        { customer: 'Theirs', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] },
        other.id,
      );

      expect(await repository.get(theirs.id, owner.id)).toBeNull();
      expect(await repository.get(mine.id, owner.id)).toMatchObject({ id: mine.id });
      expect(await repository.get(theirs.id, null)).toMatchObject({ id: theirs.id });
      expect((await repository.findMany([mine.id, theirs.id], owner.id)).missing).toEqual([theirs.id]);
      const listed = (await repository.list({ limit: 100 }, other.id)).items.map((order) => order.id);
      expect(listed).toEqual([theirs.id]);
      expect(await repository.updateStatus(theirs.id, 'paid', owner.id)).toEqual({ outcome: 'not_found' });
      expect(await repository.get(theirs.id, null)).toMatchObject({ status: 'pending' });
    });

    it("answers another user's Idempotency-Key as reused, never with that user's order", async () => {
      const users = createUsersRepository(test.db);
      const other = (await users.create({
        email: `keys-${kind}@tandem.test`,
        passwordHash: 'x',
        role: 'user',
      })) as User;
      const body = { customer: 'Same body', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 1 }] };
      const key = `owner-key-${kind}-0001`;
      expect((await repository.createIdempotent(body, key, owner.id)).outcome).toBe('created');
      expect(await repository.createIdempotent(body, key, other.id)).toEqual({ outcome: 'key_reused' });
    });
  });

  describe('create and get', () => {
    it('stores a pending order and reads back the same order', async () => {
      const created = await repository.create(
        {
          customer: 'Margaret Hamilton',
          items: [{ sku: 'POT-CAST-IRON', qty: 2, price: 64.99 }],
        },
        owner.id,
      );
      expect(created).toMatchObject({ customer: 'Margaret Hamilton', status: 'pending', total: 129.98 });
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      // Stored to the millisecond, so the cursor's Date names the row exactly.
      const [stored] = await test.db.query<{ whole: boolean }>(
        'test.precision',
        `SELECT created_at = date_trunc('milliseconds', created_at) AS whole FROM orders WHERE id = $1`,
        [created.id],
      );
      expect(stored?.whole).toBe(true);
      expect(await repository.get(created.id, null)).toEqual(created);
    });

    it('answers null for an id no order has', async () => {
      expect(await repository.get('00000000-0000-4000-8000-000000000000', null)).toBeNull();
    });

    it.each([
      [
        '0.1 + 0.2',
        [
          { sku: 'SKU-A', qty: 1, price: 0.1 },
          { sku: 'SKU-B', qty: 1, price: 0.2 },
        ],
        0.3,
      ],
      ['qty × price', [{ sku: 'SKU-A', qty: 3, price: 19.99 }], 59.97],
      [
        'many small amounts',
        [
          { sku: 'SKU-A', qty: 1000, price: 0.01 },
          { sku: 'SKU-B', qty: 7, price: 0.07 },
        ],
        10.49,
      ],
      ['the largest order', Array.from({ length: 50 }, () => ({ sku: 'SKU-MAX', qty: 1000, price: 10_000_000 })), 5e11],
    ])('computes the total in integer cents: %s', async (_case, items, total) => {
      const created = await repository.create({ customer: 'Totals', items }, owner.id);
      expect(created.total).toBe(total);
      expect((await repository.get(created.id, null))?.total).toBe(total);
      const [row] = await test.db.query<{ total_cents: number | string }>(
        'test.total',
        'SELECT total_cents FROM orders WHERE id = $1',
        [created.id],
      );
      expect(Number(row?.total_cents)).toBe(Math.round(total * 100));
    });
  });

  describe('updateStatus', () => {
    const newOrder = () =>
      repository.create({ customer: 'Status', items: [{ sku: 'SKU-S', qty: 1, price: 1 }] }, owner.id);

    it('moves an order along ORDER_STATUS_TRANSITIONS and reports where it came from', async () => {
      const order = await newOrder();
      const paid = await repository.updateStatus(order.id, 'paid', null);
      expect(paid).toEqual({
        outcome: 'updated',
        from: 'pending',
        order: { ...order, status: 'paid' },
        owner: owner.id,
      });
      expect(await repository.updateStatus(order.id, 'shipped', null)).toMatchObject({
        outcome: 'updated',
        from: 'paid',
      });
      expect((await repository.get(order.id, null))?.status).toBe('shipped');
    });

    it('refuses a transition the table does not allow, naming the current status, and changes nothing', async () => {
      const order = await newOrder();
      expect(await repository.updateStatus(order.id, 'delivered', null)).toEqual({
        outcome: 'not_allowed',
        from: 'pending',
      });
      expect(await repository.updateStatus(order.id, 'pending', null)).toEqual({
        outcome: 'not_allowed',
        from: 'pending',
      });
      expect((await repository.get(order.id, null))?.status).toBe('pending');
    });

    it('answers not_found for an id no order has', async () => {
      expect(await repository.updateStatus('00000000-0000-4000-8000-000000000000', 'paid', null)).toEqual({
        outcome: 'not_found',
      });
    });

    it('lets exactly one of two concurrent identical updates win', async () => {
      const order = await newOrder();
      const results = await Promise.all([
        repository.updateStatus(order.id, 'paid', null),
        repository.updateStatus(order.id, 'paid', null),
      ]);
      // The loser saw the winner's status (paid → paid is not a transition), not the pending both started from.
      expect(results.map((result) => result.outcome).sort()).toEqual(['not_allowed', 'updated']);
      expect(results).toContainEqual({ outcome: 'not_allowed', from: 'paid' });
      expect(results).toContainEqual(expect.objectContaining({ outcome: 'updated', from: 'pending' }));
    });
  });
  describe('findMany (the batch read)', () => {
    /** A repository over a spy on the database, and the names of the queries it sent. */
    function spied(): { repository: OrdersRepository; queries: string[] } {
      const queries: string[] = [];
      const query = ((...args: Parameters<Queryable['query']>) => {
        queries.push(args[0]);
        return test.db.query(...args);
      }) as Queryable['query'];
      const db: OrdersDatabase = { ...test.db, query };
      return { repository: createOrdersRepository(db), queries };
    }
    const unknownA = '00000000-0000-4000-8000-00000000000a';
    const unknownB = '00000000-0000-4000-8000-00000000000b';
    // Out of table order, one unknown in the middle, a duplicate, and a duplicate in upper case.
    const asked = [seededId(7), unknownA, seededId(2), seededId(7), seededId(40).toUpperCase(), unknownB, seededId(2)];

    it('answers the orders in the order asked, each once, and names the unknown ids, with one query', async () => {
      const { repository: spiedRepository, queries } = spied();
      const batch = await spiedRepository.findMany(asked, null);
      expect(batch.items.map((order) => order.id)).toEqual([seededId(7), seededId(2), seededId(40)]);
      expect(batch.missing).toEqual([unknownA, unknownB]);
      expect(batch.items[0]).toEqual(await repository.get(seededId(7), null));
      expect(queries).toEqual(['orders.find_many']);
    });

    it('reports every id missing when none exists, and sends nothing for an empty list', async () => {
      expect(await repository.findMany([unknownB, unknownA], null)).toEqual({
        items: [],
        missing: [unknownB, unknownA],
      });
      const { repository: spiedRepository, queries } = spied();
      expect(await spiedRepository.findMany([], null)).toEqual({ items: [], missing: [] });
      expect(queries).toEqual([]);
    });
  });

  describe('createIdempotent', () => {
    const body = (customer: string) => ({ customer, items: [{ sku: 'IDEM-0001', qty: 2, price: 3.5 }] });
    const ordersOf = async (customer: string) =>
      (
        await test.db.query<{ id: string }>('test.orders_of', 'SELECT id FROM orders WHERE customer = $1', [customer])
      ).map((row) => row.id);
    const newKey = () => `test-${crypto.randomUUID()}`;

    it('creates once, then replays the first result, even after the order moved on', async () => {
      const key = newKey();
      const first = await repository.createIdempotent(body('Idem replay'), key, owner.id);
      expect(first.outcome).toBe('created');
      if (first.outcome !== 'created') return;
      await repository.updateStatus(first.order.id, 'paid', null);
      const again = await repository.createIdempotent(body('Idem replay'), key, owner.id);
      expect(again).toEqual({ outcome: 'replayed', order: first.order });
      expect(await ordersOf('Idem replay')).toEqual([first.order.id]);
    });

    it('treats the same order with its fields in another order as the same request', async () => {
      const key = newKey();
      const { customer, items } = body('Idem field order');
      const first = await repository.createIdempotent({ customer, items }, key, owner.id);
      expect(first.outcome).toBe('created');
      const again = await repository.createIdempotent({ items, customer }, key, owner.id);
      expect(again.outcome).toBe('replayed');
      expect(await ordersOf('Idem field order')).toHaveLength(1);
    });

    it('refuses the same key with a different body, storing nothing', async () => {
      const key = newKey();
      await repository.createIdempotent(body('Idem reuse'), key, owner.id);
      expect(await repository.createIdempotent(body('Idem reuse, other'), key, owner.id)).toEqual({
        outcome: 'key_reused',
      });
      const changedQty = { customer: 'Idem reuse', items: [{ sku: 'IDEM-0001', qty: 3, price: 3.5 }] };
      expect(await repository.createIdempotent(changedQty, key, owner.id)).toEqual({ outcome: 'key_reused' });
      expect(await ordersOf('Idem reuse')).toHaveLength(1);
      expect(await ordersOf('Idem reuse, other')).toHaveLength(0);
    });

    it('stores one order when copies with one key race', async () => {
      const key = newKey();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => repository.createIdempotent(body('Idem race'), key, owner.id)),
      );
      const stored = await ordersOf('Idem race');
      expect(stored).toHaveLength(1);
      expect(results.map((result) => result.outcome).sort()).toEqual([
        'created',
        'replayed',
        'replayed',
        'replayed',
        'replayed',
        'replayed',
      ]);
      for (const result of results) expect(result).toMatchObject({ order: { id: stored[0] } });
    });

    it.runIf(kind === 'postgres')(
      'makes the second copy wait on the key row until the first commits, then replay it',
      async () => {
        const key = newKey();
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let claimed = () => {};
        const claimedKey = new Promise<void>((resolve) => {
          claimed = resolve;
        });
        // The first copy claims the key and its order, then keeps its transaction open.
        const first = test.db.transaction(async (tx) => {
          const result = await createOrdersRepository(tx).createIdempotent(body('Idem wait'), key, owner.id);
          claimed();
          await held;
          return result;
        });
        await claimedKey;
        const second = repository.createIdempotent(body('Idem wait'), key, owner.id);
        // The second copy is blocked on a lock (the key row), not finished and not failed.
        let waiting = 0;
        for (let tries = 0; tries < 200 && waiting === 0; tries++) {
          const [row] = await test.db.query<{ n: number | string }>(
            'test.lock_waits',
            `SELECT count(*) AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%idempotency_keys%'`,
          );
          waiting = Number(row?.n);
          if (waiting === 0) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(waiting).toBe(1);
        release();
        const [a, b] = await Promise.all([first, second]);
        expect(a.outcome).toBe('created');
        expect(b).toEqual({ outcome: 'replayed', order: a.outcome === 'created' ? a.order : undefined });
        expect(await ordersOf('Idem wait')).toHaveLength(1);
      },
    );

    it('keeps no key when the order transaction rolls back', async () => {
      const key = newKey();
      await expect(
        test.db.transaction(async (tx) => {
          await createOrdersRepository(tx).createIdempotent(body('Idem rollback'), key, owner.id);
          throw new Error('the order transaction fails');
        }),
      ).rejects.toThrow('the order transaction fails');
      expect(await ordersOf('Idem rollback')).toEqual([]);
      expect((await repository.createIdempotent(body('Idem rollback'), key, owner.id)).outcome).toBe('created');
    });

    it('forgets a key after IDEMPOTENCY_KEY_TTL_MS, and deletes expired keys on later writes', async () => {
      const key = newKey();
      const other = newKey();
      await repository.createIdempotent(body('Idem expiry'), key, owner.id);
      await repository.createIdempotent(body('Idem expiry other'), other, owner.id);
      await test.db.query(
        'test.age_keys',
        `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ANY($1::text[])`,
        [[key, other]],
      );
      // The expired key is a new request: a different body is no longer a reuse.
      const fresh = await repository.createIdempotent(body('Idem expiry, later'), key, owner.id);
      expect(fresh.outcome).toBe('created');
      const keys = await test.db.query<{ key: string }>(
        'test.keys',
        'SELECT key FROM idempotency_keys WHERE key = ANY($1::text[])',
        [[key, other]],
      );
      expect(keys.map((row) => row.key)).toEqual([key]);
    });
  });
});
