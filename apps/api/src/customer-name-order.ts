import { CUSTOMER_NAME_COLLATION } from '@tandem/contract';

/** Orders two customer names: negative, zero or positive, as `Array.prototype.sort` wants. */
export type CustomerNameComparator = (a: string, b: string) => number;

const { locale, options } = CUSTOMER_NAME_COLLATION;

/** Names the collation holds equal ("Zoe" / "Zoë") keep one fixed order: by code point. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Built once, when the module loads: an Intl.Collator is costly to make (an ICU collator
// behind it) and cheap to use. `a.localeCompare(b, locale, options)` makes one per call.
const collator = new Intl.Collator(locale, options);

/** CUSTOMER_NAME_COLLATION with one shared collator, ties broken by code point. */
export function compareCustomerNames(a: string, b: string): number {
  return collator.compare(a, b) || byCodePoint(a, b);
}

/**
 * Sorts rows by customer name, in place, and returns them: as people read names (accents
 * and case break ties only, digits as numbers), the same order whatever the input order.
 */
export function sortByCustomerName<Row extends { customer: string }>(
  rows: Row[],
  compare: CustomerNameComparator = compareCustomerNames,
): Row[] {
  return rows.sort((a, b) => compare(a.customer, b.customer));
}
