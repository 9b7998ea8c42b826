import { fromCents, type MoneyV2, SHOP_CURRENCY } from '@tandem/contract';

/**
 * v2 money (integer minor units + currency) as the SPA's amount, the number `formatMoney`
 * shows with two decimals. Exact: `n / 100` is the double nearest to the decimal n/100,
 * within far less than half a cent of it, so the two decimals shown are always n's.
 */
export function amountOfMoneyV2(money: MoneyV2): number {
  // The contract allows only the shop's currency; a second one would need its own display.
  if (money.currency !== SHOP_CURRENCY) throw new Error(`Unexpected currency ${money.currency}`);
  return fromCents(money.amountMinor);
}

/**
 * An amount as a person typed it, in minor units for v2. A whole number of cents (0.29 is
 * 28.999…96 × 100) becomes that integer; anything else (12.345, NaN for an empty field) is
 * sent as it is, so the server names the field instead of the SPA rounding it silently.
 */
export function minorUnitsOf(amount: number): number {
  const scaled = amount * 100;
  const cents = Math.round(scaled);
  return Math.abs(scaled - cents) < 1e-6 ? cents : scaled;
}
