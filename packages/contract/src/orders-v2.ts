import { z } from 'zod';
import { DateTime } from './date-time.js';
import { successEnvelope } from './envelope.js';
import { fromCents, MAX_AMOUNT, toCents } from './money.js';
import {
  type CreateOrderBody,
  MAX_ITEMS_PER_ORDER,
  type Order,
  OrderId,
  type OrderItem,
  OrderStatus,
  Sku,
} from './orders.js';
import { storedText } from './stored-text.js';

/**
 * v2's orders: the breaking change a v1 client would trip on. Money is integer minor
 * units with its currency (no float decimals on the wire), `qty` is `quantity`, `price` is
 * `unitPrice`, `customer` is `customerName`. Everything else (ids, statuses, cursors,
 * batch ids, idempotency) is v1's, and both versions read and write the same orders.
 */

/** The one currency the shop sells in; v1's bare numbers are amounts in it. */
export const SHOP_CURRENCY = 'EUR';

/** v1's `Money` upper bound in minor units. */
const MAX_AMOUNT_MINOR = toCents(MAX_AMOUNT);

export const MoneyV2 = z
  .strictObject({
    amountMinor: z
      .int()
      .min(0)
      .max(MAX_AMOUNT_MINOR)
      .meta({ description: 'Integer minor units (cents): 1999 is 19.99.' }),
    currency: z.literal(SHOP_CURRENCY).meta({ description: 'ISO 4217 code.' }),
  })
  .meta({ id: 'MoneyV2', description: 'An amount as integer minor units and its ISO 4217 currency.' });
export type MoneyV2 = z.output<typeof MoneyV2>;

export const OrderItemV2 = z
  .strictObject({
    sku: Sku,
    quantity: z.int().min(1).max(1000),
    unitPrice: MoneyV2,
  })
  .meta({ id: 'OrderItemV2' });
export type OrderItemV2 = z.output<typeof OrderItemV2>;

export const OrderV2 = z
  .object({
    id: OrderId,
    customerName: z.string(),
    items: z.array(OrderItemV2),
    total: MoneyV2,
    status: OrderStatus,
    createdAt: DateTime,
  })
  .meta({ id: 'OrderV2' });
export type OrderV2 = z.output<typeof OrderV2>;

/** What a v2 client may send to create an order; `total` and `status` are the server's. */
export const CreateOrderBodyV2 = z
  .strictObject({
    customerName: storedText().trim().min(1).max(120),
    items: z.array(OrderItemV2).min(1).max(MAX_ITEMS_PER_ORDER),
  })
  // The total is an order's `MoneyV2` too: an order the answer could not state is refused here.
  .refine(
    (body) => body.items.reduce((sum, item) => sum + item.quantity * item.unitPrice.amountMinor, 0) <= MAX_AMOUNT_MINOR,
    {
      path: ['items'],
      message: `The order's total (the sum of quantity × unitPrice) may not exceed ${MAX_AMOUNT_MINOR} minor units.`,
    },
  )
  .meta({
    id: 'CreateOrderBodyV2',
    description: `An order to create; its total (the sum of quantity × unitPrice) may not exceed ${MAX_AMOUNT_MINOR} minor units.`,
  });
export type CreateOrderBodyV2 = z.output<typeof CreateOrderBodyV2>;

export const OrderPageV2 = z
  .object({
    items: z.array(OrderV2),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'OrderPageV2' });

export const OrdersBatchV2 = z
  .object({
    items: z.array(OrderV2).meta({ description: 'The orders found, in the order their ids were first sent.' }),
    missing: z.array(OrderId).meta({ description: 'Ids (lower-cased) no order has, in the order sent; not an error.' }),
  })
  .meta({ id: 'OrdersBatchV2' });

export const OrderV2Envelope = successEnvelope('OrderV2Envelope', 200, OrderV2);
export const CreatedOrderV2Envelope = successEnvelope('CreatedOrderV2Envelope', 201, OrderV2);
export const OrderPageV2Envelope = successEnvelope('OrderPageV2Envelope', 200, OrderPageV2);
export const OrdersBatchV2Envelope = successEnvelope('OrdersBatchV2Envelope', 200, OrdersBatchV2);

function moneyV2(amount: number): MoneyV2 {
  return { amountMinor: toCents(amount), currency: SHOP_CURRENCY };
}

function itemV2(item: OrderItem): OrderItemV2 {
  return { sku: item.sku, quantity: item.qty, unitPrice: moneyV2(item.price) };
}

/** A stored order (the repository's, v1's shape) as v2 answers it; cents exact. */
export function toOrderV2(order: Order): OrderV2 {
  return {
    id: order.id,
    customerName: order.customer,
    items: order.items.map(itemV2),
    total: moneyV2(order.total),
    status: order.status,
    createdAt: order.createdAt,
  };
}

/** A v2 create as the repository takes it (v1's shape); cents exact. */
export function createBodyFromV2(body: CreateOrderBodyV2): CreateOrderBody {
  return {
    customer: body.customerName,
    items: body.items.map((item) => ({
      sku: item.sku,
      qty: item.quantity,
      price: fromCents(item.unitPrice.amountMinor),
    })),
  };
}
