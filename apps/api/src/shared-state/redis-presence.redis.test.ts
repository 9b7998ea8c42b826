// Presence on a real Redis: replicas' counts are summed, a replica that leaves takes its
// count with it, and one that dies without a word drops out once its count expires.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../test/clients.js';
import { closeRedisConnection, openRedisConnection } from './redis-connection.js';
import { createRedisPresence } from './redis-presence.js';

const HEARTBEAT_MS = 100;
/** Keys of this file only: the project's Redis is shared with other files. */
const KEY_PREFIX = `tandem-test:${process.pid}:${Date.now()}:`;

async function replica(name: string) {
  const url = inject('redisUrl');
  const redis = await openRedisConnection({ url, commandTimeoutMs: 250, onError: () => {} });
  const subscriber = await openRedisConnection({ url, commandTimeoutMs: 0, subscriber: true, onError: () => {} });
  const presence = createRedisPresence({
    redis,
    subscriber,
    replicaId: name,
    heartbeatMs: HEARTBEAT_MS,
    keyPrefix: KEY_PREFIX,
    onError: () => {},
  });
  const totals: number[] = [];
  presence.subscribe((total) => totals.push(total));
  return {
    presence,
    last: () => totals.at(-1),
    /** Gone without a word: no goodbye, no more heartbeats reach Redis. */
    die() {
      redis.disconnect();
      subscriber.disconnect();
    },
    async close() {
      await presence.close();
      subscriber.disconnect();
      await closeRedisConnection(redis);
    },
  };
}

describe('presence summed in Redis', () => {
  let a: Awaited<ReturnType<typeof replica>>;
  let b: Awaited<ReturnType<typeof replica>>;
  beforeAll(async () => {
    a = await replica('a');
    b = await replica('b');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("tells every replica the sum of every replica's count", async () => {
    a.presence.report(2);
    b.presence.report(3);
    expect(await eventually(a.last, 5)).toBe(5);
    expect(await eventually(b.last, 5)).toBe(5);
    b.presence.report(1);
    expect(await eventually(a.last, 3)).toBe(3);
  });

  it('drops a replica that leaves at once, and one that died once its count expired', async () => {
    const c = await replica('c');
    c.presence.report(4);
    expect(await eventually(a.last, 7)).toBe(7);
    await c.close();
    expect(await eventually(a.last, 3)).toBe(3);

    const d = await replica('d');
    d.presence.report(10);
    expect(await eventually(a.last, 13)).toBe(13);
    d.die();
    // a's own heartbeats sweep the expired count away.
    expect(await eventually(a.last, 3)).toBe(3);
    await d.presence.close(); // its timer; the goodbye cannot reach Redis any more
  });
});
