import type { Role, User } from '@tandem/contract';
import fp from 'fastify-plugin';
import { type SessionCachePolicy, type SessionLookupOutcome, withSessionCache } from '../../accounts/session-cache.js';
import { createLocalSessionInvalidation, type SessionInvalidation } from '../../accounts/session-invalidation.js';
import type { Queryable } from '../../db/database.js';
import { createSetting, type Setting } from '../../setting.js';
import { toUser } from './users-repository.js';

const SESSION_LOOKUP_OUTCOMES: readonly SessionLookupOutcome[] = ['cache', 'database'];

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The sessions repository in use: the database's behind an in-process cache of lookups
     * that every revocation empties at once (accounts/session-cache.ts). Another decorator
     * can be set over it while the server runs.
     */
    sessionsRepository: Setting<SessionsRepository>;
    /** How long a looked-up session is answered from memory (SESSION_CACHE_TTL_MS at start); 0: a query per lookup. */
    sessionCachePolicy: Setting<SessionCachePolicy>;
  }
}

/** A live session and its account, as one lookup reads them. */
export interface SessionRecord {
  /** The SHA-256 of the cookie's token (session-token.ts). */
  id: string;
  user: User;
  expiresAt: Date;
  lastSeenAt: Date;
}

/**
 * The sessions table. A session is found only while it has not expired; revoking it
 * deletes its row, so its next request is refused.
 */
export interface SessionsRepository {
  create(id: string, userId: string, expiresAt: Date): Promise<SessionRecord>;
  /**
   * The session with this id and its user, or null when there is none or it has expired.
   * A repository that holds the answer in memory may give it at once, without a promise
   * (the session cache on a hit): every signed-in request then checks its session without
   * waiting for a later turn of the event loop.
   */
  find(id: string): Promise<SessionRecord | null> | SessionRecord | null;
  /** Rolls the expiry forward (and records the use). */
  extend(id: string, expiresAt: Date): Promise<void>;
  /** Ends one session; returns how many ended (0 or 1). */
  revoke(id: string): Promise<number>;
  /** Ends every session of the user; returns how many ended. */
  revokeAllOf(userId: string): Promise<number>;
}

interface SessionRow {
  id: string;
  expires_at: Date;
  last_seen_at: Date;
  user_id: string;
  email: string;
  role: Role;
  user_created_at: Date;
}

const SESSION_COLUMNS = `s.id, s.expires_at, s.last_seen_at, s.user_id, u.email, u.role, u.created_at AS user_created_at`;

export function createSessionsRepository(db: Queryable): SessionsRepository {
  return {
    async create(id, userId, expiresAt) {
      const [row] = await db.query<SessionRow>(
        'sessions.create',
        `WITH s AS (
           INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3)
           RETURNING id, user_id, expires_at, last_seen_at
         )
         SELECT ${SESSION_COLUMNS} FROM s JOIN users u ON u.id = s.user_id`,
        [id, userId, expiresAt],
      );
      if (!row) throw new Error(`No user ${userId} to start a session for`);
      return toSession(row);
    },

    async find(id) {
      const [row] = await db.query<SessionRow>(
        'sessions.find',
        `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 AND s.expires_at > now()`,
        [id],
      );
      return row ? toSession(row) : null;
    },

    async extend(id, expiresAt) {
      await db.query('sessions.extend', 'UPDATE sessions SET expires_at = $2, last_seen_at = now() WHERE id = $1', [
        id,
        expiresAt,
      ]);
    },

    async revoke(id) {
      const rows = await db.query('sessions.revoke', 'DELETE FROM sessions WHERE id = $1 RETURNING id', [id]);
      return rows.length;
    },

    async revokeAllOf(userId) {
      // Expired rows of this user go too: sign-out everywhere is also their cleanup.
      const rows = await db.query('sessions.revoke_all', 'DELETE FROM sessions WHERE user_id = $1 RETURNING id', [
        userId,
      ]);
      return rows.length;
    },
  };
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    user: toUser({ id: row.user_id, email: row.email, role: row.role, created_at: row.user_created_at }),
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}

export interface SessionsRepositoryPluginOptions {
  /** A repository to use instead of the database's (the benchmarks answer a fixed session). */
  repository?: SessionsRepository | undefined;
  /** The lookups cache: SESSION_CACHE_TTL_MS (0 = off) and SESSION_CACHE_MAX_ENTRIES. */
  cache: { ttlMs: number; maxEntries: number };
  /**
   * Where revocations are published to every cache of the sessions (default: this
   * process's only). Several replicas need one over a pub/sub channel.
   */
  invalidation?: SessionInvalidation | undefined;
}

export default fp<SessionsRepositoryPluginOptions>(
  async (app, { repository, cache, invalidation }) => {
    const policy = createSetting<SessionCachePolicy>({ ttlMs: cache.ttlMs });
    // Counted in plain numbers, handed to prom-client when it reads the counter: a lookup
    // (nearly every request) then costs an increment, not prom-client's label lookup.
    const uncounted: Record<SessionLookupOutcome, number> = { cache: 0, database: 0 };
    const { sessionLookups } = app.metrics;
    app.metrics.readSessionLookups(() => {
      for (const outcome of SESSION_LOOKUP_OUTCOMES) {
        if (uncounted[outcome] === 0) continue;
        sessionLookups.inc({ outcome }, uncounted[outcome]);
        uncounted[outcome] = 0;
      }
    });
    const cached = withSessionCache(repository ?? createSessionsRepository(app.db), {
      policy,
      maxEntries: cache.maxEntries,
      invalidation: invalidation ?? createLocalSessionInvalidation(),
      onLookup: (outcome) => {
        uncounted[outcome] += 1;
      },
    });
    app.decorate('sessionCachePolicy', policy);
    app.decorate('sessionsRepository', createSetting<SessionsRepository>(cached));
    app.addHook('onClose', async () => cached.dispose());
  },
  { name: 'sessions-repository', dependencies: ['metrics', 'database', 'users-repository'] },
);
