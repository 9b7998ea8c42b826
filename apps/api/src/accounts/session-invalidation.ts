/**
 * Sessions that ended: one session (sign-out, revocation), every session of one account
 * (sign-out everywhere), or any session at all (`unknown`: a pub/sub channel that lost
 * messages while it was down cannot say which, so every cache forgets everything).
 */
export type SessionsEnded = { sessionId: string } | { userId: string } | { unknown: true };

export type SessionsEndedListener = (ended: SessionsEnded) => void;

/**
 * How the caches of looked-up sessions learn that sessions ended. This process's is
 * `createLocalSessionInvalidation`; with several replicas, an implementation over a
 * pub/sub channel (Redis, PostgreSQL LISTEN/NOTIFY) publishes to every replica's cache.
 * The cache that made the revocation empties itself before it publishes, so the
 * revoking replica never waits on the channel.
 */
export interface SessionInvalidation {
  publish(ended: SessionsEnded): void;
  /** Told of every publication, this process's and, with a pub/sub, every other replica's. Returns an unsubscribe. */
  subscribe(listener: SessionsEndedListener): () => void;
}

/** Invalidation within this process only: right for one replica, a start for several. */
export function createLocalSessionInvalidation(): SessionInvalidation {
  const listeners = new Set<SessionsEndedListener>();
  return {
    publish(ended) {
      for (const listener of listeners) listener(ended);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
