import type { LiveEvent } from '@tandem/contract';

/** The events a person reads in the activity feed; generator ticks and stream bookkeeping are not among them. */
export type FeedEvent = Extract<LiveEvent, { type: 'order.created' | 'order.status_changed' }>;

export const FEED_LENGTH = 50;

export function isFeedEvent(event: LiveEvent): event is FeedEvent {
  return event.type === 'order.created' || event.type === 'order.status_changed';
}

/**
 * The feed after `event`: newest first, at most `limit` long. Returns the same array when
 * nothing changes (an event that is not shown, or one already shown — a resumed stream
 * may repeat the last event), so a caller can skip the update.
 */
export function addToFeed(
  feed: readonly FeedEvent[],
  event: LiveEvent,
  limit: number = FEED_LENGTH,
): readonly FeedEvent[] {
  if (!isFeedEvent(event)) return feed;
  if (feed.some((shown) => shown.seq === event.seq && shown.type === event.type)) return feed;
  return [event, ...feed].slice(0, limit);
}
