import type { LiveEvent } from '@tandem/contract';
import { useQueryClient } from '@tanstack/vue-query';
import { computed, readonly, ref, shallowRef, watch } from 'vue';
import { apiOrigin } from '../api/api-origin';
import { orderKeys } from '../api/orders.queries';
import { applyOrderEvent } from '../api/orders-live-updates';
import { addToFeed, FEED_LENGTH, type FeedEvent } from '../live/activity-feed';
import { closeOnDispose } from '../live/close-on-dispose';
import type { LiveContract } from '../live/live-contract';
import { liveResourceOpened } from '../live/live-resources';
import { type CancelTimer, setLiveTimeout } from '../live/live-timers';
import { loadLiveContract } from '../live/load-live-contract';
import { LIVE_RECONNECT, reconnectDelay } from '../live/reconnect-delay';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The order activity stream (`GET /api/v1/events`) for one component: the last `limit`
 * events a person reads, the connection state, and how many events arrived. Each event
 * is decoded with the contract's `LiveEvent` (dates become `Date`s) and applied to the
 * orders cache, so lists and details on screen stay current without polling.
 *
 * It opens once the live channels may (load-live-contract.ts: after the tab's version check),
 * so the page renders without waiting for it or for the contract. A dropped
 * connection is resumed by the browser itself, which sends `Last-Event-ID`;
 * when the browser gives up (an HTTP error, the server gone), a new stream is opened
 * after a capped, jittered backoff, and the orders cache is refetched, because a new
 * stream cannot resume.
 */
export function useEventStream(options: { limit?: number } = {}) {
  const limit = options.limit ?? FEED_LENGTH;
  const queryClient = useQueryClient();

  const feed = shallowRef<readonly FeedEvent[]>([]);
  const state = ref<StreamState>('connecting');
  const received = ref(0);
  const lastEventAt = ref<number | null>(null);

  let source: EventSource | undefined;
  let releaseSource: (() => void) | undefined;
  let cancelRetry: CancelTimer | undefined;
  let attempt = 0;
  let openedAt = 0;
  /** A new EventSource starts without Last-Event-ID: what happened in between must be refetched. */
  let missedEvents = false;
  /**
   * Whether this stream has had an `id:` to resume from. Until it has, the browser's own
   * reconnect sends no Last-Event-ID either, so a reconnect must refetch as well.
   */
  let canResume = false;
  /** The stream's path and event schema; undefined until it may open. */
  let wire: LiveContract['events'] | undefined;
  let disposed = false;

  function open() {
    if (!wire) return;
    const { path, types } = wire;
    cancelRetry?.();
    cancelRetry = undefined;
    // With the session cookie: the API is another origin, and the stream needs a session.
    const stream = new EventSource(`${apiOrigin.value}${path}`, { withCredentials: true });
    source = stream;
    canResume = false;
    releaseSource = liveResourceOpened('eventSource');

    stream.onopen = () => {
      const reconnected = state.value === 'reconnecting';
      state.value = 'open';
      openedAt = Date.now();
      if (missedEvents || (reconnected && !canResume)) {
        missedEvents = false;
        void queryClient.invalidateQueries({ queryKey: orderKeys.all });
      }
    };
    stream.onerror = () => {
      if (stream !== source) return;
      if (openedAt && Date.now() - openedAt >= LIVE_RECONNECT.stableMs) attempt = 0;
      openedAt = 0;
      if (stream.readyState === EventSource.CLOSED) {
        // The browser gave up on this stream; open a new one after a backoff.
        close();
        missedEvents = true;
        state.value = 'reconnecting';
        cancelRetry = setLiveTimeout(open, reconnectDelay(attempt++, LIVE_RECONNECT));
      } else {
        // The browser reconnects by itself and resumes with Last-Event-ID.
        state.value = 'reconnecting';
      }
    };
    for (const type of types) stream.addEventListener(type, onEvent);
  }

  function onEvent(message: MessageEvent<string>) {
    if (!wire) return;
    if (message.lastEventId !== '') canResume = true;
    let event: LiveEvent;
    try {
      event = wire.schema.parse(JSON.parse(message.data));
    } catch (error) {
      console.warn(`Ignored a "${message.type}" event that does not match the contract`, error);
      return;
    }
    received.value += 1;
    lastEventAt.value = Date.now();
    const next = addToFeed(feed.value, event, limit);
    if (next !== feed.value) feed.value = next;
    void applyOrderEvent(queryClient, event);
  }

  function close() {
    source?.close();
    source = undefined;
    releaseSource?.();
    releaseSource = undefined;
  }

  void loadLiveContract().then((contract) => {
    if (disposed) return;
    wire = contract.events;
    open();
  });

  // The API moved to another origin (setApiOrigin): follow it.
  watch(apiOrigin, () => {
    if (!wire || disposed) return;
    close();
    attempt = 0;
    missedEvents = true;
    state.value = 'reconnecting';
    open();
  });

  // The stream and the retry timer end with the component.
  closeOnDispose(() => {
    disposed = true;
    cancelRetry?.();
    cancelRetry = undefined;
    close();
    state.value = 'closed';
  });

  return {
    feed: computed(() => feed.value),
    state: readonly(state),
    received: readonly(received),
    lastEventAt: readonly(lastEventAt),
  };
}
