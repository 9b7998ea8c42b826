import { useQuery } from '@tanstack/vue-query';
import { computed } from 'vue';
import { useRoute } from 'vue-router';
import { activeApiVersion } from '../api/versions/active-api-version';
import { type SessionState, sessionQueryKey } from '../session/session-query-key';

/**
 * Who is signed in, from the "who am I" query (server state, so vue-query's, not a store).
 * It asks once the tab's version is active, with a module loaded then (api/session.queries.ts
 * and the contract's schemas stay out of the first load); after that, sign-in, sign-out and
 * any 401 set it (session/replace-session-in-cache.ts), never a timer. The public pages
 * (sign-in, sign-up) do not ask: a visitor there has, as a rule, no session, and the 401
 * would be the page's only failed request.
 */
export function useSession() {
  const route = useRoute();
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async ({ signal }): Promise<SessionState> => (await import('../api/session.queries')).fetchSession(signal),
    enabled: computed(() => activeApiVersion.value !== undefined && !route.meta.public),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}
