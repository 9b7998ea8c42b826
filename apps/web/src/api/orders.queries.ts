import type { Order, OrderPage, OrderStatus } from '@tandem/contract';
import {
  type InfiniteData,
  infiniteQueryOptions,
  type QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
} from '@tanstack/vue-query';
import { type MaybeRefOrGetter, toValue } from 'vue';
import { activeOrdersApi } from './versions/active-api-version';
import type { NewOrder } from './versions/orders-api';

export type { NewOrder } from './versions/orders-api';

// Every call goes through the API version this tab runs (src/api/versions/), which answers
// in the one model the cache holds whatever the version: `Order` and `OrderPage`. Until the
// version is known, a query waits for it and its view shows its loading state.

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
    queryFn: async ({ pageParam, signal }) =>
      (await activeOrdersApi()).list({ limit: toValue(pageSize), cursor: pageParam ?? undefined, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function orderQuery(id: MaybeRefOrGetter<string>) {
  return queryOptions({
    queryKey: [...orderKeys.details(), id],
    queryFn: async ({ signal }) => (await activeOrdersApi()).get(toValue(id), signal),
  });
}

export interface CreateOrderRequest {
  body: NewOrder;
  /**
   * One key per user action (see useOrderForm): `call()` sends it as `Idempotency-Key` and
   * may then retry the create; the API answers a repeat with the first order, and a key
   * reused with another body with 422 IDEMPOTENCY_KEY_REUSED.
   */
  idempotencyKey: string;
}

/** Creates an order; the new order seeds its detail cache and every list is refetched. */
export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: CreateOrderRequest) =>
      (await activeOrdersApi()).create(body, idempotencyKey),
    onSuccess: (order: Order) => {
      queryClient.setQueryData([...orderKeys.details(), order.id], order);
      return queryClient.invalidateQueries({ queryKey: orderKeys.lists() });
    },
  });
}

export interface OrderStatusChange {
  id: string;
  status: OrderStatus;
}

/**
 * Moves an order to its next status. The answer replaces the order in its detail cache
 * and in every loaded list page; a 409 (INVALID_STATUS_TRANSITION) means the order moved
 * elsewhere first, so its detail is refetched.
 */
export function useUpdateOrderStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, status }: OrderStatusChange) => (await activeOrdersApi()).updateStatus(id, status),
    onSuccess: (order: Order) => patchOrder(queryClient, order.id, () => order),
    onError: (error, { id }) => {
      if (error.status === 409) return queryClient.invalidateQueries({ queryKey: [...orderKeys.details(), id] });
    },
  });
}

type OrderPages = InfiniteData<OrderPage, string | null>;

/**
 * Replaces one order wherever the cache holds it (its detail and every loaded list page)
 * with `update(order)`, without a refetch. Lists that do not hold it are left alone.
 */
export function patchOrder(queryClient: QueryClient, id: string, update: (order: Order) => Order): void {
  queryClient.setQueryData<Order>([...orderKeys.details(), id], (order) => (order ? update(order) : order));
  queryClient.setQueriesData<OrderPages>({ queryKey: orderKeys.lists() }, (data) => {
    if (!data?.pages.some((page) => page.items.some((order) => order.id === id))) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((order) => (order.id === id ? update(order) : order)),
      })),
    };
  });
}
