import { ErrorEnvelope, OrderPageEnvelope } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../test/api-server.js';
import { stringifyWithValidation } from './serialization.js';

const started = useStartedApi({ env: { LABS_ENABLED: 'true' } });

const SOME_TIME = '"2026-01-01T00:00:00.000Z"';

/** The answer with its per-response values (the envelope's timestamp, the request id) fixed. */
async function answer(path: string) {
  const res = await started.client.request({ path });
  const body = res.text
    .replace(/"timestamp":"[^"]*"/, `"timestamp":${SOME_TIME}`)
    .replace(/"requestId":"[^"]*"/, '"requestId":"…"');
  return { status: res.status, body };
}

describe('lab serialization', () => {
  it('naive (Zod encode + JSON.stringify) and tuned (compiled) write the same bytes', async () => {
    const list = await started.client.request({ path: '/api/v1/orders?limit=1' });
    const firstId = OrderPageEnvelope.decode(list.json() as never).data.items[0]?.id;
    const paths = [
      '/api/v1/orders?limit=20',
      '/api/v1/orders?limit=0',
      '/api/v1/orders/not-a-uuid',
      `/api/v1/orders/${firstId}`,
      '/api/v1/orders/00000000-0000-4000-8000-000000000000',
    ];
    started.api.app.labs.set('serialization', 'tuned');
    const tuned = await Promise.all(paths.map(answer));
    started.api.app.labs.set('serialization', 'naive');
    const naive = await Promise.all(paths.map(answer));
    started.api.app.labs.set('serialization', 'tuned');

    expect(tuned.map((a) => a.status)).toEqual([200, 400, 400, 200, 404]);
    expect(naive).toEqual(tuned);
    expect(OrderPageEnvelope.decode(JSON.parse(naive[0]?.body ?? '')).data.items).toHaveLength(20);
    expect(ErrorEnvelope.parse(JSON.parse(naive[1]?.body ?? '')).data.error).toBe('VALIDATION_FAILED');
  });

  it('suspends the first-page cache while naive, so the lab measures the serializer, not the cache', async () => {
    const timing = async () =>
      String((await started.client.request({ path: '/api/v1/orders?limit=3' })).headers['server-timing']);
    await timing();
    expect(await timing()).toContain('cache;desc=hit');
    started.api.app.labs.set('serialization', 'naive');
    try {
      expect(started.api.app.ordersPageCache.enabled).toBe(false);
      await timing();
      expect(await timing()).not.toContain('cache;desc=hit');
      // Both labs that suspend it: the cache stays off until neither does.
      started.api.app.labs.set('date-codec', 'naive');
      started.api.app.labs.set('serialization', 'tuned');
      expect(started.api.app.ordersPageCache.enabled).toBe(false);
      started.api.app.labs.set('date-codec', 'tuned');
      expect(started.api.app.ordersPageCache.enabled).toBe(true);
    } finally {
      started.api.app.labs.set('serialization', 'tuned');
      started.api.app.labs.set('date-codec', 'tuned');
    }
    await timing();
    expect(await timing()).toContain('cache;desc=hit');
  });

  it('naive refuses a payload the contract does not allow instead of sending it', () => {
    const page = { code: 200, message: 'OK', data: { items: [], nextCursor: null }, timestamp: new Date(0) };
    expect(JSON.parse(stringifyWithValidation(OrderPageEnvelope, page))).toEqual({
      ...page,
      timestamp: '1970-01-01T00:00:00.000Z',
    });
    expect(() => stringifyWithValidation(OrderPageEnvelope, { ...page, timestamp: '1970-01-01 00:00:00' })).toThrow(
      /at timestamp/,
    );
  });
});
