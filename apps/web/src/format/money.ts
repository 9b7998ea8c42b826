// Made on first use, not when the module loads: a page's first Intl formatter loads the locale's
// data (tens of ms on a busy machine), which the first paint does not need to wait for.
let moneyFormat: Intl.NumberFormat | undefined;

/** An amount of the shop's currency, always with two decimals. */
export function formatMoney(amount: number): string {
  moneyFormat ??= new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return moneyFormat.format(amount);
}
