import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (REDIS_URL). */
  url: string;
  /** A command Redis does not answer within this long fails (0: never; a blocking read's own wait). */
  commandTimeoutMs: number;
  /** Connection errors, as they happen (the caller counts and logs them). */
  onError: (error: Error) => void;
  /** Commands sent in one turn of the event loop go out as one write (the event stream's publishes). */
  autoPipelining?: boolean;
  /**
   * Queue commands until connected: only for a subscriber connection, whose one command
   * (SUBSCRIBE) must reach Redis whenever it comes up; ioredis subscribes again after a reconnect.
   */
  subscriber?: boolean;
}

/**
 * A connection to the shared Redis, set up the way the rate limiter's is
 * (rate-limit/redis-store.ts): commands are never queued while Redis is unreachable, so a
 * caller learns at once that it is down and falls back, instead of waiting on it; ioredis
 * keeps reconnecting in the background. Resolves connected, or still connecting when Redis
 * cannot be reached now (the first error went to `onError`).
 */
export async function openRedisConnection(options: RedisConnectionOptions): Promise<Redis> {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: options.subscriber ?? false,
    maxRetriesPerRequest: 0,
    ...(options.commandTimeoutMs > 0 ? { commandTimeout: options.commandTimeoutMs } : {}),
    enableAutoPipelining: options.autoPipelining ?? false,
    // Reconnect soon after Redis is back: at most half a second between attempts.
    retryStrategy: (attempt) => Math.min(50 * attempt, 500),
  });
  // Without a listener ioredis prints every failed reconnect to stderr itself.
  redis.on('error', options.onError);
  await redis.connect().catch(() => {});
  return redis;
}

/** Closes a connection whatever its state: QUIT when it is up, a disconnect otherwise. */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}
