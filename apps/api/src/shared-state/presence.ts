export type PresenceListener = (total: number) => void;

/**
 * How many WebSocket clients are connected, over every replica. The socket plugin
 * reports its own count on every join and leave; listeners get the total whenever it
 * may have changed. This process's is `createLocalPresence` (the total is the count);
 * with REDIS_URL, shared-state/redis-presence.ts sums every replica's.
 */
export interface Presence {
  /** This process's count of connected clients, now. */
  report(count: number): void;
  /** Told every total, from now on. Returns an unsubscribe. */
  subscribe(listener: PresenceListener): () => void;
}

/** Presence in this process only: the total is this process's count, told at once. */
export function createLocalPresence(): Presence {
  const listeners = new Set<PresenceListener>();
  return {
    report(count) {
      for (const listener of listeners) listener(count);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
