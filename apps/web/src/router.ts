import { createRouter, type Router, type RouterHistory } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without a session (session/install-session-guard.ts); every other page needs one. */
    public?: boolean;
  }
}

/**
 * The app's router over `history`: the browser's (main.ts) or one in memory (the build's
 * pre-render, first-screen/). A feature added from outside adds its own routes with
 * `router.addRoute` (and a link, navigation.ts).
 */
export function createAppRouter(history: RouterHistory): Router {
  return createRouter({
    history,
    routes: [
      { path: '/', redirect: { name: 'orders' } },
      { path: '/orders', name: 'orders', component: () => import('./pages/OrdersPage.vue') },
      { path: '/orders/new', name: 'order-new', component: () => import('./pages/NewOrderPage.vue') },
      { path: '/orders/:id', name: 'order', component: () => import('./pages/OrderDetailPage.vue'), props: true },
      { path: '/customers', name: 'customers', component: () => import('./pages/CustomersPage.vue') },
      { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
      { path: '/sign-up', name: 'sign-up', component: () => import('./pages/SignUpPage.vue'), meta: { public: true } },
      { path: '/:path(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
    ],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  });
}
