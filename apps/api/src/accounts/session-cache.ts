import type { SessionRecord, SessionsRepository } from '../plugins/app/sessions-repository.js';
import type { Setting } from '../setting.js';
import type { SessionInvalidation, SessionsEnded } from './session-invalidation.js';

/** How long a looked-up session is trusted without asking the database again; 0: every lookup asks it. */
export interface SessionCachePolicy {
  ttlMs: number;
}

/** Where a session lookup was answered: this process's cache, or a query. */
export type SessionLookupOutcome = 'cache' | 'database';

export interface SessionCacheOptions {
  /** Read on every lookup; a change empties the cache. */
  policy: Setting<SessionCachePolicy>;
  /** The most sessions kept; past it the oldest entry goes. */
  maxEntries: number;
  invalidation: SessionInvalidation;
  /** Told where every `find` was answered (the lookups metric). */
  onLookup?: (outcome: SessionLookupOutcome) => void;
  /** Wall-clock milliseconds (tests move it). */
  now?: () => number;
}

export interface CachingSessionsRepository extends SessionsRepository {
  /** Sessions held now. */
  readonly size: number;
  /** Stops listening to the policy and the invalidation (the app's close). */
  dispose(): void;
}

interface Entry {
  record: SessionRecord;
  /** The entry is not used from this wall-clock millisecond on: its TTL or the session's own expiry, the sooner. */
  staleAt: number;
}

/**
 * The sessions repository behind an in-process cache of lookups: a session found is
 * answered from memory for `policy.ttlMs`, so most requests of a signed-in user cost no
 * query. A session that ends is dropped at once, before its revocation answers: `revoke`
 * and `revokeAllOf` go through here, drop what they end and publish it on `invalidation`
 * for the other replicas' caches, and a lookup that was running while any session ended
 * is not stored (it may have read the row before the delete). What is not dropped at once
 * is a session ended elsewhere without a publication (SQL by hand): it is refused within
 * `ttlMs`. `extend` writes through and refreshes the entry, so the rolling expiry reaches
 * the database at the caller's pace (authentication.ts: once a minute), not per request.
 */
export function withSessionCache(
  repository: SessionsRepository,
  options: SessionCacheOptions,
): CachingSessionsRepository {
  const { policy, maxEntries, invalidation, onLookup, now = Date.now } = options;
  const entries = new Map<string, Entry>();
  /** Moves on every ending: a lookup that saw another value may hold a session that just ended. */
  let endings = 0;

  const store = (record: SessionRecord) => {
    const { ttlMs } = policy.get();
    if (ttlMs <= 0) return;
    entries.delete(record.id);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(record.id, { record: { ...record }, staleAt: Math.min(now() + ttlMs, record.expiresAt.getTime()) });
  };

  const drop = (ended: SessionsEnded) => {
    endings++;
    if ('sessionId' in ended) {
      entries.delete(ended.sessionId);
      return;
    }
    if ('unknown' in ended) {
      entries.clear();
      return;
    }
    for (const [id, entry] of entries) if (entry.record.user.id === ended.userId) entries.delete(id);
  };

  const clear = () => {
    endings++;
    entries.clear();
  };

  const stopInvalidation = invalidation.subscribe(drop);
  const stopPolicy = policy.onChange(clear);

  return {
    get size() {
      return entries.size;
    },

    async create(id, userId, expiresAt) {
      const record = await repository.create(id, userId, expiresAt);
      store(record);
      return record;
    },

    // A hit answers at once (no promise): the hot path of every signed-in request.
    find(id) {
      const entry = entries.get(id);
      if (entry) {
        if (now() < entry.staleAt) {
          onLookup?.('cache');
          return { ...entry.record };
        }
        entries.delete(id);
      }
      onLookup?.('database');
      const seen = endings;
      return Promise.resolve(repository.find(id)).then((record) => {
        if (record && seen === endings) store(record);
        return record;
      });
    },

    async extend(id, expiresAt) {
      await repository.extend(id, expiresAt);
      const entry = entries.get(id);
      if (entry) entry.record = { ...entry.record, expiresAt, lastSeenAt: new Date(now()) };
    },

    async revoke(id) {
      try {
        return await repository.revoke(id);
      } finally {
        end({ sessionId: id });
      }
    },

    async revokeAllOf(userId) {
      try {
        return await repository.revokeAllOf(userId);
      } finally {
        end({ userId });
      }
    },

    dispose() {
      stopInvalidation();
      stopPolicy();
      entries.clear();
    },
  };

  /** Even when the delete failed: a session its owner asked to end is not served from memory again. */
  function end(ended: SessionsEnded) {
    // Here first, so this replica's next request is refused whatever the channel's delay.
    drop(ended);
    invalidation.publish(ended);
  }
}
