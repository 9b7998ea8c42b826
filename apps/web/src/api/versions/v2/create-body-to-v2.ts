import { type CreateOrderBodyV2, SHOP_CURRENCY } from '@tandem/contract';
import type { z } from 'zod';
import type { NewOrder } from '../orders-api';
import { minorUnitsOf } from './minor-units';

/** The create form's order (v1's field names, prices as typed) in v2's wire shape. */
export function createBodyToV2(body: NewOrder): z.input<typeof CreateOrderBodyV2> {
  return {
    customerName: body.customer,
    items: body.items.map((item) => ({
      sku: item.sku,
      quantity: item.qty,
      unitPrice: { amountMinor: minorUnitsOf(item.price), currency: SHOP_CURRENCY },
    })),
  };
}
