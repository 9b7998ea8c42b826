import { reactive, readonly } from 'vue';
import type { LiveResourceKind, LiveResourceObserver } from '../live/live-resources';

export type ConnectionKind = 'eventSources' | 'webSockets' | 'timers';

const KIND_OF: Record<LiveResourceKind, ConnectionKind> = {
  eventSource: 'eventSources',
  webSocket: 'webSockets',
  timer: 'timers',
};

const counts = reactive({ eventSources: 0, webSockets: 0, timers: 0 });

/**
 * How many EventSources, WebSockets and timers (intervals and pending timeouts) the live
 * composables of this tab hold right now. The leaks lab reads it from the page as
 * `window.__tandemOpenConnections`; the Lab console shows it.
 */
export const openConnections: Readonly<Record<ConnectionKind, number>> = readonly(counts);

/**
 * Counts the live resources the product reports (src/live/live-resources.ts); the lab
 * installer hands it to `observeLiveResources` before the tab's first product call.
 */
export const countOpenConnections: LiveResourceObserver = (kind) => {
  const key = KIND_OF[kind];
  counts[key] += 1;
  return () => {
    counts[key] -= 1;
  };
};

declare global {
  interface Window {
    /** See openConnections: `{ eventSources, webSockets, timers }`, live. */
    __tandemOpenConnections?: Readonly<Record<ConnectionKind, number>>;
  }
}

if (typeof window !== 'undefined') window.__tandemOpenConnections = openConnections;
