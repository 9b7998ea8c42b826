import { QueryClient, type QueryClientConfig } from '@tanstack/vue-query';
import { ApiError } from './api-error';

declare module '@tanstack/vue-query' {
  // Every query and mutation fails with an ApiError (see client.ts), so say so once.
  interface Register {
    defaultError: ApiError;
  }
}

const MAX_RETRIES = 2;

/**
 * Whether a failed query is tried again. Only failures that may pass on their own are:
 * no answer, or a 5xx. A 4xx is the same on every try, and an answer that breaks the
 * contract will not mend itself. (The retry-429 lab swaps this policy at run time.)
 */
export function retryPolicy(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (!(error instanceof ApiError)) return false;
  if (error.name === 'NETWORK' || error.name === 'TIMEOUT') return true;
  return error.status >= 500;
}

/** Every default of the server-state cache, in one place. */
export const queryClientConfig: QueryClientConfig = {
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      gcTime: 5 * 60_000,
      retry: retryPolicy,
      retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5_000),
      refetchOnWindowFocus: true,
    },
    // A create is not idempotent: never repeat it behind the user's back.
    mutations: { retry: false },
  },
};

export const queryClient = new QueryClient(queryClientConfig);
