import { CUSTOMER_NAME_COLLATION } from '@tandem/contract';
import { byCodePoint } from '../customer-name-order.js';
import { defineLab } from './define-lab.js';

const { locale, options } = CUSTOMER_NAME_COLLATION;

/**
 * The idiom found in most code bases. With a locale and options, every call of
 * localeCompare builds (and throws away) an ICU collator: ~5 µs a comparison, n·log n
 * comparisons a sort. In a CPU profile the time sits in this function's self time, under
 * sortByCustomerName (src/customer-name-order.ts). The same order as the product's.
 */
export function compareNamesPerCallCollator(a: string, b: string): number {
  return a.localeCompare(b, locale, options) || byCodePoint(a, b);
}

/**
 * profiling, the server's half: the comparator GET /api/v1/reports/customers sorts names
 * with (`app.customerNameComparator`, plugins/app/reports-repository.ts). The SPA's half,
 * a customers list that renders every row or only those in view, is in apps/web.
 */
export const profilingLab = defineLab('profiling', {
  naive: (seams) => seams.customerNameComparator.set(compareNamesPerCallCollator),
  // The product's compareCustomerNames: the same collation, its Intl.Collator built once.
  tuned: (seams) => seams.customerNameComparator.reset(),
});
