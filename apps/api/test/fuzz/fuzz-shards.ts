import type { Endpoint } from '@tandem/contract';

/**
 * The fuzz suite's files, each a share of the contract's endpoints on an app of its own,
 * so Vitest runs them side by side: one file of every endpoint was the api suite's
 * longest by far.
 */
export const FUZZ_SHARDS = ['orders', 'accounts', 'operations'] as const;
export type FuzzShard = (typeof FUZZ_SHARDS)[number];

/**
 * The file an endpoint's cases run in, from its path: the orders (v1 and v2), the
 * accounts and sessions, and everything else (probes, metrics, RUM, reports, the
 * operator's endpoints), where an endpoint new to the contract lands unless it is one of
 * the first two kinds.
 */
export function shardOf(endpoint: Pick<Endpoint, 'path'>): FuzzShard {
  if (/^\/api\/v\d+\/orders(\/|$)/.test(endpoint.path)) return 'orders';
  if (endpoint.path.startsWith('/api/v1/auth/')) return 'accounts';
  return 'operations';
}
