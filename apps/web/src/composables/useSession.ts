import { useQuery } from '@tanstack/vue-query';
import { computed } from 'vue';
import { activeApiVersion } from '../api/versions/active-api-version';
import { type SessionState, sessionQueryKey } from '../session/session-query-key';

/**
 * Who is signed in, from the "who am I" query (server state, so vue-query's, not a store).
 * It asks once the tab's version is active, with a module loaded then (api/session.queries.ts
 * and the contract's schemas stay out of the first load); after that, sign-in, sign-out and
 * any 401 set it (session/replace-session-in-cache.ts), never a timer.
 */
export function useSession() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async ({ signal }): Promise<SessionState> => (await import('../api/session.queries')).fetchSession(signal),
    enabled: computed(() => activeApiVersion.value !== undefined),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}
