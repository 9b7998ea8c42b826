import type { User } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import type { SessionRecord, SessionsRepository } from '../plugins/app/sessions-repository.js';
import { createSetting } from '../setting.js';
import { type SessionCachePolicy, type SessionLookupOutcome, withSessionCache } from './session-cache.js';
import { createLocalSessionInvalidation, type SessionInvalidation } from './session-invalidation.js';

const HOUR = 3_600_000;

function user(id: string): User {
  return { id, email: `${id}@example.com`, role: 'user', createdAt: new Date(0) } as User;
}

/** Sessions in a Map, counting what reaches it: the database the cache saves work for. */
function countingRepository(clock: { now: number }) {
  const rows = new Map<string, SessionRecord>();
  const calls = { find: 0, extend: 0 };
  let pendingFind: { release: () => void } | undefined;
  const repository: SessionsRepository = {
    async create(id, userId, expiresAt) {
      const record = { id, user: user(userId), expiresAt, lastSeenAt: new Date(clock.now) };
      rows.set(id, record);
      return { ...record };
    },
    async find(id) {
      calls.find++;
      const row = rows.get(id);
      const found = row && row.expiresAt.getTime() > clock.now ? { ...row } : null;
      if (pendingFind) await new Promise<void>((release) => (pendingFind = { release }));
      return found;
    },
    async extend(id, expiresAt) {
      calls.extend++;
      const row = rows.get(id);
      if (row) rows.set(id, { ...row, expiresAt, lastSeenAt: new Date(clock.now) });
    },
    async revoke(id) {
      return rows.delete(id) ? 1 : 0;
    },
    async revokeAllOf(userId) {
      let ended = 0;
      for (const [id, row] of rows) if (row.user.id === userId && rows.delete(id)) ended++;
      return ended;
    },
  };
  return {
    repository,
    rows,
    calls,
    /** The next find reads its row, then waits for `release` before it answers (a query in flight). */
    holdNextFind() {
      pendingFind = { release: () => {} };
      return () => {
        const held = pendingFind;
        pendingFind = undefined;
        held?.release();
      };
    },
  };
}

function setUp(options: { ttlMs?: number; maxEntries?: number; invalidation?: SessionInvalidation } = {}) {
  const clock = { now: 1_000_000 };
  const db = countingRepository(clock);
  const policy = createSetting<SessionCachePolicy>({ ttlMs: options.ttlMs ?? 5000 });
  const outcomes: SessionLookupOutcome[] = [];
  const cache = withSessionCache(db.repository, {
    policy,
    maxEntries: options.maxEntries ?? 100,
    invalidation: options.invalidation ?? createLocalSessionInvalidation(),
    onLookup: (outcome) => outcomes.push(outcome),
    now: () => clock.now,
  });
  const inAnHour = () => new Date(clock.now + HOUR);
  /** A session in the database that the cache has not seen. */
  const seed = (id: string, userId: string, expiresAt = inAnHour()) =>
    db.rows.set(id, { id, user: user(userId), expiresAt, lastSeenAt: new Date(clock.now) });
  return { clock, db, policy, outcomes, cache, inAnHour, seed };
}

describe('the session lookups cache', () => {
  it('answers repeated lookups of a session from memory: one query for many requests', async () => {
    const { db, cache, outcomes, seed } = setUp();
    seed('s1', 'ada');
    for (let n = 0; n < 10; n++) expect(await cache.find('s1')).toMatchObject({ id: 's1', user: { id: 'ada' } });
    expect(db.calls.find).toBe(1);
    expect(outcomes.filter((o) => o === 'database')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'cache')).toHaveLength(9);
  });

  it('answers a hit at once, without a promise (the authentication hook then stays synchronous)', async () => {
    const { cache, seed } = setUp();
    seed('s1', 'ada');
    expect(cache.find('s1')).toBeInstanceOf(Promise); // a miss: the query's answer
    await cache.find('s1');
    const hit = cache.find('s1');
    expect(hit).not.toBeInstanceOf(Promise);
    expect(hit).toMatchObject({ id: 's1', user: { id: 'ada' } });
  });

  it('a session it created is found without a query', async () => {
    const { db, cache, inAnHour } = setUp();
    await cache.create('new', 'ada', inAnHour());
    expect(await cache.find('new')).toMatchObject({ id: 'new' });
    expect(db.calls.find).toBe(0);
  });

  it('asks the database again once the TTL has passed, and never past the session’s own expiry', async () => {
    const { clock, db, cache, seed } = setUp({ ttlMs: 5000 });
    seed('s1', 'ada');
    await cache.find('s1');
    clock.now += 4999;
    await cache.find('s1');
    expect(db.calls.find).toBe(1);
    clock.now += 1;
    await cache.find('s1');
    expect(db.calls.find).toBe(2);

    seed('short', 'ada', new Date(clock.now + 1000));
    expect(await cache.find('short')).not.toBeNull();
    clock.now += 1000;
    expect(await cache.find('short')).toBeNull();
  });

  it('refuses a revoked session at the very next lookup', async () => {
    const { cache, seed } = setUp();
    seed('s1', 'ada');
    expect(await cache.find('s1')).not.toBeNull();
    expect(await cache.revoke('s1')).toBe(1);
    expect(await cache.find('s1')).toBeNull();
  });

  it('refuses every session of an account signed out everywhere at once, and keeps the others', async () => {
    const { db, cache, seed } = setUp();
    seed('ada-1', 'ada');
    seed('ada-2', 'ada');
    seed('bob-1', 'bob');
    for (const id of ['ada-1', 'ada-2', 'bob-1']) await cache.find(id);
    expect(await cache.revokeAllOf('ada')).toBe(2);
    expect(await cache.find('ada-1')).toBeNull();
    expect(await cache.find('ada-2')).toBeNull();
    const queries = db.calls.find;
    expect(await cache.find('bob-1')).not.toBeNull();
    expect(db.calls.find).toBe(queries);
  });

  it('does not keep a lookup that was running while its session was revoked', async () => {
    const { cache, db, seed } = setUp();
    seed('s1', 'ada');
    const release = db.holdNextFind();
    const lookup = cache.find('s1'); // reads the row, then waits
    await Promise.resolve();
    await cache.revoke('s1');
    release();
    expect(await lookup).not.toBeNull(); // it began before the revocation
    expect(await cache.find('s1')).toBeNull();
  });

  it('drops sessions another replica publishes as ended', async () => {
    const channel = createLocalSessionInvalidation();
    const { cache, seed } = setUp({ invalidation: channel });
    seed('s1', 'ada');
    await cache.find('s1');
    channel.publish({ sessionId: 's1' });
    expect(cache.size).toBe(0);
    seed('s2', 'ada');
    await cache.find('s2');
    channel.publish({ userId: 'ada' });
    expect(cache.size).toBe(0);
  });

  it('forgets every session when the channel cannot say which ended (it lost messages)', async () => {
    const channel = createLocalSessionInvalidation();
    const { cache, seed } = setUp({ invalidation: channel });
    seed('s1', 'ada');
    seed('s2', 'bob');
    await cache.find('s1');
    await cache.find('s2');
    channel.publish({ unknown: true });
    expect(cache.size).toBe(0);
  });

  it('publishes its own revocations for the other replicas', async () => {
    const channel = createLocalSessionInvalidation();
    const published: unknown[] = [];
    channel.subscribe((ended) => published.push(ended));
    const { cache, seed } = setUp({ invalidation: channel });
    seed('s1', 'ada');
    await cache.revoke('s1');
    await cache.revokeAllOf('ada');
    expect(published).toEqual([{ sessionId: 's1' }, { userId: 'ada' }]);
  });

  it('holds at most maxEntries sessions, the oldest going first', async () => {
    const { db, cache, seed } = setUp({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) {
      seed(id, 'ada');
      await cache.find(id);
    }
    expect(cache.size).toBe(2);
    const queries = db.calls.find;
    await cache.find('c');
    await cache.find('b');
    expect(db.calls.find).toBe(queries);
    await cache.find('a');
    expect(db.calls.find).toBe(queries + 1);
  });

  it('writes an extension through and answers the new expiry from memory', async () => {
    const { clock, db, cache, seed } = setUp();
    seed('s1', 'ada');
    await cache.find('s1');
    const later = new Date(clock.now + 2 * HOUR);
    clock.now += 1000;
    await cache.extend('s1', later);
    expect(db.calls.extend).toBe(1);
    const found = await cache.find('s1');
    expect(found?.expiresAt).toEqual(later);
    expect(found?.lastSeenAt.getTime()).toBe(clock.now);
    expect(db.calls.find).toBe(1);
  });

  it('hands out copies: a caller changing its record does not change what is cached', async () => {
    const { cache, seed } = setUp();
    seed('s1', 'ada');
    const first = await cache.find('s1');
    if (first) first.lastSeenAt = new Date(0);
    expect((await cache.find('s1'))?.lastSeenAt.getTime()).not.toBe(0);
  });

  it('with a TTL of 0 every lookup is a query, and a change of policy empties it', async () => {
    const { db, cache, policy, outcomes, seed } = setUp({ ttlMs: 0 });
    seed('s1', 'ada');
    for (let n = 0; n < 3; n++) await cache.find('s1');
    expect(db.calls.find).toBe(3);
    expect(outcomes).toEqual(['database', 'database', 'database']);

    policy.set({ ttlMs: 5000 });
    await cache.find('s1');
    await cache.find('s1');
    expect(db.calls.find).toBe(4);
    expect(cache.size).toBe(1);
    policy.set({ ttlMs: 0 });
    expect(cache.size).toBe(0);
  });
});
