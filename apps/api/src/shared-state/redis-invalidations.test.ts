// The channel's rules with a stand-in for the two Redis connections: what another
// replica sends is applied, one's own and malformed messages are not, and a reconnect
// (messages may have been lost) empties both caches. shared-state.redis.test.ts runs it on Redis.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { SessionsEnded } from '../accounts/session-invalidation.js';
import { createRedisInvalidations } from './redis-invalidations.js';

const CHANNEL = 'tandem:invalidations';

function setUp() {
  const sent: string[] = [];
  const redis = { publish: async (_channel: string, message: string) => sent.push(message) } as unknown as Redis;
  const subscriber = Object.assign(new EventEmitter(), { status: 'ready', subscribe: async () => 1 });
  const invalidations = createRedisInvalidations({
    redis,
    subscriber: subscriber as unknown as Redis,
    replicaId: 'me',
    onError: () => {},
    onInvalidation: () => {},
  });
  let pagesEmptied = 0;
  const ended: SessionsEnded[] = [];
  invalidations.ordersPage.subscribe(() => {
    pagesEmptied++;
  });
  invalidations.sessions.subscribe((what) => ended.push(what));
  const receive = (message: string) => subscriber.emit('message', CHANNEL, message);
  return { sent, subscriber, invalidations, receive, pagesEmptied: () => pagesEmptied, ended };
}

describe('cache invalidations over Redis pub/sub', () => {
  it("applies another replica's messages, not its own", () => {
    const { receive, pagesEmptied, ended } = setUp();
    receive(JSON.stringify({ from: 'other', cache: 'orders_page' }));
    receive(JSON.stringify({ from: 'other', cache: 'sessions', ended: { sessionId: 's1' } }));
    receive(JSON.stringify({ from: 'other', cache: 'sessions', ended: { userId: 'ada' } }));
    receive(JSON.stringify({ from: 'me', cache: 'orders_page' }));
    expect(pagesEmptied()).toBe(1);
    expect(ended).toEqual([{ sessionId: 's1' }, { userId: 'ada' }]);
  });

  it('ignores what is not a message of its own shape', () => {
    const { receive, pagesEmptied, ended } = setUp();
    for (const text of ['not json', 'null', '42', '{"cache":"orders_page"}', '{"from":"x","cache":"sessions"}']) {
      receive(text);
    }
    receive(JSON.stringify({ from: 'other', cache: 'sessions', ended: { unknown: true } }));
    expect(pagesEmptied()).toBe(0);
    expect(ended).toEqual([]);
  });

  it('publishes its own writes and revocations, telling its own listeners of a revocation first', () => {
    const { invalidations, sent, ended } = setUp();
    invalidations.ordersPage.publish();
    invalidations.sessions.publish({ userId: 'ada' });
    expect(sent.map((text) => JSON.parse(text))).toEqual([
      { from: 'me', cache: 'orders_page' },
      { from: 'me', cache: 'sessions', ended: { userId: 'ada' } },
    ]);
    expect(ended).toEqual([{ userId: 'ada' }]);
  });

  it('empties both caches when the subscriber connects again (what was sent meanwhile is lost)', () => {
    const { subscriber, pagesEmptied, ended } = setUp();
    subscriber.emit('ready');
    expect(pagesEmptied()).toBe(1);
    expect(ended).toEqual([{ unknown: true }]);
  });
});
