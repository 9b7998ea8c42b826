import { QueryClient } from '@tanstack/vue-query';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiError } from '../api/api-error';
import { installSessionGuard } from './install-session-guard';
import { type SessionState, sessionQueryKey } from './session-query-key';

const page = { render: () => null };
const SESSION = {
  user: { id: 'd0a3b3a4-3b0e-4a55-9d7c-2b8c7c0f9e11', email: 'ada@example.com', role: 'user' },
  expiresAt: new Date('2026-12-12T00:00:00Z'),
} as unknown as SessionState;

async function setUp(session: SessionState | undefined) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/orders', name: 'orders', component: page },
      { path: '/orders/:id', name: 'order', component: page },
      { path: '/sign-in', name: 'sign-in', component: page, meta: { public: true } },
    ],
  });
  const queryClient = new QueryClient();
  if (session !== undefined) queryClient.setQueryData(sessionQueryKey, session);
  installSessionGuard(router, queryClient);
  return { router, queryClient };
}

const failure = (name: 'UNAUTHENTICATED' | 'INVALID_CREDENTIALS') =>
  new ApiError({ name, message: name, status: 401, code: 40102 });

/** Lets the cache's notifications and the guard's microtask and navigation run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('installSessionGuard', () => {
  it('lets a page that needs a session through while nobody has asked who is signed in (the first page)', async () => {
    const { router } = await setUp(undefined);
    await router.push('/orders/42');
    expect(router.currentRoute.value.fullPath).toBe('/orders/42');
  });

  it('sends a page that needs a session to sign-in, with where it was going, once the tab knows there is none', async () => {
    const { router } = await setUp(null);
    await router.push('/orders/42?tab=items');
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.next).toBe('/orders/42?tab=items');
  });

  it('lets the public pages through without a session', async () => {
    const { router } = await setUp(null);
    await router.push('/sign-in');
    expect(router.currentRoute.value.fullPath).toBe('/sign-in');
  });

  it('on a 401 UNAUTHENTICATED from any query: empties the cache, ends the session, sends the page to sign-in and back', async () => {
    const { router, queryClient } = await setUp(SESSION);
    await router.push('/orders/42');
    queryClient.setQueryData(['orders', 'detail', '42'], { id: '42' });
    await queryClient
      .fetchQuery({ queryKey: ['orders', 'list'], queryFn: () => Promise.reject(failure('UNAUTHENTICATED')) })
      .catch(() => undefined);
    await settle();
    expect(queryClient.getQueryData(sessionQueryKey)).toBeNull();
    expect(queryClient.getQueryData(['orders', 'detail', '42'])).toBeUndefined();
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.next).toBe('/orders/42');
  });

  it('the same for a mutation; a wrong password (INVALID_CREDENTIALS) ends nothing', async () => {
    const { router, queryClient } = await setUp(SESSION);
    await router.push('/orders');
    const mutate = (name: 'UNAUTHENTICATED' | 'INVALID_CREDENTIALS') =>
      queryClient
        .getMutationCache()
        .build(queryClient, { mutationFn: () => Promise.reject(failure(name)) })
        .execute(undefined)
        .catch(() => undefined);

    await mutate('INVALID_CREDENTIALS');
    await settle();
    expect(queryClient.getQueryData(sessionQueryKey)).toEqual(SESSION);
    expect(router.currentRoute.value.name).toBe('orders');

    await mutate('UNAUTHENTICATED');
    await settle();
    expect(queryClient.getQueryData(sessionQueryKey)).toBeNull();
    expect(router.currentRoute.value.name).toBe('sign-in');
  });

  it('"who am I" answering nobody while a private page shows sends it to sign-in', async () => {
    const { router, queryClient } = await setUp(undefined);
    await router.push('/orders');
    queryClient.setQueryData(sessionQueryKey, null);
    await settle();
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.next).toBeUndefined();
  });
});
