import type { QueryClient } from '@tanstack/vue-query';
import { type SessionState, sessionQueryKey } from './session-query-key';

/**
 * Sets who is signed in (`null`: nobody) and forgets everything the previous session could
 * read: every other query and every settled mutation. On sign-out and after a 401 nothing
 * private stays in the tab (the back button finds an empty cache); on sign-in another
 * account's orders cannot show for a moment to the one signing in now.
 *
 * The session's own query is kept and set rather than removed, so what observes it (the
 * header, the route guard) follows at once; a mutation still running (the sign-out itself)
 * is left to finish.
 */
export function replaceSessionInCache(queryClient: QueryClient, session: SessionState): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
  const mutations = queryClient.getMutationCache();
  for (const mutation of mutations.getAll()) {
    if (mutation.state.status !== 'pending') mutations.remove(mutation);
  }
  queryClient.setQueryData<SessionState>(sessionQueryKey, session);
}
