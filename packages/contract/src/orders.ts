import { z } from 'zod';
import { DateTime } from './date-time.js';
import { successEnvelope } from './envelope.js';
import { Money } from './money.js';

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
    customer: z.string().trim().min(1).max(120),
    items: z.array(OrderItem).min(1).max(MAX_ITEMS_PER_ORDER),
  })
  .meta({ id: 'CreateOrderBody' });

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

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

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

// In-memory types (dates are `Date`) and, where a caller needs it, the wire type.
export type OrderStatus = z.output<typeof OrderStatus>;
export type OrderItem = z.output<typeof OrderItem>;
export type Order = z.output<typeof Order>;
export type CreateOrderBody = z.output<typeof CreateOrderBody>;
export type ListOrdersQuery = z.output<typeof ListOrdersQuery>;
export type OrderPage = z.output<typeof OrderPage>;
