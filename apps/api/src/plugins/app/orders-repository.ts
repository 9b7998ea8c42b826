import { createHash } from 'node:crypto';
import {
  type CreateOrderBody,
  fromCents,
  IDEMPOTENCY_KEY_TTL_MS,
  ORDER_STATUS_TRANSITIONS,
  ORDER_STATUSES,
  type Order,
  OrderCursor,
  type OrderStatus,
  type OrdersBatch,
  toCents,
} from '@tandem/contract';
import fp from 'fastify-plugin';
import type { Database, Queryable, QueryOptions, WriteOptions } from '../../db/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    ordersRepository: OrdersRepository;
  }
}

export interface OrderPosition {
  createdAt: Date;
  id: string;
}

export interface ListOrdersInput {
  limit: number;
  cursor?: OrderPosition | undefined;
}

/**
 * Whose orders a call may see or change: a user's id, or null for every order (an admin;
 * accounts/owner-scope.ts decides). Another owner's order is not found, as if it did not exist.
 */
export type OrderOwner = string | null;

/**
 * The orders table. Reads take the request's deadline (`QueryOptions`: pass
 * `request.deadline` whole): an expired or abandoned request's query is cancelled. Writes
 * do not: a write that reached the database finishes, and a retry with the same
 * Idempotency-Key gets its result.
 */
export interface OrdersRepository {
  /** Newest first; `nextCursor` is null on the last page. */
  list(
    input: ListOrdersInput,
    owner: OrderOwner,
    options?: QueryOptions,
  ): Promise<{ items: Order[]; nextCursor: string | null }>;
  get(id: string, owner: OrderOwner, options?: QueryOptions): Promise<Order | null>;
  /**
   * The orders with these ids, in the order of the ids (duplicates and case collapsed),
   * and the ids no order has, read with one `= ANY($1)` query whatever the batch size.
   */
  findMany(ids: readonly string[], owner: OrderOwner, options?: QueryOptions): Promise<OrdersBatch>;
  /** Stores a new pending order of `owner`; the total is computed here, in integer cents. */
  create(input: CreateOrderBody, owner: string, options?: WriteOptions): Promise<Order>;
  /**
   * Creates an order at most once per idempotency key. The key's row is inserted first, in
   * the order's transaction: a concurrent request with the same key waits on that row,
   * then replays the first result; the same key with another body is `key_reused`. Keys
   * older than IDEMPOTENCY_KEY_TTL_MS are expired: the next request with one creates anew.
   * The owner is part of the request: another user's key is `key_reused`, never their order.
   */
  createIdempotent(
    input: CreateOrderBody,
    key: string,
    owner: string,
    options?: WriteOptions,
  ): Promise<IdempotentCreate>;
  /**
   * Moves an order to `to` if ORDER_STATUS_TRANSITIONS allows it from its current status,
   * checked and written in one statement, so two concurrent updates cannot both pass.
   */
  updateStatus(id: string, to: OrderStatus, owner: OrderOwner, options?: WriteOptions): Promise<StatusUpdate>;
}

export type IdempotentCreate =
  | { outcome: 'created'; order: Order }
  /** The first request's order, as it was answered then (even if it has moved on since). */
  | { outcome: 'replayed'; order: Order }
  | { outcome: 'key_reused' };

export type StatusUpdate =
  /** `owner`: whose order it is (its events go to that user), null for an order nobody owns. */
  | { outcome: 'updated'; order: Order; from: OrderStatus; owner: string | null }
  | { outcome: 'not_found' }
  | { outcome: 'not_allowed'; from: OrderStatus };

/** For each target status, the statuses an order may move to it from. */
const ALLOWED_FROM = Object.fromEntries(
  ORDER_STATUSES.map((to) => [
    to,
    ORDER_STATUSES.filter((from) => (ORDER_STATUS_TRANSITIONS[from] as readonly OrderStatus[]).includes(to)),
  ]),
) as Record<OrderStatus, OrderStatus[]>;

/** How an order is stored: money in integer cents (pg returns bigint as a string). */
interface OrderRow {
  id: string;
  customer: string;
  items: { sku: string; qty: number; priceCents: number }[];
  total_cents: number | string;
  status: OrderStatus;
  created_at: Date;
}

const COLUMNS = 'id, customer, items, total_cents, status, created_at';

/** The first answer's order as the key's row keeps it (jsonb: the date as an ISO string). */
type StoredResponse = Omit<Order, 'createdAt'> & { createdAt: string };

/** Expired keys one keyed create deletes at most, so cleanup never makes a create slow. */
const EXPIRED_KEYS_PER_CLEANUP = 100;

/**
 * A database, or a Queryable already inside a transaction (then `createIdempotent` runs
 * its statements in that transaction).
 */
export type OrdersDatabase = Queryable & Partial<Pick<Database, 'transaction'>>;

export function createOrdersRepository(db: OrdersDatabase): OrdersRepository {
  const inTransaction = <T>(work: (tx: Queryable) => Promise<T>): Promise<T> =>
    db.transaction ? db.transaction(work) : work(db);

  // `$n::uuid IS NULL OR owner_id = $n`: one statement for both reaches; PostgreSQL plans
  // the null case away when the value is bound.
  async function get(id: string, owner: OrderOwner, options?: QueryOptions): Promise<Order | null> {
    const [row] = await db.query<OrderRow>(
      'orders.get',
      `SELECT ${COLUMNS} FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)`,
      [id, owner],
      options,
    );
    return row ? toOrder(row) : null;
  }

  async function findAll(ids: readonly string[], owner: OrderOwner, options?: QueryOptions): Promise<Order[]> {
    if (ids.length === 0) return [];
    const rows = await db.query<OrderRow>(
      'orders.find_many',
      `SELECT ${COLUMNS} FROM orders WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR owner_id = $2)`,
      [ids, owner],
      options,
    );
    return rows.map(toOrder);
  }

  /** One owner's page: the same keyset read as the whole list, on (owner_id, created_at, id). */
  async function listOwned(
    limit: number,
    cursor: OrderPosition | undefined,
    owner: string,
    options?: QueryOptions,
  ): Promise<{ items: Order[]; nextCursor: string | null }> {
    const rows = cursor
      ? await db.query<OrderRow>(
          'orders.list_owned_after',
          `SELECT ${COLUMNS} FROM orders
           WHERE owner_id = $4 AND (created_at, id) < ($1::timestamptz, $2::uuid)
           ORDER BY created_at DESC, id DESC LIMIT $3`,
          [cursor.createdAt, cursor.id, limit + 1, owner],
          options,
        )
      : await db.query<OrderRow>(
          'orders.list_owned_first',
          `SELECT ${COLUMNS} FROM orders WHERE owner_id = $2 ORDER BY created_at DESC, id DESC LIMIT $1`,
          [limit + 1, owner],
          options,
        );
    return pageOf(rows, limit);
  }

  return {
    async list({ limit, cursor }, owner, options) {
      if (owner !== null) return listOwned(limit, cursor, owner, options);
      // Fetch one row more than asked: its presence is how we know another page exists.
      const rows = cursor
        ? await db.query<OrderRow>(
            'orders.list_after',
            `SELECT ${COLUMNS} FROM orders
             WHERE (created_at, id) < ($1::timestamptz, $2::uuid)
             ORDER BY created_at DESC, id DESC LIMIT $3`,
            [cursor.createdAt, cursor.id, limit + 1],
            options,
          )
        : await db.query<OrderRow>(
            'orders.list_first',
            `SELECT ${COLUMNS} FROM orders ORDER BY created_at DESC, id DESC LIMIT $1`,
            [limit + 1],
            options,
          );
      return pageOf(rows, limit);
    },

    get,

    async findMany(ids, owner, options) {
      const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
      const found = await findAll(wanted, owner, options);
      const byId = new Map(found.map((order) => [order.id, order]));
      return {
        items: wanted.flatMap((id) => byId.get(id) ?? []),
        missing: wanted.filter((id) => !byId.has(id)),
      };
    },

    create: (input, owner, options) => insertOrder(db, input, owner, options),

    async createIdempotent(input, key, owner, options) {
      const requestHash = requestHashOf(input, owner);
      return inTransaction(async (tx) => {
        // Insert-first: a new key (or an expired one, taken over) is ours; on a live key
        // this waits until the transaction holding it ends, then claims nothing.
        const [claimed] = await tx.query<{ key: string }>(
          'idempotency.claim',
          `INSERT INTO idempotency_keys AS k (key, request_hash) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, order_id = NULL, response = NULL, created_at = now()
             WHERE k.created_at < now() - $3::double precision * interval '1 millisecond'
           RETURNING key`,
          [key, requestHash, IDEMPOTENCY_KEY_TTL_MS],
          options,
        );
        if (!claimed) {
          const [first] = await tx.query<{ request_hash: string; response: StoredResponse | null }>(
            'idempotency.lookup',
            'SELECT request_hash, response FROM idempotency_keys WHERE key = $1',
            [key],
            options,
          );
          if (!first?.response) throw new Error(`Idempotency key row without a committed response: ${key}`);
          if (first.request_hash !== requestHash) return { outcome: 'key_reused' };
          return { outcome: 'replayed', order: { ...first.response, createdAt: new Date(first.response.createdAt) } };
        }
        const order = await insertOrder(tx, input, owner, options);
        await tx.query(
          'idempotency.record',
          'UPDATE idempotency_keys SET order_id = $2, response = $3::jsonb WHERE key = $1',
          [
            key,
            order.id,
            JSON.stringify({ ...order, createdAt: order.createdAt.toISOString() } satisfies StoredResponse),
          ],
          options,
        );
        // Cleanup on write: a few expired keys, skipping rows another create holds.
        await tx.query(
          'idempotency.expire',
          `DELETE FROM idempotency_keys WHERE key IN (
             SELECT key FROM idempotency_keys
             WHERE created_at < now() - $1::double precision * interval '1 millisecond'
             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
          [IDEMPOTENCY_KEY_TTL_MS, EXPIRED_KEYS_PER_CLEANUP],
          options,
        );
        return { outcome: 'created', order };
      });
    },

    async updateStatus(id, to, owner, options) {
      // The row lock of UPDATE makes check and write one step; `previous` comes from the
      // same locked row, so the event's `from` is the status actually replaced.
      const [row] = await db.query<OrderRow & { previous: OrderStatus; owner_id: string | null }>(
        'orders.update_status',
        `UPDATE orders AS o SET status = $2
         FROM (SELECT id, status FROM orders WHERE id = $1 AND ($4::uuid IS NULL OR owner_id = $4) FOR UPDATE) AS old
         WHERE o.id = old.id AND old.status = ANY($3::text[])
         RETURNING o.id, o.customer, o.items, o.total_cents, o.status, o.created_at, o.owner_id, old.status AS previous`,
        [id, to, ALLOWED_FROM[to], owner],
        options,
      );
      if (row) return { outcome: 'updated', order: toOrder(row), from: row.previous, owner: row.owner_id };
      const [current] = await db.query<{ status: OrderStatus }>(
        'orders.status',
        'SELECT status FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)',
        [id, owner],
        options,
      );
      return current ? { outcome: 'not_allowed', from: current.status } : { outcome: 'not_found' };
    },
  };
}

/** A page from `limit + 1` rows: the extra row only says that another page exists. */
function pageOf(rows: OrderRow[], limit: number): { items: Order[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(toOrder);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last ? OrderCursor.encode({ createdAt: last.createdAt, id: last.id }) : null;
  return { items, nextCursor };
}

/** How an order's lines are stored: money in integer cents. */
function toLines(items: CreateOrderBody['items']): OrderRow['items'] {
  return items.map((item) => ({ sku: item.sku, qty: item.qty, priceCents: toCents(item.price) }));
}

async function insertOrder(
  db: Queryable,
  { customer, items }: CreateOrderBody,
  owner: string,
  options?: WriteOptions,
): Promise<Order> {
  const lines = toLines(items);
  const totalCents = lines.reduce((sum, line) => sum + line.qty * line.priceCents, 0);
  const [row] = await db.query<OrderRow>(
    'orders.create',
    `INSERT INTO orders (customer, items, total_cents, status, owner_id)
     VALUES ($1, $2::jsonb, $3, 'pending', $4) RETURNING ${COLUMNS}`,
    [customer, JSON.stringify(lines), totalCents, owner],
    options,
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return toOrder(row);
}

/**
 * The SHA-256 of a create's canonical form: the validated body (customer trimmed) as it
 * would be stored, fields in a fixed order, so the same order sent with other key order
 * or spacing is the same request, and any change to what would be stored is not.
 */
function requestHashOf({ customer, items }: CreateOrderBody, owner: string): string {
  const canonical = JSON.stringify({ customer, items: toLines(items), owner });
  return createHash('sha256').update(canonical).digest('hex');
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customer: row.customer,
    items: row.items.map((line) => ({ sku: line.sku, qty: line.qty, price: fromCents(line.priceCents) })),
    total: fromCents(Number(row.total_cents)),
    status: row.status,
    createdAt: row.created_at,
  };
}

export interface OrdersRepositoryPluginOptions {
  /** A repository to use instead of the database's (the benchmarks serve a fixed page through the real route). */
  repository?: OrdersRepository | undefined;
}

export default fp<OrdersRepositoryPluginOptions>(
  async (app, { repository }) => {
    // Every write empties the orders page cache before it answers.
    app.decorate(
      'ordersRepository',
      app.ordersPageCache.invalidatingWrites(repository ?? createOrdersRepository(app.db)),
    );
  },
  { name: 'orders-repository', dependencies: ['database', 'orders-page-cache'] },
);
