import { median } from '@tandem/local-stack';

type NumberKeys<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/** The median of each named figure over `items` (local-stack's `median`, as for every lab figure). */
export function medianOf<T, K extends NumberKeys<T>>(items: readonly T[], keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, median(items.map((item) => item[key] as number))])) as Record<
    K,
    number
  >;
}
