import type { Redis } from 'ioredis';
import type { Presence, PresenceListener } from './presence.js';

/**
 * Sets this replica's count, drops replicas whose count expired (a replica that died
 * without saying so), sums what is left and publishes the sum: all in one script, so the
 * totals on the channel follow each other in the order Redis ran the scripts and the last
 * one is always right. Expiry is on Redis's clock (TIME), one clock for every replica.
 *
 * KEYS[1] zset replica → expiry (ms), KEYS[2] hash replica → count;
 * ARGV replica, count (-1: this replica leaves), ttl ms, channel. Returns the total.
 */
const REPORT_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, replica in ipairs(expired) do redis.call('HDEL', KEYS[2], replica) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[2] == '-1' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
local total = 0
for _, count in ipairs(redis.call('HVALS', KEYS[2])) do total = total + tonumber(count) end
redis.call('PUBLISH', ARGV[4], total)
return total
`;

type WithReport = Redis & {
  tandemReportPresence(
    zset: string,
    hash: string,
    replica: string,
    count: number,
    ttlMs: number,
    channel: string,
  ): Promise<number>;
};

export interface RedisPresenceOptions {
  /** The command connection (shared-state.ts's), and one in subscriber mode for the totals. */
  redis: Redis;
  subscriber: Redis;
  /** This replica's name in Redis: unique per process. */
  replicaId: string;
  /** PRESENCE_HEARTBEAT_MS: the count is refreshed this often; it expires after three missed refreshes. */
  heartbeatMs: number;
  keyPrefix?: string;
  onError: (error: unknown) => void;
}

/**
 * Presence over every replica: each reports its count into Redis on every join and
 * leave and every `heartbeatMs`, and every replica's listeners get each published total.
 * While Redis does not answer, listeners get this replica's own count (the best it
 * knows); the next heartbeat that gets through brings the sum back.
 */
export function createRedisPresence(options: RedisPresenceOptions): Presence & { close(): Promise<void> } {
  const { redis, subscriber, replicaId, heartbeatMs, onError } = options;
  const prefix = options.keyPrefix ?? 'tandem:';
  // One hash tag: the report script's two keys share a slot in Redis Cluster.
  const zset = `{${prefix}presence}:expiry`;
  const hash = `{${prefix}presence}:count`;
  const channel = `${prefix}presence`;
  const listeners = new Set<PresenceListener>();
  const tell = (total: number) => {
    for (const listener of listeners) listener(total);
  };
  if (!('tandemReportPresence' in redis))
    redis.defineCommand('tandemReportPresence', { numberOfKeys: 2, lua: REPORT_LUA });
  const scripted = redis as WithReport;
  let count = 0;
  let closed = false;

  const send = (value: number) =>
    scripted.tandemReportPresence(zset, hash, replicaId, value, heartbeatMs * 3, channel).catch((error: unknown) => {
      onError(error);
      // Without Redis the best this replica knows is its own count.
      if (!closed) tell(count);
    });

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    const total = Number(message);
    if (Number.isInteger(total) && total >= 0) tell(total);
  };
  subscriber.on('message', onMessage);
  subscriber.subscribe(channel).catch(onError);
  const heartbeat = setInterval(() => void send(count), heartbeatMs).unref();

  return {
    report(value) {
      count = value;
      // Sockets closing after this replica left must not bring its count back.
      if (!closed) void send(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      subscriber.off('message', onMessage);
      // Leave at once rather than after the expiry; a replica that cannot is dropped by it.
      await scripted.tandemReportPresence(zset, hash, replicaId, -1, heartbeatMs * 3, channel).catch(() => {});
    },
  };
}
