import { reactive, readonly } from 'vue';

export type ConnectionKind = 'eventSources' | 'webSockets' | 'timers';

const counts = reactive({ eventSources: 0, webSockets: 0, timers: 0 });

/**
 * How many EventSources, WebSockets and timers (intervals and pending timeouts) the live
 * composables of this tab hold right now. The leaks lab reads it from the page as
 * `window.__tandemOpenConnections`; the Lab console shows it.
 */
export const openConnections: Readonly<Record<ConnectionKind, number>> = readonly(counts);

/**
 * Counts one resource as open and returns the function that counts it closed; calling
 * that function again does nothing, so every close path may call it.
 */
export function trackOpen(kind: ConnectionKind): () => void {
  counts[kind] += 1;
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    counts[kind] -= 1;
  };
}

declare global {
  interface Window {
    /** See openConnections: `{ eventSources, webSockets, timers }`, live. */
    __tandemOpenConnections?: Readonly<Record<ConnectionKind, number>>;
  }
}

if (typeof window !== 'undefined') window.__tandemOpenConnections = openConnections;
