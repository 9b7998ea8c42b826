import type { Order, OrderPage, OrderPageV2, OrdersBatch, OrdersBatchV2, OrderV2 } from '@tandem/contract';
import type { z } from 'zod';
import { amountOfMoneyV2 } from './minor-units';

/** A v2 order in the SPA's model (v1's field names, amounts as numbers); cents exact. */
export function orderFromV2(order: OrderV2): Order {
  return {
    id: order.id,
    customer: order.customerName,
    items: order.items.map((item) => ({
      sku: item.sku,
      qty: item.quantity,
      price: amountOfMoneyV2(item.unitPrice),
    })),
    total: amountOfMoneyV2(order.total),
    status: order.status,
    createdAt: order.createdAt,
  };
}

export function orderPageFromV2(page: z.output<typeof OrderPageV2>): OrderPage {
  return { items: page.items.map(orderFromV2), nextCursor: page.nextCursor };
}

export function ordersBatchFromV2(batch: z.output<typeof OrdersBatchV2>): OrdersBatch {
  return { items: batch.items.map(orderFromV2), missing: batch.missing };
}
