import { type CurrentSession, type Endpoint, endpoints, SESSION_COOKIE, type User } from '@tandem/contract';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { clearedSessionCookie, sessionCookie } from '../../accounts/session-cookie.js';
import { isSessionToken, newSessionToken, sessionIdOf } from '../../accounts/session-token.js';
import { readCookie } from '../../cookie-header.js';
import { AppError } from '../../errors.js';
import type { SessionRecord } from './sessions-repository.js';

/** The signed-in account of a request to a `session` endpoint. */
export interface SignedIn {
  user: User;
  /** The session's id (the SHA-256 of its token). */
  sessionId: string;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Sessions;
  }
  interface FastifyRequest {
    /** Set before the handler of every `session` endpoint runs; null on the others. */
    account: SignedIn | null;
  }
}

/** Starting, finding and ending sessions; the routes and the WebSocket use it. */
export interface Sessions {
  /**
   * Starts a session for `user` and sets its cookie on `reply`. A session the request still
   * carried ends: every sign-in gets a new token (no session fixation).
   */
  start(user: User, request: FastifyRequest, reply: FastifyReply): Promise<CurrentSession>;
  /** The session a `Cookie` header carries, extended if due; undefined when there is none (or it ended). */
  resume(cookieHeader: string | string[] | undefined): Promise<SessionRecord | undefined>;
  /** Ends the request's session, if it has one, and clears its cookie. */
  end(request: FastifyRequest, reply: FastifyReply): Promise<number>;
  /** Ends every session of the request's account, on every device, and clears this cookie. */
  endEverywhere(request: FastifyRequest, reply: FastifyReply): Promise<number>;
}

export interface AuthenticationOptions {
  /** SESSION_TTL_SECONDS: how long a session lives unused; each use (at most once a minute) starts it anew. */
  ttlSeconds: number;
}

/** A session used again within this long is not extended again: one write a minute at most, not one per request. */
export const SESSION_EXTEND_INTERVAL_MS = 60_000;

const kAuthenticate = Symbol('authenticate');

/**
 * Sessions in the database, carried by the `__Host-tandem_session` cookie. Every route
 * whose contract endpoint is `auth: 'session'` gets an onRequest hook that finds the
 * session (or answers 401 UNAUTHENTICATED) and sets `request.account`; a session used
 * more than a minute after its last extension is extended to a full TTL again (rolling
 * expiry) and its cookie sent anew. A revoked session's row is gone: its next request,
 * SSE and WebSocket included, is a 401.
 */
export default fp<AuthenticationOptions>(
  async (app, { ttlSeconds }) => {
    const ttlMs = ttlSeconds * 1000;
    const repository = () => app.sessionsRepository.get();

    const extendDue = (session: SessionRecord): boolean =>
      Date.now() - session.lastSeenAt.getTime() >= SESSION_EXTEND_INTERVAL_MS;

    const extend = async (session: SessionRecord): Promise<void> => {
      const now = Date.now();
      const expiresAt = new Date(now + ttlMs);
      await repository().extend(session.id, expiresAt);
      session.expiresAt = expiresAt;
      session.lastSeenAt = new Date(now);
    };

    const tokenOf = (cookieHeader: string | string[] | undefined): string | undefined => {
      const token = readCookie(cookieHeader, SESSION_COOKIE);
      return token !== undefined && isSessionToken(token) ? token : undefined;
    };

    const sessions: Sessions = {
      async start(user, request, reply) {
        const carried = tokenOf(request.headers.cookie);
        if (carried !== undefined) await repository().revoke(sessionIdOf(carried));
        const token = newSessionToken();
        const expiresAt = new Date(Date.now() + ttlMs);
        await repository().create(sessionIdOf(token), user.id, expiresAt);
        reply.header('set-cookie', sessionCookie(token, ttlSeconds));
        return { user, expiresAt };
      },
      async resume(cookieHeader) {
        const token = tokenOf(cookieHeader);
        if (token === undefined) return undefined;
        const session = await repository().find(sessionIdOf(token));
        if (!session) return undefined;
        if (extendDue(session)) await extend(session);
        return session;
      },
      async end(request, reply) {
        reply.header('set-cookie', clearedSessionCookie());
        const token = tokenOf(request.headers.cookie);
        return token === undefined ? 0 : repository().revoke(sessionIdOf(token));
      },
      async endEverywhere(request, reply) {
        reply.header('set-cookie', clearedSessionCookie());
        return request.account ? repository().revokeAllOf(request.account.user.id) : 0;
      },
    };
    app.decorate('sessions', sessions);
    app.decorateRequest('account', null);

    /** The request's session, found: its account is set, and its cookie sent anew when it was extended. */
    const admit = (
      session: SessionRecord | null,
      token: string,
      request: FastifyRequest,
      reply: FastifyReply,
      done: (error?: Error) => void,
    ): void => {
      if (!session) {
        // The browser holds a cookie for a session that ended: have it drop the cookie.
        reply.header('set-cookie', clearedSessionCookie());
        done(new AppError('UNAUTHENTICATED', { message: 'Your session has ended: sign in again.' }));
      } else if (!extendDue(session)) {
        request.account = { user: session.user, sessionId: session.id, expiresAt: session.expiresAt };
        done();
      } else {
        extend(session).then(() => {
          reply.header('set-cookie', sessionCookie(token, (session.expiresAt.getTime() - Date.now()) / 1000));
          request.account = { user: session.user, sessionId: session.id, expiresAt: session.expiresAt };
          done();
        }, done);
      }
    };

    // Synchronous while the session is answered from memory (the session cache's hit, nearly
    // every request): no promise and no later turn of the event loop; it waits only for a query.
    const authenticate: onRequestHookHandler = function authenticate(request, reply, done) {
      const token = tokenOf(request.headers.cookie);
      if (token === undefined) return done(new AppError('UNAUTHENTICATED'));
      const found = repository().find(sessionIdOf(token));
      if (found instanceof Promise) found.then((session) => admit(session, token, request, reply, done), done);
      else admit(found, token, request, reply, done);
    };
    Object.defineProperty(authenticate, kAuthenticate, { value: true });

    const guarded = sessionRoutes();
    // Last of a route's own onRequest hooks: after the rate limiter's charge, so a flood
    // without a session is still charged before it costs a lookup.
    app.addHook('onRoute', (route) => {
      const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
      if (hooks.some((hook) => (hook as unknown as Record<symbol, unknown>)[kAuthenticate])) return; // HEAD copies its GET
      const method = [route.method].flat()[0];
      if (!guarded.has(`${method === 'HEAD' ? 'GET' : method} ${route.url}`)) return;
      route.onRequest = [...hooks, authenticate];
    });
  },
  { name: 'authentication', dependencies: ['error-handler', 'sessions-repository', 'rate-limit'] },
);

/** `GET /api/v1/orders`, … : every endpoint the contract says needs a session. */
function sessionRoutes(): Set<string> {
  return new Set(
    (Object.values(endpoints) as Endpoint[])
      .filter((endpoint) => endpoint.auth === 'session')
      .map((endpoint) => `${endpoint.method} ${endpoint.path}`),
  );
}
