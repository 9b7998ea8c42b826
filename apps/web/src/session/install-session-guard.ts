import type { QueryClient } from '@tanstack/vue-query';
import type { Router } from 'vue-router';
import { signInLocation } from './next-path';
import { replaceSessionInCache } from './replace-session-in-cache';
import { type SessionState, sessionQueryKey } from './session-query-key';

/** An answer that says the session is gone (none, expired, revoked), as opposed to a wrong password's 401. */
function endsSession(error: unknown): boolean {
  return error instanceof Error && error.name === 'UNAUTHENTICATED';
}

/**
 * Keeps every page but the public ones (`meta.public`: sign-in, sign-up) behind a session,
 * from what the "who am I" query holds (session-query-key.ts):
 *
 * - a navigation to a page that needs a session, when the tab knows it has none, goes to the
 *   sign-in page with `?next=` the page asked for;
 * - while nobody has asked yet (the tab's first page), the page is let through: "who am I"
 *   waits for the version check, which waits for the first page, so waiting here would
 *   never end. The page shows its loading state meanwhile; the answer (or any 401) decides;
 * - any call that answers 401 UNAUTHENTICATED (a revoked or expired session) ends the
 *   session in the cache, and the page goes to sign-in, to come back after it;
 * - the session becoming `null` while a private page shows sends that page to sign-in.
 *
 * Registered before the router's first navigation (main.ts).
 */
export function installSessionGuard(router: Router, queryClient: QueryClient): void {
  router.beforeEach((to) => {
    if (to.meta.public) return true;
    const session = queryClient.getQueryData<SessionState>(sessionQueryKey);
    return session === null ? signInLocation(to.fullPath) : true;
  });

  const sessionLost = (error: unknown) => {
    if (!endsSession(error)) return;
    // Outside the cache's notification: removing queries while it notifies is not safe.
    queueMicrotask(() => replaceSessionInCache(queryClient, null));
  };
  queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    if (event.action.type === 'error') sessionLost(event.action.error);
    else if (event.action.type === 'success' && event.query.queryKey[0] === sessionQueryKey[0]) {
      const current = router.currentRoute.value;
      if (event.action.data === null && !current.meta.public) void router.replace(signInLocation(current.fullPath));
    }
  });
  queryClient.getMutationCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'error') sessionLost(event.action.error);
  });
}
