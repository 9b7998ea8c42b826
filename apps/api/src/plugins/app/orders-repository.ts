import {
  type CreateOrderBody,
  fromCents,
  ORDER_STATUS_TRANSITIONS,
  ORDER_STATUSES,
  type Order,
  OrderCursor,
  type OrderStatus,
  toCents,
} from '@tandem/contract';
import fp from 'fastify-plugin';
import type { Queryable } from '../../db/database.js';

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

export interface OrdersRepository {
  /** Newest first; `nextCursor` is null on the last page. */
  list(input: ListOrdersInput): Promise<{ items: Order[]; nextCursor: string | null }>;
  get(id: string): Promise<Order | null>;
  /** Stores a new pending order; the total is computed here, in integer cents. */
  create(input: CreateOrderBody): Promise<Order>;
  /**
   * Moves an order to `to` if ORDER_STATUS_TRANSITIONS allows it from its current status,
   * checked and written in one statement, so two concurrent updates cannot both pass.
   */
  updateStatus(id: string, to: OrderStatus): Promise<StatusUpdate>;
}

export type StatusUpdate =
  | { outcome: 'updated'; order: Order; from: OrderStatus }
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

export function createOrdersRepository(db: Queryable): OrdersRepository {
  return {
    async list({ limit, cursor }) {
      // Fetch one row more than asked: its presence is how we know another page exists.
      const rows = cursor
        ? await db.query<OrderRow>(
            'orders.list_after',
            `SELECT ${COLUMNS} FROM orders
             WHERE (created_at, id) < ($1::timestamptz, $2::uuid)
             ORDER BY created_at DESC, id DESC LIMIT $3`,
            [cursor.createdAt, cursor.id, limit + 1],
          )
        : await db.query<OrderRow>(
            'orders.list_first',
            `SELECT ${COLUMNS} FROM orders ORDER BY created_at DESC, id DESC LIMIT $1`,
            [limit + 1],
          );
      const items = rows.slice(0, limit).map(toOrder);
      const last = items.at(-1);
      const nextCursor =
        rows.length > limit && last ? OrderCursor.encode({ createdAt: last.createdAt, id: last.id }) : null;
      return { items, nextCursor };
    },

    async get(id) {
      const [row] = await db.query<OrderRow>('orders.get', `SELECT ${COLUMNS} FROM orders WHERE id = $1`, [id]);
      return row ? toOrder(row) : null;
    },

    async create({ customer, items }) {
      const lines = items.map((item) => ({ sku: item.sku, qty: item.qty, priceCents: toCents(item.price) }));
      const totalCents = lines.reduce((sum, line) => sum + line.qty * line.priceCents, 0);
      const [row] = await db.query<OrderRow>(
        'orders.create',
        `INSERT INTO orders (customer, items, total_cents, status)
         VALUES ($1, $2::jsonb, $3, 'pending') RETURNING ${COLUMNS}`,
        [customer, JSON.stringify(lines), totalCents],
      );
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      return toOrder(row);
    },

    async updateStatus(id, to) {
      // The row lock of UPDATE makes check and write one step; `previous` comes from the
      // same locked row, so the event's `from` is the status actually replaced.
      const [row] = await db.query<OrderRow & { previous: OrderStatus }>(
        'orders.update_status',
        `UPDATE orders AS o SET status = $2
         FROM (SELECT id, status FROM orders WHERE id = $1 FOR UPDATE) AS old
         WHERE o.id = old.id AND old.status = ANY($3::text[])
         RETURNING o.id, o.customer, o.items, o.total_cents, o.status, o.created_at, old.status AS previous`,
        [id, to, ALLOWED_FROM[to]],
      );
      if (row) return { outcome: 'updated', order: toOrder(row), from: row.previous };
      const [current] = await db.query<{ status: OrderStatus }>(
        'orders.status',
        'SELECT status FROM orders WHERE id = $1',
        [id],
      );
      return current ? { outcome: 'not_allowed', from: current.status } : { outcome: 'not_found' };
    },
  };
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

export default fp(
  async (app) => {
    app.decorate('ordersRepository', createOrdersRepository(app.db));
  },
  { name: 'orders-repository', dependencies: ['database'] },
);
