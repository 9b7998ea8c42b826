import { type QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { createPinia } from 'pinia';
import type { App } from 'vue';
import type { Router } from 'vue-router';

/**
 * Gives an app instance of App.vue what every screen uses: pinia, the router and the
 * server-state cache. One place for the browser's app (main.ts) and the build's pre-render
 * of the first screens (first-screen/), so the two render the same tree.
 */
export function installApp<T extends App>(
  app: T,
  { router, queryClient }: { router: Router; queryClient: QueryClient },
): T {
  app.use(createPinia()).use(router).use(VueQueryPlugin, { queryClient });
  return app;
}
