import { type CreateOrderBody, endpoints, type Order } from '@tandem/contract';
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/vue-query';
import { type MaybeRefOrGetter, toValue } from 'vue';
import type { z } from 'zod';
import { call } from './client';

/** Every key of the orders cache starts here, so one invalidation reaches them all. */
export const orderKeys = {
  all: ['orders'] as const,
  lists: () => [...orderKeys.all, 'list'] as const,
  details: () => [...orderKeys.all, 'detail'] as const,
};

/** Pages of orders, newest first; the next page starts at the previous page's cursor. */
export function ordersListQuery(pageSize: MaybeRefOrGetter<number>) {
  return infiniteQueryOptions({
    queryKey: [...orderKeys.lists(), pageSize],
    queryFn: ({ pageParam, signal }) =>
      call(endpoints.listOrders, {
        query: { limit: String(toValue(pageSize)), cursor: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function orderQuery(id: MaybeRefOrGetter<string>) {
  return queryOptions({
    queryKey: [...orderKeys.details(), id],
    queryFn: ({ signal }) => call(endpoints.getOrder, { params: { id: toValue(id) }, signal }),
  });
}

/** The wire form of a new order, as a person typed it; the server validates it. */
export type NewOrder = z.input<typeof CreateOrderBody>;

/** Creates an order; the new order seeds its detail cache and every list is refetched. */
export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewOrder) => call(endpoints.createOrder, { body }),
    onSuccess: (order: Order) => {
      queryClient.setQueryData([...orderKeys.details(), order.id], order);
      return queryClient.invalidateQueries({ queryKey: orderKeys.lists() });
    },
  });
}
