import type { Redis } from 'ioredis';
import type { SessionInvalidation, SessionsEnded, SessionsEndedListener } from '../accounts/session-invalidation.js';
import type { OrdersPageInvalidation } from '../plugins/app/orders-page-cache.js';
import type { InvalidatedCache } from '../plugins/external/metrics.js';

/** What travels on the channel: who sent it (a replica ignores its own) and what to drop. */
type InvalidationMessage =
  | { from: string; cache: 'orders_page' }
  | { from: string; cache: 'sessions'; ended: SessionsEnded };

export interface RedisInvalidationsOptions {
  /** The command connection (PUBLISH), and one in subscriber mode. */
  redis: Redis;
  subscriber: Redis;
  /** This replica's name on the channel: unique per process. */
  replicaId: string;
  keyPrefix?: string;
  onError: (error: unknown) => void;
  /** Each invalidation published (`sent`) or taken from another replica (`received`). */
  onInvalidation: (cache: InvalidatedCache, direction: 'sent' | 'received') => void;
}

export interface RedisInvalidations {
  ordersPage: OrdersPageInvalidation;
  sessions: SessionInvalidation;
  close(): void;
}

/**
 * The caches' invalidations between replicas, on one Redis pub/sub channel: an orders
 * write on any replica empties every replica's first-page cache, a revocation on any
 * replica drops the session from every replica's session cache. A replica empties its own
 * cache before it publishes (the caches do that), so it never waits on the channel.
 *
 * Pub/sub delivers to whoever listens now: while the subscriber is disconnected messages
 * are lost, so when it connects again both caches are emptied (whatever was missed is
 * gone with them). While Redis does not answer, a publish fails (counted) and the other
 * replicas' caches hold at most their TTL (ORDERS_PAGE_CACHE_TTL_MS, SESSION_CACHE_TTL_MS).
 */
export function createRedisInvalidations(options: RedisInvalidationsOptions): RedisInvalidations {
  const { redis, subscriber, replicaId, onError, onInvalidation } = options;
  const channel = `${options.keyPrefix ?? 'tandem:'}invalidations`;
  const ordersListeners = new Set<() => void>();
  const sessionListeners = new Set<SessionsEndedListener>();

  const send = (message: InvalidationMessage) => {
    onInvalidation(message.cache, 'sent');
    redis.publish(channel, JSON.stringify(message)).catch(onError);
  };
  const forgetEverything = () => {
    for (const listener of ordersListeners) listener();
    for (const listener of sessionListeners) listener({ unknown: true });
  };

  const onMessage = (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseMessage(text);
    if (!message || message.from === replicaId) return;
    onInvalidation(message.cache, 'received');
    if (message.cache === 'orders_page') for (const listener of ordersListeners) listener();
    else for (const listener of sessionListeners) listener(message.ended);
  };

  let connectedBefore = false;
  const onReady = () => {
    // A reconnect: what was published meanwhile never reached this replica.
    if (connectedBefore) forgetEverything();
    connectedBefore = true;
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);
  if (subscriber.status === 'ready') connectedBefore = true;
  subscriber.subscribe(channel).catch(onError);

  return {
    ordersPage: {
      publish: () => send({ from: replicaId, cache: 'orders_page' }),
      subscribe(listener) {
        ordersListeners.add(listener);
        return () => ordersListeners.delete(listener);
      },
    },
    sessions: {
      publish(ended) {
        for (const listener of sessionListeners) listener(ended);
        send({ from: replicaId, cache: 'sessions', ended });
      },
      subscribe(listener) {
        sessionListeners.add(listener);
        return () => sessionListeners.delete(listener);
      },
    },
    close() {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
    },
  };
}

/** A message another replica sent, or undefined for anything else (never trusted blindly: it is input). */
function parseMessage(text: string): InvalidationMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { from, cache, ended } = value as Record<string, unknown>;
  if (typeof from !== 'string') return undefined;
  if (cache === 'orders_page') return { from, cache };
  if (cache !== 'sessions' || typeof ended !== 'object' || ended === null) return undefined;
  const { sessionId, userId } = ended as Record<string, unknown>;
  if (typeof sessionId === 'string') return { from, cache, ended: { sessionId } };
  if (typeof userId === 'string') return { from, cache, ended: { userId } };
  return undefined;
}
