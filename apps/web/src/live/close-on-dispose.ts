import { onScopeDispose } from 'vue';

let enabled = true;

/**
 * Registers what closes a composable's live resources (its EventSource, WebSocket, timers)
 * for when its component, or effect scope, goes away. The setting is read here, once, in
 * setup: a change applies to components mounted after it.
 */
export function closeOnDispose(close: () => void): void {
  if (enabled) onScopeDispose(close);
}

/** Whether components mounted now close their live resources when they unmount. */
export function closesOnDispose(): boolean {
  return enabled;
}

/**
 * `false` leaves the live resources of components mounted from now on open after they
 * unmount: a way to see what a component that forgets its cleanup costs (open
 * connections, server streams, timers), never a setting to ship. `true` is the default.
 */
export function setCloseOnDispose(next: boolean): void {
  enabled = next;
}
