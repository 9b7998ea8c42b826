import type { BucketLimit, RateLimitBucket } from '@tandem/contract';
import { Redis } from 'ioredis';
import { msPerUnit } from './gcra.js';
import type { RateLimitDecision, RateLimitStore } from './rate-limit-store.js';

/**
 * gcra.ts's step as one Lua script: read the TAT, decide, write it back — atomic in
 * Redis, so replicas sharing this Redis share one budget per client and never race.
 * The clock is Redis's own TIME (one clock for every replica, whatever theirs say)
 * unless the caller passes `now` (tests). The TAT is written with 3 decimals: Lua's
 * default number format keeps 14 digits, which would round a ms timestamp to 10 ms.
 * The key expires when the bucket is full again, so idle clients cost nothing.
 *
 * KEYS[1] bucket key; ARGV: ms per unit, burst, cost, now in ms ('' = Redis TIME).
 * Returns { admitted 0|1, retryAfterMs (-1 = never), remaining, resetMs } in whole ms.
 */
const GCRA_LUA = `
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end
local epsilon = 1e-9
local capacity = burst * interval
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then tat = now end
local nextTat = tat + cost * interval
if nextTat - now > capacity + epsilon then
  local remaining = math.max(0, math.floor((capacity - (tat - now)) / interval + epsilon))
  local retry = -1
  if cost <= burst then retry = math.ceil(nextTat - capacity - now) end
  return { 0, retry, remaining, math.ceil(tat - now) }
end
local resetMs = math.ceil(nextTat - now)
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', resetMs)
return { 1, 0, math.max(0, math.floor((capacity - (nextTat - now)) / interval + epsilon)), resetMs }
`;

type GcraReply = [admitted: number, retryAfterMs: number, remaining: number, resetMs: number];
type WithGcra = Redis & {
  tandemGcra(key: string, interval: number, burst: number, cost: number, now: number | ''): Promise<GcraReply>;
};

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (REDIS_URL). */
  url: string;
  /** Milliseconds on a clock the caller controls (tests); unset: Redis's TIME. */
  now?: () => number;
  /** A Redis that does not answer within this long counts as down for that request. */
  commandTimeoutMs?: number;
  /** Keys are `<prefix><bucket>:<client>`. */
  keyPrefix?: string;
  /** Connection errors, as they happen (the limiter logs and counts them). */
  onConnectionError?: (error: Error) => void;
}

/**
 * The buckets in Redis, for several API replicas behind one load balancer. Commands are
 * never queued while Redis is unreachable (`enableOfflineQueue: false`) and time out
 * after `commandTimeoutMs`: `consume` then throws at once and the limiter fails open,
 * instead of every request waiting on a dead Redis. ioredis keeps reconnecting.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis';
  private readonly redis: WithGcra;
  private readonly now: (() => number) | undefined;
  private readonly keyPrefix: string;

  private constructor(options: RedisStoreOptions) {
    this.now = options.now;
    this.keyPrefix = options.keyPrefix ?? 'tandem:rate-limit:';
    const redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
    });
    redis.defineCommand('tandemGcra', { numberOfKeys: 1, lua: GCRA_LUA });
    // Without a listener ioredis prints every failed reconnect to stderr itself.
    redis.on('error', (error: Error) => options.onConnectionError?.(error));
    this.redis = redis as WithGcra;
  }

  /**
   * A store connected to `url`, or still connecting when Redis is unreachable now (the
   * first error goes to `onConnectionError`; the API starts and fails open until it is back).
   */
  static async connect(options: RedisStoreOptions): Promise<RedisRateLimitStore> {
    const store = new RedisRateLimitStore(options);
    await store.redis.connect().catch(() => {});
    return store;
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  async consume(bucket: RateLimitBucket, client: string, cost: number, limit: BucketLimit): Promise<RateLimitDecision> {
    const [admitted, retryAfterMs, remaining, resetMs] = await this.redis.tandemGcra(
      `${this.keyPrefix}${bucket}:${client}`,
      msPerUnit(limit),
      limit.burst,
      cost,
      this.now ? this.now() : '',
    );
    return {
      allowed: admitted === 1,
      limit: limit.burst,
      remaining,
      resetMs,
      retryAfterMs: retryAfterMs < 0 ? undefined : retryAfterMs,
    };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
