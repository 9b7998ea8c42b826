const moneyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An amount of the shop's currency, always with two decimals. */
export function formatMoney(amount: number): string {
  return moneyFormat.format(amount);
}
