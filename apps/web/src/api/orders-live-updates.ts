import type { LiveEvent } from '@tandem/contract';
import type { QueryClient } from '@tanstack/vue-query';
import { orderKeys, patchOrder } from './orders.queries';

/**
 * Keeps the orders cache in step with one live event: a status change is patched in
 * place (no request), a new order seeds its detail and marks the lists stale (a keyset
 * page cannot take an insert at the top without refetching), and a `stream.reset` —
 * events were missed — marks everything about orders stale.
 */
export function applyOrderEvent(queryClient: QueryClient, event: LiveEvent): Promise<void> | undefined {
  switch (event.type) {
    case 'order.status_changed':
      patchOrder(queryClient, event.orderId, (order) => ({ ...order, status: event.to }));
      return undefined;
    case 'order.created':
      queryClient.setQueryData([...orderKeys.details(), event.order.id], event.order);
      return queryClient.invalidateQueries({ queryKey: orderKeys.lists() });
    case 'stream.reset':
      return queryClient.invalidateQueries({ queryKey: orderKeys.all });
    case 'generator.tick':
      return undefined;
  }
}
