import type { LiveEvent } from '@tandem/contract';
import type { QueryClient, QueryFilters } from '@tanstack/vue-query';
import { orderKeys, patchOrder } from './orders.queries';

/**
 * Keeps the orders cache in step with one live event: a status change is patched in
 * place (no request), a new order seeds its detail and marks the lists stale (a keyset
 * page cannot take an insert at the top without refetching), and a `stream.reset` —
 * events were missed — marks everything about orders stale. Neither cancels a request in
 * flight: a refetch started now would cancel a "Load more" and drop the page the user asked for.
 */
export function applyOrderEvent(queryClient: QueryClient, event: LiveEvent): Promise<void> | undefined {
  switch (event.type) {
    case 'order.status_changed':
      patchOrder(queryClient, event.orderId, (order) => ({ ...order, status: event.to }));
      return undefined;
    case 'order.created':
      queryClient.setQueryData([...orderKeys.details(), event.order.id], event.order);
      return invalidateAfterInFlight(queryClient, { queryKey: orderKeys.lists() });
    case 'stream.reset':
      return invalidateAfterInFlight(queryClient, { queryKey: orderKeys.all });
    case 'generator.tick':
      return undefined;
  }
}

/** Waits for the matching queries' requests in flight to land, then invalidates them all. */
async function invalidateAfterInFlight(queryClient: QueryClient, filters: QueryFilters): Promise<void> {
  // With `cancelRefetch: false` a query that is fetching hands back its request in flight.
  await queryClient.refetchQueries({ ...filters, fetchStatus: 'fetching' }, { cancelRefetch: false });
  await queryClient.invalidateQueries(filters);
}
