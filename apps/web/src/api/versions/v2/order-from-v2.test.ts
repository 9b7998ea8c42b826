import { type Order, type OrderV2, toCents, toOrderV2 } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../format/money';
import { orderFromV2, orderPageFromV2 } from './order-from-v2';

const V2_ORDER: OrderV2 = {
  id: '0b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e90',
  customerName: 'Ada Lovelace',
  items: [
    { sku: 'TEA-OOLONG-250', quantity: 3, unitPrice: { amountMinor: 1999, currency: 'EUR' } },
    { sku: 'CUP-CLAY', quantity: 1, unitPrice: { amountMinor: 1, currency: 'EUR' } },
  ],
  total: { amountMinor: 5998, currency: 'EUR' },
  status: 'paid',
  createdAt: new Date('2026-11-24T09:30:00.000Z'),
};

/** The digits a display shows, whatever the locale's separators. */
const digitsOf = (text: string) => text.replace(/\D/g, '');

describe('orderFromV2', () => {
  it("renames v2's fields to the SPA's model and turns minor units into amounts", () => {
    expect(orderFromV2(V2_ORDER)).toEqual({
      id: V2_ORDER.id,
      customer: 'Ada Lovelace',
      items: [
        { sku: 'TEA-OOLONG-250', qty: 3, price: 19.99 },
        { sku: 'CUP-CLAY', qty: 1, price: 0.01 },
      ],
      total: 59.98,
      status: 'paid',
      createdAt: V2_ORDER.createdAt,
    });
  });

  it('shows exactly the cents v2 sent, for every amount up to 1,000.00 and at the top of the range', () => {
    const amounts = [...Array.from({ length: 100_001 }, (_, cents) => cents), 999_999_999, 1_000_000_000];
    for (const amountMinor of amounts) {
      const order = orderFromV2({ ...V2_ORDER, total: { amountMinor, currency: 'EUR' } });
      const shown = formatMoney(order.total);
      // The display has two decimals, so its digits are the minor units themselves.
      if (digitsOf(shown) !== String(amountMinor).padStart(3, '0')) {
        expect.fail(`${amountMinor} minor units shown as ${shown}`);
      }
      expect(toCents(order.total)).toBe(amountMinor);
    }
  });

  it("is the inverse of the API's own mapping (toOrderV2): an order survives v2 unchanged", () => {
    const order: Order = {
      id: V2_ORDER.id,
      customer: 'Grace Hopper',
      items: [{ sku: 'TEA-SENCHA-100', qty: 7, price: 0.29 }],
      total: 2.03,
      status: 'pending',
      createdAt: V2_ORDER.createdAt,
    };
    expect(orderFromV2(toOrderV2(order))).toEqual(order);
  });

  it('maps every order of a page and keeps the cursor', () => {
    const page = orderPageFromV2({ items: [V2_ORDER, V2_ORDER], nextCursor: 'abc' });
    expect(page.nextCursor).toBe('abc');
    expect(page.items.map((order) => order.total)).toEqual([59.98, 59.98]);
  });
});
