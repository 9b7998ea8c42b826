import { VueQueryPlugin } from '@tanstack/vue-query';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { labsQuery } from './api/labs.queries';
import { queryClient } from './api/query-client';
import { followLabState } from './labs/follow-lab-state';
import { router } from './router';
import './style.css';

/** How long the first screen may wait for the lab settings before it starts on the tuned defaults. */
const LAB_STATE_WAIT_MS = 2_000;

followLabState(queryClient);
// The lab settings decide which API listener the first requests and streams use, so they
// are read before the app mounts; an API that does not answer in time does not hold it up.
await Promise.race([
  queryClient.prefetchQuery(labsQuery()),
  new Promise((resolve) => setTimeout(resolve, LAB_STATE_WAIT_MS)),
]);

createApp(App).use(createPinia()).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');
