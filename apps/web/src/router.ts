import { createRouter, createWebHistory } from 'vue-router';

/** The app's routes; a feature added from outside adds its own with `router.addRoute` (and a link, navigation.ts). */
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', redirect: { name: 'orders' } },
    { path: '/orders', name: 'orders', component: () => import('./pages/OrdersPage.vue') },
    { path: '/orders/new', name: 'order-new', component: () => import('./pages/NewOrderPage.vue') },
    { path: '/orders/:id', name: 'order', component: () => import('./pages/OrderDetailPage.vue'), props: true },
    { path: '/customers', name: 'customers', component: () => import('./pages/CustomersPage.vue') },
    { path: '/:path(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});
