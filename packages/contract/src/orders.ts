import { z } from 'zod';
import { DateTime } from './date-time.js';
import { successEnvelope } from './envelope.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_TTL_MS, IdempotencyKey } from './idempotency.js';
import { MAX_AMOUNT, Money, toCents } from './money.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size.js';
import { storedText } from './stored-text.js';

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES).meta({ id: 'OrderStatus' });

export const OrderId = z.uuid().meta({ id: 'OrderId', description: 'UUID of an order.' });

export const Sku = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'SKU: 3–32 upper-case letters, digits or dashes')
  .meta({ id: 'Sku', example: 'TEA-OOLONG-250' });

export const OrderItem = z
  .strictObject({
    sku: Sku,
    qty: z.int().min(1).max(1000),
    price: Money,
  })
  .meta({ id: 'OrderItem' });

export const Order = z
  .object({
    id: OrderId,
    customer: z.string(),
    items: z.array(OrderItem),
    total: Money,
    status: OrderStatus,
    createdAt: DateTime,
  })
  .meta({ id: 'Order' });

export const MAX_ITEMS_PER_ORDER = 50;

/** What a client may send to create an order; `total` and `status` are the server's. */
export const CreateOrderBody = z
  .strictObject({
    customer: storedText().trim().min(1).max(120),
    items: z.array(OrderItem).min(1).max(MAX_ITEMS_PER_ORDER),
  })
  // The total is an order's `Money` too: an order the answer could not state is refused here.
  .refine((body) => body.items.reduce((sum, item) => sum + item.qty * toCents(item.price), 0) <= toCents(MAX_AMOUNT), {
    path: ['items'],
    message: `The order's total (the sum of qty × price) may not exceed ${MAX_AMOUNT}.`,
  })
  .meta({
    id: 'CreateOrderBody',
    description: `An order to create; its total (the sum of qty × price) may not exceed ${MAX_AMOUNT}.`,
  });

/**
 * Optional headers of a create. With an `Idempotency-Key`, a retry or a duplicate of the
 * same request (same key, same body) answers the first result and stores nothing new.
 */
export const CreateOrderHeaders = z
  .object({
    [IDEMPOTENCY_KEY_HEADER]: IdempotencyKey.optional().meta({
      description: `Makes the create safe to retry: the same key with the same body answers the first result (201, the same order, \`Idempotent-Replayed: true\`) and never stores a second order; the same key with another body is a 422 IDEMPOTENCY_KEY_REUSED. Keys are remembered for ${IDEMPOTENCY_KEY_TTL_MS / 3_600_000} h.`,
    }),
  })
  .meta({ id: 'CreateOrderHeaders' });

/**
 * The keyset position after the last order of a page. Opaque to clients: on the wire a
 * base64url string, in memory the (createdAt, id) pair the next query starts after.
 */
const CursorPosition = z.strictObject({ createdAt: DateTime, id: OrderId });
export const OrderCursor = z
  .codec(
    z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'Invalid cursor'),
    z.object({ createdAt: z.date(), id: z.string() }),
    {
      decode: (wire, ctx) => {
        try {
          const json: unknown = JSON.parse(fromBase64Url(wire));
          const position = CursorPosition.safeDecode(json as z.input<typeof CursorPosition>);
          if (position.success) return position.data;
        } catch {
          // fall through to the issue below
        }
        ctx.issues.push({ code: 'custom', input: wire, message: 'Invalid cursor' });
        return { createdAt: new Date(0), id: '' };
      },
      encode: (position) => toBase64Url(JSON.stringify(CursorPosition.encode(position))),
    },
  )
  .meta({ description: 'Opaque cursor from a previous page’s `nextCursor`.' });

// The cursor's JSON is ASCII (an ISO date and a UUID), so btoa/atob, present in browsers
// and in Node, are enough; no Buffer in code the browser loads.
function toBase64Url(ascii: string): string {
  return btoa(ascii).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
function fromBase64Url(wire: string): string {
  return atob(wire.replaceAll('-', '+').replaceAll('_', '/'));
}

export const ListOrdersQuery = z
  .strictObject({
    limit: z.coerce
      .number<string | number>()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE)
      .meta({ description: `Page size, 1–${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when absent.` }),
    cursor: OrderCursor.optional(),
  })
  .meta({ id: 'ListOrdersQuery' });

/** The most ids one batch may carry (as sent, duplicates included). */
export const MAX_BATCH_IDS = 100;

/**
 * The `ids` of a batch read: comma-separated (`ids=a,b`), repeated (`ids=a&ids=b`) or
 * both. The count is checked before any id is parsed, so an oversized list is one issue
 * (`query.ids`), and a bad id is named by its position (`query.ids.3`). In memory: the
 * distinct ids, lower-cased, in the order first sent.
 */
export const BatchOrderIds = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')))
  .pipe(
    z
      .array(z.string())
      .min(1, 'Send at least one id.')
      .max(MAX_BATCH_IDS, `Send at most ${MAX_BATCH_IDS} ids in one batch.`),
  )
  .pipe(z.array(OrderId))
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
  .meta({
    description: `Order UUIDs, 1–${MAX_BATCH_IDS}: comma-separated (\`ids=a,b\`), repeated (\`ids=a&ids=b\`) or both. Duplicates are answered once.`,
  });

export const BatchOrdersQuery = z.strictObject({ ids: BatchOrderIds }).meta({ id: 'BatchOrdersQuery' });

/** A batch read: the orders found, in the order asked, and the ids no order has. */
export const OrdersBatch = z
  .object({
    items: z.array(Order).meta({ description: 'The orders found, in the order their ids were first sent.' }),
    missing: z.array(OrderId).meta({ description: 'Ids (lower-cased) no order has, in the order sent; not an error.' }),
  })
  .meta({ id: 'OrdersBatch' });

export const OrderIdParams = z.strictObject({ id: OrderId }).meta({ id: 'OrderIdParams' });

export const OrderPage = z
  .object({
    items: z.array(Order),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'OrderPage' });

/** Where an order may go from each status; anything else is INVALID_STATUS_TRANSITION. */
export const ORDER_STATUS_TRANSITIONS = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
} as const satisfies Record<(typeof ORDER_STATUSES)[number], readonly (typeof ORDER_STATUSES)[number][]>;

export const UpdateOrderStatusBody = z.strictObject({ status: OrderStatus }).meta({ id: 'UpdateOrderStatusBody' });

export const OrderPageEnvelope = successEnvelope('OrderPageEnvelope', 200, OrderPage);
export const OrderEnvelope = successEnvelope('OrderEnvelope', 200, Order);
export const CreatedOrderEnvelope = successEnvelope('CreatedOrderEnvelope', 201, Order);
export const OrdersBatchEnvelope = successEnvelope('OrdersBatchEnvelope', 200, OrdersBatch);

// In-memory types (dates are `Date`) and, where a caller needs it, the wire type.
export type OrderStatus = z.output<typeof OrderStatus>;
export type OrderItem = z.output<typeof OrderItem>;
export type Order = z.output<typeof Order>;
export type CreateOrderBody = z.output<typeof CreateOrderBody>;
export type ListOrdersQuery = z.output<typeof ListOrdersQuery>;
export type OrderPage = z.output<typeof OrderPage>;
export type BatchOrdersQuery = z.output<typeof BatchOrdersQuery>;
export type OrdersBatch = z.output<typeof OrdersBatch>;
