import { LiveEvent, Order } from '@tandem/contract';
import { InfiniteQueryObserver, QueryClient } from '@tanstack/vue-query';
import { describe, expect, it, vi } from 'vitest';
import { orderKeys } from './orders.queries';
import { applyOrderEvent } from './orders-live-updates';

const order = (id: string, status = 'paid') =>
  Order.parse({
    id,
    customer: 'Ada',
    items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 10 }],
    total: 10,
    status,
    createdAt: '2026-11-24T09:30:00.000Z',
  });
const A = '0b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e90';
const B = '1b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e91';
const at = '2026-11-24T10:00:00.000Z';

function seeded() {
  const queryClient = new QueryClient();
  queryClient.setQueryData([...orderKeys.details(), A], order(A));
  queryClient.setQueryData([...orderKeys.lists(), 20], {
    pages: [{ items: [order(A), order(B)], nextCursor: null }],
    pageParams: [null],
  });
  return queryClient;
}

describe('applyOrderEvent', () => {
  it('patches a status change into the detail and the lists, without marking them stale', () => {
    const queryClient = seeded();
    applyOrderEvent(
      queryClient,
      LiveEvent.parse({ type: 'order.status_changed', seq: 1, at, orderId: A, from: 'paid', to: 'shipped' }),
    );
    expect(queryClient.getQueryData<Order>([...orderKeys.details(), A])?.status).toBe('shipped');
    const list = queryClient.getQueryData<{ pages: { items: Order[] }[] }>([...orderKeys.lists(), 20]);
    expect(list?.pages[0]?.items.map((item) => item.status)).toEqual(['shipped', 'paid']);
    expect(queryClient.getQueryState([...orderKeys.lists(), 20])?.isInvalidated).toBe(false);
  });

  it('seeds a new order’s detail and marks the lists stale', async () => {
    const queryClient = seeded();
    const C = '2b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e92';
    await applyOrderEvent(
      queryClient,
      LiveEvent.parse({ type: 'order.created', seq: 2, at, order: Order.encode(order(C, 'pending')) }),
    );
    expect(queryClient.getQueryData<Order>([...orderKeys.details(), C])?.status).toBe('pending');
    expect(queryClient.getQueryState([...orderKeys.lists(), 20])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState([...orderKeys.details(), A])?.isInvalidated).toBe(false);
  });

  it('marks everything about orders stale after a stream reset', async () => {
    const queryClient = seeded();
    await applyOrderEvent(queryClient, LiveEvent.parse({ type: 'stream.reset', seq: 9, at, oldestSeq: 5 }));
    expect(queryClient.getQueryState([...orderKeys.details(), A])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState([...orderKeys.lists(), 20])?.isInvalidated).toBe(true);
  });

  it('lets a "Load more" in flight land before refetching the lists for a new order', async () => {
    const queryClient = new QueryClient();
    const C = '2b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e92';
    const calls: (string | null)[] = [];
    const releases: (() => void)[] = [];
    const observer = new InfiniteQueryObserver(queryClient, {
      queryKey: [...orderKeys.lists(), 1],
      queryFn: ({ pageParam }: { pageParam: string | null }) => {
        calls.push(pageParam);
        const page =
          pageParam === null ? { items: [order(A)], nextCursor: 'next' } : { items: [order(B)], nextCursor: null };
        return new Promise<typeof page>((resolve) => releases.push(() => resolve(page)));
      },
      initialPageParam: null as string | null,
      getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor,
    });
    /** Answers the one request in flight (waiting for it to be sent). */
    const answer = async () => {
      await vi.waitFor(() => expect(releases).toHaveLength(1));
      releases.shift()?.();
    };
    const unsubscribe = observer.subscribe(() => {});
    await answer();
    await vi.waitFor(() => expect(observer.getCurrentResult().data?.pages).toHaveLength(1));

    const nextPage = observer.fetchNextPage();
    await vi.waitFor(() => expect(calls).toEqual([null, 'next']));
    const applied = applyOrderEvent(
      queryClient,
      LiveEvent.parse({ type: 'order.created', seq: 2, at, order: Order.encode(order(C, 'pending')) }),
    );
    await answer(); // the next page
    await nextPage;
    expect(observer.getCurrentResult().data?.pages).toHaveLength(2);
    // Then the lists are refetched: every page the user has loaded.
    await answer();
    await answer();
    await applied;
    expect(calls).toEqual([null, 'next', null, 'next']);
    expect(observer.getCurrentResult().data?.pages).toHaveLength(2);
    unsubscribe();
  });
});
