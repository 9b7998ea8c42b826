import type { QueryTiming } from './db/database.js';

/** What one request spent, summed as it runs, for its `Server-Timing` header. */
export interface RequestTiming extends QueryTiming {
  startedAt: number;
  /** Answered from the orders page cache (plugins/app/orders-page-cache.ts): no query ran. */
  cacheHit: boolean;
}
