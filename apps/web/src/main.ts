import { VueQueryPlugin } from '@tanstack/vue-query';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { apiClient } from './api/client';
import { queryClient } from './api/query-client';
import { startApiVersion } from './api/versions/start-api-version';
import { config } from './config';
import { router } from './router';
import { startRum } from './rum/start-rum';
import './style.css';

// #region labs
// The workshop's lab layer (./labs/), only when the page's config says so (its server's
// WEB_LABS_ENABLED=true): loaded with import(), so without it the page loads none of it
// and nothing asks for the lab state. It adds the Lab console and applies the labs' settings (read from the
// API, waited for at most 2 s, as before the layer moved out) before the first product call.
const labsInstalled = config.labs
  ? import('./labs/install-labs')
      .then(({ installLabs }) => installLabs({ router, queryClient }))
      .catch((error: unknown) => console.error('The lab layer did not load; the app runs without it.', error))
  : undefined;
// #endregion labs
// Before the first call, so every call is measured.
if (config.rum) startRum(router, apiClient);
// #region labs
await labsInstalled;
// #endregion labs
// The API version (v1, or v2 for a canary client) decides which orders module is loaded:
// learned once, before any data view.
await startApiVersion(window.location.search);

createApp(App).use(createPinia()).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');
