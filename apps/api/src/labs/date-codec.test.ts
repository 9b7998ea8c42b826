import { OrderPageEnvelope } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../test/api-server.js';
import { toDatabaseText, withDatabaseTextDates } from './date-codec.js';

const started = useStartedApi({ env: { LABS_ENABLED: 'true' } });

const DATABASE_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

describe('lab date-codec on the server', () => {
  it('tuned writes RFC 3339 UTC; naive writes the same instants as database text without an offset', async () => {
    started.api.app.labs.set('date-codec', 'tuned');
    const tuned = (await started.client.request({ path: '/api/v1/orders?limit=5' })).json() as {
      timestamp: string;
      data: { items: { createdAt: string }[] };
    };
    started.api.app.labs.set('date-codec', 'naive');
    const naive = (await started.client.request({ path: '/api/v1/orders?limit=5' })).json() as typeof tuned;
    started.api.app.labs.set('date-codec', 'tuned');

    expect(OrderPageEnvelope.safeDecode(tuned as never).success).toBe(true);
    expect(tuned.data.items).toHaveLength(5);
    const tunedTimes = tuned.data.items.map((order) => order.createdAt);
    const naiveTimes = naive.data.items.map((order) => order.createdAt);
    for (const time of tunedTimes) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const time of [...naiveTimes, naive.timestamp]) expect(time).toMatch(DATABASE_TEXT);
    // The same instants, in the server's wall-clock time: only a reader in the same zone gets them back.
    expect(naiveTimes).toEqual(tunedTimes.map((time) => toDatabaseText(new Date(time))));
    expect(naiveTimes.map((time) => new Date(time).toISOString())).toEqual(tunedTimes);
  });

  it('with the serialization lab naive too, per-response validation refuses the text: 500, not a silent answer', async () => {
    started.api.app.labs.set('date-codec', 'naive');
    started.api.app.labs.set('serialization', 'naive');
    const res = await started.client.request({ path: '/api/v1/orders?limit=5' });
    started.api.app.labs.set('date-codec', 'tuned');
    started.api.app.labs.set('serialization', 'tuned');
    expect(res.status, res.text).toBe(500);
    expect((res.json() as { data: { error: string } }).data.error).toBe('INTERNAL');
  });

  it('replaces Dates at any depth and leaves everything else alone', () => {
    const at = new Date(2026, 10, 24, 9, 30, 0, 7);
    expect(withDatabaseTextDates({ a: [at, { b: at, n: 1, s: 'x', z: null }] })).toEqual({
      a: ['2026-11-24 09:30:00.007', { b: '2026-11-24 09:30:00.007', n: 1, s: 'x', z: null }],
    });
  });
});
