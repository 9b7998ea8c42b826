import { z } from 'zod';

/**
 * An amount in the shop's currency as a JSON number with at most two decimals
 * (v1's shape). The server computes totals in integer cents so 0.1 + 0.2 stays 0.3.
 */
/** The largest amount `Money` holds (10 000 000.00): a price, and an order's total. */
export const MAX_AMOUNT = 10_000_000;

export const Money = z
  .number()
  .nonnegative()
  .max(MAX_AMOUNT)
  .multipleOf(0.01)
  .meta({ id: 'Money', description: 'Amount with at most two decimals.' });

/** Integer cents of a `Money` value; exact for every value `Money` accepts. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}
