import { QueryClient, type QueryClientConfig } from '@tanstack/vue-query';
import type { ApiError } from './api-error';

declare module '@tanstack/vue-query' {
  // Every query and mutation fails with an ApiError (see client.ts), so say so once.
  interface Register {
    defaultError: ApiError;
  }
}

/**
 * Every default of the server-state cache, in one place.
 *
 * No retries here: `call()` retries a failed attempt itself, by the policy in
 * retry-policy.ts, within the call's deadline (DEADLINES.clientTimeoutMs from the contract).
 * Retrying here as well would multiply the attempts (3 × 3) and give each vue-query try a
 * fresh deadline, so a query could outlive the deadline it sends as `X-Request-Timeout`.
 */
export const queryClientConfig: QueryClientConfig = {
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      gcTime: 5 * 60_000,
      retry: false,
      refetchOnWindowFocus: true,
    },
    // A write is retried by `call()` only when it carries an Idempotency-Key.
    mutations: { retry: false },
  },
};

export const queryClient = new QueryClient(queryClientConfig);
