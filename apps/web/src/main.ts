import { createApp } from 'vue';
import { createWebHistory } from 'vue-router';
import App from './App.vue';
import { queryClient } from './api/query-client';
import { config } from './config';
import { installApp } from './install-app';
import { createAppRouter } from './router';
import { installSessionGuard } from './session/install-session-guard';
import './style.css';

// #region labs
// The workshop's lab layer (./labs/), only when the page's config says so (its server's
// WEB_LABS_ENABLED=true): loaded with import(), so without it the page loads none of it
// and nothing asks for the lab state. It adds the Lab console and applies the labs' settings (read from the
// API, waited for at most 2 s) before the first product call.
const labLayer = config.labs ? import('./labs/install-labs') : undefined;
// #endregion labs

const router = createAppRouter(createWebHistory(import.meta.env.BASE_URL));
// Before the router's first navigation: every page but sign-in and sign-up needs a session.
installSessionGuard(router, queryClient);
const app = installApp(createApp(App), { router, queryClient });
// A page the web server sent with its first screen already in it (pre-rendered at build
// time, first-screen/) is replaced in one step, once its route's component has loaded (and
// the session guard has let it through): mounting at once would blank the page until then.
// Any other page mounts at once.
if (document.getElementById('app')?.hasChildNodes()) await router.isReady().catch(() => undefined);
app.mount('#app');

// What must run before the tab's first API call — RUM's hooks on the API client, then the
// version check — comes in chunks of its own: painting needs neither the client nor the
// check. They load once the page the tab was opened on is ready to render, so they do not
// compete with its first render (the orders page's LCP); until the version is active, the
// pages show their loading state and every call and stream waits for it
// (api/versions/active-api-version.ts).
await router.isReady().catch(() => undefined);
const [{ apiClient }, { startApiVersion }, rum] = await Promise.all([
  import('./api/client'),
  import('./api/versions/start-api-version'),
  config.rum ? import('./rum/start-rum') : undefined,
]);
// Before the first call, so every call is measured.
rum?.startRum(router, apiClient);
// #region labs
await labLayer
  ?.then(({ installLabs }) => installLabs({ router, queryClient }))
  .catch((error: unknown) => console.error('The lab layer did not load; the app runs without it.', error));
// #endregion labs
// The API version (v1, or v2 for a canary client) decides which orders module is loaded.
await startApiVersion(window.location.search);
