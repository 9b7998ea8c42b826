import type { Database } from '@tandem/api/db/database';
import { createOrdersRepository, type OrdersRepository } from '@tandem/api/plugins/app/orders-repository';
import type { Order } from '@tandem/contract';

const SKUS = ['TEA-OOLONG-250', 'TEA-SENCHA-100', 'CUP-PORCELAIN', 'KETTLE-1L', 'FILTER-PAPER-50'];
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const;

/** `count` orders that look like the seeded ones (1–3 items, all statuses), the same on every run. */
export function fixedOrders(count: number): Order[] {
  const newest = Date.UTC(2026, 0, 31, 12, 0, 0);
  return Array.from({ length: count }, (_, index) => {
    const items = Array.from({ length: 1 + (index % 3) }, (_, line) => ({
      sku: SKUS[(index + line) % SKUS.length] as string,
      qty: 1 + ((index * 7 + line) % 4),
      price: (350 + ((index * 131 + line * 57) % 4_650)) / 100,
    }));
    const cents = items.reduce((sum, item) => sum + item.qty * Math.round(item.price * 100), 0);
    return {
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
      customer: `Bench Customer ${String(index + 1).padStart(2, '0')}`,
      items,
      total: cents / 100,
      status: STATUSES[index % STATUSES.length] as (typeof STATUSES)[number],
      createdAt: new Date(newest - index * 61_000),
    };
  });
}

/**
 * The database the fixed-page API is built with: it answers the readiness probe's
 * `SELECT 1` and refuses every other statement, so nothing that reaches it goes unnoticed
 * and no database starts (an embedded PGlite would add seconds to every benchmark start).
 */
export const NO_DATABASE: Database = {
  kind: 'pglite',
  query: <Row>(name: string) =>
    name === 'health.ready'
      ? Promise.resolve([] as Row[])
      : Promise.reject(new Error(`fixed-page API: no database for ${name}`)),
  exec: () => Promise.reject(new Error('fixed-page API: no database')),
  transaction: () => Promise.reject(new Error('fixed-page API: no database')),
  close: () => Promise.resolve(),
};

/**
 * The data layer set aside: every list answers the same page, so a benchmark measures the
 * route's chain (hooks, validation, envelope, serialization) and not the database. Every
 * other operation is the real repository's over a database that refuses, so it fails loudly.
 * With `pageCostMs`, each list first keeps the event loop busy that long: a page that is
 * dear to build in the API's own thread (an uncached query on an embedded database, a
 * report computed in JavaScript), for `pnpm bench overload`'s dear side.
 */
export function createFixedPageRepository(pageSize: number, { pageCostMs = 0 } = {}): OrdersRepository {
  const items = fixedOrders(pageSize);
  const page = { items, nextCursor: null };
  return {
    ...createOrdersRepository(NO_DATABASE),
    list: async () => {
      if (pageCostMs > 0) busyFor(pageCostMs);
      return page;
    },
    get: async (id) => items.find((order) => order.id === id) ?? null,
  };
}

/** Holds the thread for `ms` milliseconds of wall time, as synchronous work does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Nothing else runs on this thread meanwhile: that is the cost being modelled.
  }
}
