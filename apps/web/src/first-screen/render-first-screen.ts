import { QueryClient, type QueryClientConfig } from '@tanstack/vue-query';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createMemoryHistory } from 'vue-router';
import App from '../App.vue';
import { setApiOrigin } from '../api/api-origin';
import { queryClientConfig } from '../api/query-client';
import { installApp } from '../install-app';
import { createAppRouter } from '../router';

/**
 * Stands for the API origin in the rendered markup (the footer names it): the build does not
 * know it, the web server writes the run's in its place, as it writes the config block.
 */
export const API_ORIGIN_PLACEHOLDER = 'https://api-origin.tandem.invalid';

/**
 * The app's cache settings, for a render that has no data: no query runs (a page shows its
 * loading state, as in the browser before the first call answers), and no collection timer
 * outlives the render (TanStack's own default on a server), which would hold the build open.
 */
const renderQueryClientConfig: QueryClientConfig = {
  ...queryClientConfig,
  defaultOptions: {
    ...queryClientConfig.defaultOptions,
    queries: { ...queryClientConfig.defaultOptions?.queries, enabled: false, gcTime: Number.POSITIVE_INFINITY },
  },
};

/** A page's first screen as markup, and the source modules its render used (for its preloads). */
export interface RenderedFirstScreen {
  /** What goes inside `<div id="app">`. */
  html: string;
  /** Module ids relative to the app's root (`src/pages/OrdersPage.vue`), as Vite's SSR manifest keys them. */
  modules: string[];
}

/**
 * Renders what the app shows first at `path` — the shell and the page in its loading state,
 * since no call has answered yet — with the same components, router and plugins as the
 * browser (install-app.ts). Run at build time only (vite-plugins/first-screens.ts), in Node.
 */
export async function renderFirstScreen(path: string): Promise<RenderedFirstScreen> {
  setApiOrigin(API_ORIGIN_PLACEHOLDER);
  const router = createAppRouter(createMemoryHistory());
  const queryClient = new QueryClient(renderQueryClientConfig);
  const app = installApp(createSSRApp(App), { router, queryClient });
  await router.push(path);
  await router.isReady();
  const context: { modules?: Set<string> } = {};
  const html = await renderToString(app, context);
  queryClient.clear();
  return { html, modules: [...(context.modules ?? [])] };
}
