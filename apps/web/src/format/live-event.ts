import type { FeedEvent } from '../live/activity-feed';
import { formatMoney } from './money';

/** One line of the activity feed, e.g. "Order for Ada created — 33.99" or "Order 3f0c… paid → shipped". */
export function describeLiveEvent(event: FeedEvent): string {
  switch (event.type) {
    case 'order.created':
      return `Order for ${event.order.customer} created — ${formatMoney(event.order.total)}`;
    case 'order.status_changed':
      return `Order ${event.orderId.slice(0, 4)}… ${event.from} → ${event.to}`;
  }
}
