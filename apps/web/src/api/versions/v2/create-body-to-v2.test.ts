import { CreateOrderBodyV2, createBodyFromV2 } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { createBodyToV2 } from './create-body-to-v2';
import { minorUnitsOf } from './minor-units';

describe('createBodyToV2', () => {
  it("sends the form's order in v2's shape, prices in exact minor units", () => {
    const body = createBodyToV2({
      customer: 'Ada',
      items: [
        { sku: 'TEA-OOLONG-250', qty: 2, price: 12.5 },
        { sku: 'TEA-SENCHA-100', qty: 1, price: 0.29 },
      ],
    });
    expect(body).toEqual({
      customerName: 'Ada',
      items: [
        { sku: 'TEA-OOLONG-250', quantity: 2, unitPrice: { amountMinor: 1250, currency: 'EUR' } },
        { sku: 'TEA-SENCHA-100', quantity: 1, unitPrice: { amountMinor: 29, currency: 'EUR' } },
      ],
    });
    // What the API stores from it is what a v1 client would have sent.
    expect(createBodyFromV2(CreateOrderBodyV2.parse(body)).items.map((item) => item.price)).toEqual([12.5, 0.29]);
  });

  it('turns every whole-cent price into its integer minor units', () => {
    for (let cents = 0; cents <= 100_000; cents += 1) {
      const price = Number(`${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
      if (minorUnitsOf(price) !== cents) expect.fail(`${price} became ${minorUnitsOf(price)}`);
    }
  });

  it('never rounds what the server must judge: sub-cent prices and empty fields go as they are', () => {
    expect(minorUnitsOf(12.345)).toBeCloseTo(1234.5, 6);
    expect(Number.isInteger(minorUnitsOf(12.345))).toBe(false);
    expect(minorUnitsOf(Number.NaN)).toBeNaN();
    const sent = createBodyToV2({ customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 12.345 }] });
    expect(CreateOrderBodyV2.safeParse(sent).success).toBe(false);
  });
});
