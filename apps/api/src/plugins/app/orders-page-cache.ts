import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { OrderOwner, OrdersRepository } from './orders-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    ordersPageCache: OrdersPageCache;
  }
}

/** The envelope's last field: what a cached body has cut out and gets anew on every hit. */
const TIMESTAMP_FIELD = '"timestamp":"';
const ISO_INSTANT_LENGTH = '2026-01-01T00:00:00.000Z'.length;

interface CachedPage {
  /** The serialized envelope up to and including `"timestamp":"`, as bytes. */
  head: Buffer;
  /** What follows the timestamp's value: `"}`. */
  tail: Buffer;
  storedAt: number;
  /** The last answer handed out, as bytes, and the millisecond its timestamp names. */
  answer: Buffer | undefined;
  answerAt: number;
}

/**
 * How the other replicas' first-page caches learn that this one wrote orders, and this
 * one that they did. The default tells nobody (one process: its own writes empty its
 * cache directly); with REDIS_URL, shared-state/redis-invalidations.ts sends it over pub/sub.
 */
export interface OrdersPageInvalidation {
  /** This replica wrote orders. */
  publish(): void;
  /** Told when another replica wrote orders (or may have: a channel that lost messages). Returns an unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** One process: nobody else to tell, nobody to hear from. */
export const localOrdersPageInvalidation: OrdersPageInvalidation = {
  publish() {},
  subscribe() {
    return () => {};
  },
};

/** What a list request that missed the cache may store when its answer is serialized. */
export interface PageFill {
  key: string;
  generation: number;
}

/**
 * The most first pages kept (one per owner and page size); past it the oldest goes. Bounds
 * memory however many users sign in; a user who comes back after eviction costs one query.
 */
export const MAX_CACHED_PAGES = 1000;

/** The cache key of one owner's first page of `limit` orders (`*`: every order's, an admin's). */
function pageKey(limit: number, owner: OrderOwner): string {
  return `${owner ?? '*'} ${limit}`;
}

/**
 * The first page of `GET /api/v1/orders` (no cursor), as the bytes the route's compiled
 * serializer wrote, per owner (a user's own orders, or every order for an admin) and page size: the hottest read of the app (every visit of the
 * orders list starts there) answered without a query or a serialization. Only the
 * envelope's `timestamp` is written anew on each hit.
 *
 * Fresh by construction on this instance: every write through the orders repository
 * (create, idempotent create, status change) empties it before it answers, and a page
 * read while a write happened is never stored (the generation check). Another replica's
 * writes empty it as soon as `invalidation` tells (pub/sub, with REDIS_URL); writes nobody
 * announces (SQL by hand, or while the channel is down) show within `ttlMs`, the staleness bound.
 * `ttlMs` 0 turns the cache off for good (ORDERS_PAGE_CACHE_TTL_MS); `setEnabled(false)`
 * while the server runs (e.g. while something changes how the page is written).
 */
export class OrdersPageCache {
  private readonly pages = new Map<string, CachedPage>();
  private generation = 0;
  private switchedOn = true;

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wallClock: () => number = Date.now,
    private readonly invalidation: OrdersPageInvalidation = localOrdersPageInvalidation,
  ) {
    this.stopListening = invalidation.subscribe(() => this.invalidate());
  }

  /** Stops hearing other replicas' writes (the app's close). */
  readonly stopListening: () => void;

  /** Whether a first page may be served from or stored in the cache now. */
  get enabled(): boolean {
    return this.ttlMs > 0 && this.switchedOn;
  }

  /** Switches the cache on or off at run time; either way it starts empty. */
  setEnabled(enabled: boolean): void {
    this.switchedOn = enabled;
    this.invalidate();
  }

  /**
   * The whole answer body for a first page of `limit` orders, with a fresh timestamp;
   * undefined on a miss. The timestamp has millisecond precision, so the answers of one
   * millisecond are the same bytes: they are built once and shared (a busy list route
   * answers several per millisecond), as a Buffer the response writes without encoding.
   */
  lookup(limit: number, owner: OrderOwner = null): Buffer | undefined {
    const key = pageKey(limit, owner);
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (this.now() - page.storedAt >= this.ttlMs) {
      this.pages.delete(key);
      return undefined;
    }
    const at = this.wallClock();
    if (page.answer === undefined || page.answerAt !== at) {
      // Bytes to bytes: the page is not encoded again, only the instant is.
      page.answer = Buffer.concat([page.head, Buffer.from(new Date(at).toISOString(), 'latin1'), page.tail]);
      page.answerAt = at;
    }
    return page.answer;
  }

  /** Marks the start of a read that may fill the cache (a miss). */
  startFill(limit: number, owner: OrderOwner = null): PageFill | undefined {
    return this.enabled ? { key: pageKey(limit, owner), generation: this.generation } : undefined;
  }

  /** Keeps a serialized first page, unless a write happened since its read started. */
  store(fill: PageFill, body: string): boolean {
    if (fill.generation !== this.generation) return false;
    const at = body.lastIndexOf(TIMESTAMP_FIELD);
    const tail = at < 0 ? '' : body.slice(at + TIMESTAMP_FIELD.length + ISO_INSTANT_LENGTH);
    // Only the envelope shape this cache understands: `…,"timestamp":"<ISO instant>"}`.
    if (at < 0 || tail !== '"}') return false;
    if (this.pages.size >= MAX_CACHED_PAGES && !this.pages.has(fill.key)) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    this.pages.set(fill.key, {
      head: Buffer.from(body.slice(0, at + TIMESTAMP_FIELD.length)),
      tail: Buffer.from(tail),
      storedAt: this.now(),
      answer: undefined,
      answerAt: 0,
    });
    return true;
  }

  invalidate(): void {
    this.generation += 1;
    this.pages.clear();
  }

  /** The same repository, whose every write empties the cache before it answers. */
  invalidatingWrites(repository: OrdersRepository): OrdersRepository {
    const after = async <T>(write: Promise<T>): Promise<T> => {
      try {
        return await write;
      } finally {
        this.invalidate();
        this.invalidation.publish();
      }
    };
    return {
      ...repository,
      list: repository.list.bind(repository),
      get: repository.get.bind(repository),
      findMany: repository.findMany.bind(repository),
      create: (input, owner, options) => after(repository.create(input, owner, options)),
      createIdempotent: (input, key, owner, options) => after(repository.createIdempotent(input, key, owner, options)),
      updateStatus: (id, to, owner, options) => after(repository.updateStatus(id, to, owner, options)),
    };
  }
}

const kFill = Symbol('orders page fill');
type WithFill = FastifyRequest & { [kFill]?: PageFill };

export interface OrdersPageCachePluginOptions {
  ttlMs: number;
  /** How writes reach the other replicas' caches (shared-state: Redis pub/sub); unset: this process only. */
  invalidation?: OrdersPageInvalidation | undefined;
}

/**
 * The cache and the two route hooks that use it. `serveFirstPage` answers a hit before
 * any query; `storeFirstPage` (the list route's onSend) keeps what a miss serialized.
 * Bypassed for a request that sends `Cache-Control: no-cache`, and while the cache is
 * switched off (`app.ordersPageCache.setEnabled(false)`).
 */
export default fp<OrdersPageCachePluginOptions>(
  async (app, { ttlMs, invalidation }) => {
    const cache = new OrdersPageCache(ttlMs, undefined, undefined, invalidation);
    app.decorate('ordersPageCache', cache);
    app.addHook('onClose', async () => cache.stopListening());
  },
  { name: 'orders-page-cache' },
);

function cacheable(request: FastifyRequest, cursor: unknown): boolean {
  return cursor === undefined && request.headers['cache-control'] !== 'no-cache';
}

/** A hit: the reply is sent (the handler returns it). A miss: remembers what to store. */
export function serveFirstPage(
  request: FastifyRequest,
  reply: FastifyReply,
  query: { limit: number; cursor?: unknown },
  owner: OrderOwner,
): FastifyReply | undefined {
  const cache = request.server.ordersPageCache;
  if (!cache.enabled || !cacheable(request, query.cursor)) return undefined;
  const body = cache.lookup(query.limit, owner);
  if (body === undefined) {
    (request as WithFill)[kFill] = cache.startFill(query.limit, owner);
    return undefined;
  }
  request.timing.cacheHit = true;
  // Bytes with a JSON content type are sent as they are: no preSerialization, no serializer.
  return reply.type('application/json; charset=utf-8').send(body);
}

export function storeFirstPage(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  const fill = (request as WithFill)[kFill];
  if (fill && reply.statusCode === 200 && typeof payload === 'string')
    request.server.ordersPageCache.store(fill, payload);
  done(null, payload);
}
