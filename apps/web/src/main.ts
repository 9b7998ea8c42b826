import { VueQueryPlugin } from '@tanstack/vue-query';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { apiClient } from './api/client';
import { labsQuery } from './api/labs.queries';
import { queryClient } from './api/query-client';
import { startApiVersion } from './api/versions/start-api-version';
import { config } from './config';
import { followLabState } from './labs/follow-lab-state';
import { router } from './router';
import { startRum } from './rum/start-rum';
import './style.css';

/** How long the first screen may wait for the lab settings before it starts on the tuned defaults. */
const LAB_STATE_WAIT_MS = 2_000;

followLabState(queryClient);
// Before the first call, so the lab settings' request is measured too.
if (config.rum) startRum(router, apiClient);
// The lab settings decide which API listener the first requests and streams use, so they
// are read before the app mounts; an API that does not answer in time does not hold it up.
await Promise.race([
  queryClient.prefetchQuery(labsQuery()),
  new Promise((resolve) => setTimeout(resolve, LAB_STATE_WAIT_MS)),
]);
// The API version (v1, or v2 for a canary client) decides which orders module is loaded:
// learned once, after the lab settings (which pick the API origin), before any data view.
await startApiVersion(window.location.search);

createApp(App).use(createPinia()).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');
