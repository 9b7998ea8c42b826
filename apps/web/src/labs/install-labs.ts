import type { QueryClient } from '@tanstack/vue-query';
import type { Router } from 'vue-router';
import { observeLiveResources } from '../live/live-resources';
import { addNavigationLink } from '../navigation';
import { followLabState } from './follow-lab-state';
import { labsQuery } from './labs.queries';
import { countOpenConnections } from './open-connections';

/** How long the first screen may wait for the lab settings before it starts on the tuned defaults. */
export const LAB_STATE_WAIT_MS = 2_000;

export interface LabsInstallation {
  router: Router;
  queryClient: QueryClient;
}

/**
 * The SPA's lab layer, installed from outside: main.ts loads this module with import()
 * only when the page's config block says labs are on (`WEB_LABS_ENABLED=true` on its
 * server), while the app mounts, and calls it before the tab's first product call (the
 * version check).
 *
 * - counts the live resources the product reports (open-connections.ts, read by the leaks
 *   lab as `window.__tandemOpenConnections`); the app's socket and streams open after the
 *   version check, so they are all counted;
 * - adds the Lab console (`/labs`, its own chunk) and its link in the main navigation (a
 *   tab opened on `/labs` showed the not-found page until then, and moves to the console);
 * - follows the lab state in the query cache (`GET /api/v1/labs`) and applies every
 *   lab's setting to the product's seams (lab-modes.ts → lab-seams.ts).
 *
 * Resolves once the lab state has been applied, or after LAB_STATE_WAIT_MS without an
 * answer (the tab then starts on the tuned defaults and applies the state when it comes).
 * main.ts waits for it before the first product call, so every call of the session is
 * made with the labs' settings: the API origin (h2-sse), the headers (cors-preflight,
 * request-id), the retry policy.
 */
export async function installLabs({ router, queryClient }: LabsInstallation): Promise<void> {
  observeLiveResources(countOpenConnections);
  router.addRoute({ path: '/labs', name: 'labs', component: () => import('./LabsPage.vue') });
  // The app mounted without waiting for this layer: its first navigation may have found no
  // route for the address the tab was opened on. Resolve that address again now.
  void router.isReady().then(() => {
    const { fullPath, name } = router.currentRoute.value;
    if (router.resolve(fullPath).name !== name) return router.replace(fullPath);
  });
  addNavigationLink({ label: 'Labs', to: { name: 'labs' } });
  followLabState(queryClient);

  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    queryClient.prefetchQuery(labsQuery()),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LAB_STATE_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
}
