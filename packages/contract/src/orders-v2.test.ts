import { describe, expect, it } from 'vitest';
import { CreateOrderBody, Order } from './orders.js';
import { CreateOrderBodyV2, createBodyFromV2, OrderV2, toOrderV2 } from './orders-v2.js';

const order = Order.parse({
  id: '3f0c6d1e-8a4b-4c2d-9e1f-0a1b2c3d4e5f',
  customer: 'Ada',
  items: [
    { sku: 'TEA-OOLONG-250', qty: 3, price: 0.1 },
    { sku: 'CUP-01', qty: 1, price: 19.99 },
    { sku: 'POT-XL', qty: 2, price: 1234567.89 },
  ],
  total: 2469155.37,
  status: 'paid',
  createdAt: '2026-11-20T08:00:00.000Z',
});

describe('toOrderV2', () => {
  it('renames the fields and turns every amount into exact integer cents in EUR', () => {
    expect(toOrderV2(order)).toEqual({
      id: order.id,
      customerName: 'Ada',
      items: [
        { sku: 'TEA-OOLONG-250', quantity: 3, unitPrice: { amountMinor: 10, currency: 'EUR' } },
        { sku: 'CUP-01', quantity: 1, unitPrice: { amountMinor: 1999, currency: 'EUR' } },
        { sku: 'POT-XL', quantity: 2, unitPrice: { amountMinor: 123456789, currency: 'EUR' } },
      ],
      total: { amountMinor: 246915537, currency: 'EUR' },
      status: 'paid',
      createdAt: order.createdAt,
    });
  });

  it('answers what OrderV2 accepts and v1 does not', () => {
    const wire = OrderV2.encode(toOrderV2(order));
    expect(OrderV2.safeParse(wire).success).toBe(true);
    expect(Order.safeParse(wire).success).toBe(false);
    expect(OrderV2.safeParse(Order.encode(order)).success).toBe(false);
  });

  it.each([0.01, 0.07, 0.29, 1.15, 4.35, 8.2, 99.99, 10_000_000])('keeps %d as exact cents', (price) => {
    const mapped = toOrderV2({ ...order, items: [{ sku: 'CUP-01', qty: 1, price }], total: price });
    expect(mapped.total.amountMinor).toBe(Math.round(price * 100));
    expect(Number.isInteger(mapped.total.amountMinor)).toBe(true);
  });
});

describe('createBodyFromV2', () => {
  it('maps a v2 create to the repository’s body, cents exact both ways', () => {
    const body = CreateOrderBodyV2.parse({
      customerName: ' Grace ',
      items: [
        { sku: 'CUP-01', quantity: 2, unitPrice: { amountMinor: 1999, currency: 'EUR' } },
        { sku: 'TEA-OOLONG-250', quantity: 1, unitPrice: { amountMinor: 7, currency: 'EUR' } },
      ],
    });
    const v1 = createBodyFromV2(body);
    expect(v1).toEqual({
      customer: 'Grace',
      items: [
        { sku: 'CUP-01', qty: 2, price: 19.99 },
        { sku: 'TEA-OOLONG-250', qty: 1, price: 0.07 },
      ],
    });
    // What v1 would accept from a client, so the repository sees nothing new.
    expect(CreateOrderBody.safeParse(v1).success).toBe(true);
    const back = toOrderV2({ ...order, items: v1.items });
    expect(back.items.map((item) => item.unitPrice.amountMinor)).toEqual([1999, 7]);
  });

  it.each([
    ['a decimal amount', { amountMinor: 19.99, currency: 'EUR' }, 'items.0.unitPrice.amountMinor'],
    ['a negative amount', { amountMinor: -1, currency: 'EUR' }, 'items.0.unitPrice.amountMinor'],
    ['another currency', { amountMinor: 100, currency: 'USD' }, 'items.0.unitPrice.currency'],
    ['a v1 bare number', 19.99, 'items.0.unitPrice'],
  ])('rejects %s, naming the field', (_, unitPrice, path) => {
    const result = CreateOrderBodyV2.safeParse({
      customerName: 'Ada',
      items: [{ sku: 'CUP-01', quantity: 1, unitPrice }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('rejects v1 field names', () => {
    const result = CreateOrderBodyV2.safeParse({ customer: 'Ada', items: [{ sku: 'CUP-01', qty: 1, price: 1 }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['customerName', 'items.0.quantity', 'items.0.unitPrice']),
    );
  });
});

describe('CreateOrderBodyV2', () => {
  const item = (amountMinor: number, quantity = 1) => ({
    sku: 'CUP-01',
    quantity,
    unitPrice: { amountMinor, currency: 'EUR' as const },
  });

  it('refuses an order whose total MoneyV2 could not state, naming items', () => {
    expect(CreateOrderBodyV2.safeParse({ customerName: 'Grace', items: [item(500_000_000, 2)] }).success).toBe(true);
    const result = CreateOrderBodyV2.safeParse({ customerName: 'Grace', items: [item(500_000_000, 2), item(1)] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['items']);
  });
});
