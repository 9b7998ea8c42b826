import { OrderPageEnvelope } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../../test/api-server.js';
import { OrdersPageCache, type OrdersPageInvalidation } from './orders-page-cache.js';
import type { OrdersRepository } from './orders-repository.js';

const ORDER = { customer: 'Cache Test', items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 4.5 }] };
const FIRST_PAGE = '/api/v1/orders?limit=5';

/** A fill the cache must hand out (its ttl is above 0). */
function fillOf(cache: OrdersPageCache, limit = 5) {
  const fill = cache.startFill(limit);
  if (!fill) throw new Error('the cache handed out no fill');
  return fill;
}

describe('OrdersPageCache', () => {
  const body = (timestamp: string) => `{"code":200,"message":"OK","data":{"items":[]},"timestamp":"${timestamp}"}`;

  it('tells the other replicas of its writes, and empties itself on theirs', async () => {
    let published = 0;
    const listeners = new Set<() => void>();
    const channel: OrdersPageInvalidation = {
      publish: () => {
        published++;
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const cache = new OrdersPageCache(60_000, undefined, undefined, channel);
    cache.store(fillOf(cache), body('2026-01-01T00:00:00.000Z'));
    expect(cache.lookup(5)).toBeDefined();
    // Another replica wrote.
    for (const listener of listeners) listener();
    expect(cache.lookup(5)).toBeUndefined();

    const unused = async () => undefined;
    const repository = {
      list: unused,
      get: unused,
      findMany: unused,
      create: async () => ({}),
    } as unknown as OrdersRepository;
    await cache.invalidatingWrites(repository).create({ customer: 'x', items: [] }, 'owner');
    expect(published).toBe(1);
    cache.stopListening();
    expect(listeners.size).toBe(0);
  });

  it('answers what was stored with a fresh timestamp, until the ttl has passed', () => {
    let now = 0;
    const cache = new OrdersPageCache(1000, () => now);
    expect(cache.store(fillOf(cache), body('2020-01-01T00:00:00.000Z'))).toBe(true);
    const hit = cache.lookup(5)?.toString();
    expect(hit).toMatch(/^\{"code":200,"message":"OK","data":\{"items":\[\]\},"timestamp":"[^"]+"\}$/);
    expect(JSON.parse(hit ?? '{}').timestamp).not.toBe('2020-01-01T00:00:00.000Z');
    expect(cache.lookup(6)).toBeUndefined();
    now = 999;
    expect(cache.lookup(5)).toBeDefined();
    now = 1000;
    expect(cache.lookup(5)).toBeUndefined();
  });

  it('stamps each answer with its millisecond, and shares the bytes within one', () => {
    let wallClock = Date.parse('2026-11-24T12:00:00.000Z');
    const cache = new OrdersPageCache(
      1000,
      () => 0,
      () => wallClock,
    );
    cache.store(fillOf(cache), body('2020-01-01T00:00:00.000Z'));
    const first = cache.lookup(5);
    expect(first?.toString()).toBe(body('2026-11-24T12:00:00.000Z'));
    expect(cache.lookup(5)).toBe(first);
    wallClock += 1;
    const next = cache.lookup(5);
    expect(next?.toString()).toBe(body('2026-11-24T12:00:00.001Z'));
    expect(next).not.toBe(first);
  });

  it('never stores a page read while a write happened', () => {
    const cache = new OrdersPageCache(1000);
    const fill = fillOf(cache);
    cache.invalidate();
    expect(cache.store(fill, body('2020-01-01T00:00:00.000Z'))).toBe(false);
    expect(cache.lookup(5)).toBeUndefined();
  });

  it('refuses a body whose envelope does not end with the timestamp', () => {
    const cache = new OrdersPageCache(1000);
    expect(cache.store(fillOf(cache), '{"code":200,"data":{}}')).toBe(false);
    expect(cache.store(fillOf(cache), '{"timestamp":"2020-01-01T00:00:00.000Z","data":{}}')).toBe(false);
  });

  it('is off with a ttl of 0', () => {
    expect(new OrdersPageCache(0).startFill(5)).toBeUndefined();
  });
});

describe('GET /api/v1/orders: the first page from the cache', () => {
  const started = useStartedApi();
  const list = async (headers: Record<string, string> = {}, path = FIRST_PAGE) => {
    const res = await started.client.request({ path, headers });
    expect(res.status, res.text).toBe(200);
    return { res, page: OrderPageEnvelope.parse(res.json()), timing: String(res.headers['server-timing']) };
  };
  const create = async () => {
    const res = await started.client.request({ method: 'POST', path: '/api/v1/orders', body: ORDER });
    expect(res.status, res.text).toBe(201);
    return (res.json() as { data: { id: string } }).data.id;
  };

  it('answers a repeat from the cache: same data, its own timestamp, no database time', async () => {
    await create();
    const first = await list();
    expect(first.timing).not.toContain('cache;desc=hit');
    const second = await list();
    expect(second.timing).toMatch(/^app;dur=[\d.]+, db;dur=0\.0, cache;desc=hit$/);
    expect(second.page.data).toEqual(first.page.data);
    expect(second.res.headers['content-type']).toBe('application/json; charset=utf-8');
    // The envelope is whole: a fresh timestamp, not the stored one's bytes reused blindly.
    expect(second.page.timestamp.getTime()).toBeGreaterThanOrEqual(first.page.timestamp.getTime());
  });

  it('shows a new order at once: a write through the API empties the cache', async () => {
    await list();
    const id = await create();
    const after = await list();
    expect(after.timing).not.toContain('cache;desc=hit');
    expect(after.page.data.items[0]?.id).toBe(id);
  });

  it('shows a status change at once', async () => {
    const id = await create();
    await list();
    const res = await started.client.request({
      method: 'PATCH',
      path: `/api/v1/orders/${id}`,
      body: { status: 'paid' },
    });
    expect(res.status, res.text).toBe(200);
    const after = await list();
    expect(after.page.data.items.find((order) => order.id === id)?.status).toBe('paid');
  });

  it('is bypassed by Cache-Control: no-cache, by a cursor and per page size', async () => {
    for (let i = 0; i < 6; i++) await create();
    await list();
    expect((await list({ 'cache-control': 'no-cache' })).timing).not.toContain('cache;desc=hit');
    const first = await list();
    const cursor = first.page.data.nextCursor;
    expect(cursor).not.toBeNull();
    const next = await list({}, `/api/v1/orders?limit=5&cursor=${cursor}`);
    expect(next.timing).not.toContain('cache;desc=hit');
    expect((await list({}, '/api/v1/orders?limit=7')).timing).not.toContain('cache;desc=hit');
  });

  it('is bypassed while switched off at run time, and starts empty when switched on again', async () => {
    await list();
    expect((await list()).timing).toContain('cache;desc=hit');
    started.api.app.ordersPageCache.setEnabled(false);
    try {
      expect((await list()).timing).not.toContain('cache;desc=hit');
      expect((await list()).timing).not.toContain('cache;desc=hit');
    } finally {
      started.api.app.ordersPageCache.setEnabled(true);
    }
    expect((await list()).timing).not.toContain('cache;desc=hit');
    expect((await list()).timing).toContain('cache;desc=hit');
  });
});

describe('ORDERS_PAGE_CACHE_TTL_MS=0', () => {
  const started = useStartedApi({ env: { ORDERS_PAGE_CACHE_TTL_MS: '0' } });

  it('turns the cache off', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await started.client.request({ path: FIRST_PAGE });
      expect(res.status).toBe(200);
      expect(String(res.headers['server-timing'])).not.toContain('cache;desc=hit');
    }
  });
});
