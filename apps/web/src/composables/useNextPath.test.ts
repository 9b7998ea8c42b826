import { describe, expect, it } from 'vitest';
import { createApp } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useNextPath } from './useNextPath';

const page = { render: () => null };

async function onSignInPage(url: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/orders', name: 'orders', component: page },
      { path: '/orders/:id', name: 'order', component: page },
      { path: '/sign-in', name: 'sign-in', component: page },
    ],
  });
  const app = createApp(page).use(router);
  await router.push(url);
  return { router, ...app.runWithContext(() => useNextPath()) };
}

describe('useNextPath', () => {
  it('goes where ?next= says once signed in, and hands it on to the other page', async () => {
    const { router, goNext, nextQuery } = await onSignInPage('/sign-in?next=/orders/42');
    expect(nextQuery.value).toEqual({ next: '/orders/42' });
    await goNext();
    expect(router.currentRoute.value.fullPath).toBe('/orders/42');
  });

  it('goes to the orders when ?next= leaves this app, and hands on only the safe path', async () => {
    const { router, goNext, nextQuery } = await onSignInPage('/sign-in?next=//evil.example/orders');
    expect(nextQuery.value).toEqual({ next: '/orders' });
    await goNext();
    expect(router.currentRoute.value.fullPath).toBe('/orders');
  });

  it('without ?next=, hands nothing on and goes to the orders', async () => {
    const { router, goNext, nextQuery } = await onSignInPage('/sign-in');
    expect(nextQuery.value).toEqual({});
    await goNext();
    expect(router.currentRoute.value.fullPath).toBe('/orders');
  });
});
