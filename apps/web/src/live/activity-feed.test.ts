import { LiveEvent } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { describeLiveEvent } from '../format/live-event';
import { addToFeed, type FeedEvent } from './activity-feed';

const ORDER = {
  id: '3f0c2a5e-8f43-4d7a-9a39-2d4f3c6b1e90',
  customer: 'Ada',
  items: [{ sku: 'TEA-OOLONG-250', qty: 1, price: 33.99 }],
  total: 33.99,
  status: 'pending',
  createdAt: '2026-11-24T09:30:00.000Z',
};

/** What arrives as an SSE `data:` line, decoded as the stream does. */
const decode = (wire: unknown) => LiveEvent.parse(JSON.parse(JSON.stringify(wire)));

const created = (seq: number) =>
  decode({ type: 'order.created', seq, at: '2026-11-24T09:30:00.000Z', order: { ...ORDER } });
const changed = (seq: number) =>
  decode({
    type: 'order.status_changed',
    seq,
    at: '2026-11-24T09:31:00.000Z',
    orderId: ORDER.id,
    from: 'paid',
    to: 'shipped',
  });
const tick = (seq: number) => decode({ type: 'generator.tick', seq, at: '2026-11-24T09:32:00.000Z', padding: '' });
const reset = (seq: number) => decode({ type: 'stream.reset', seq, at: '2026-11-24T09:33:00.000Z', oldestSeq: 1 });

describe('decoding a live event', () => {
  it('turns the wire dates into Dates', () => {
    const event = created(1);
    expect(event.at).toBeInstanceOf(Date);
    expect(event.type === 'order.created' && event.order.createdAt).toBeInstanceOf(Date);
  });
});

describe('addToFeed', () => {
  it('puts the newest first', () => {
    let feed: readonly FeedEvent[] = [];
    for (const event of [created(1), changed(2)]) feed = addToFeed(feed, event);
    expect(feed.map((event) => event.seq)).toEqual([2, 1]);
  });

  it('hides generator ticks and stream resets, and keeps the same array', () => {
    const feed = addToFeed([], created(1));
    expect(addToFeed(feed, tick(2))).toBe(feed);
    expect(addToFeed(feed, reset(3))).toBe(feed);
  });

  it('ignores an event it already shows (a resumed stream may repeat one)', () => {
    const feed = addToFeed([], created(7));
    expect(addToFeed(feed, created(7))).toBe(feed);
  });

  it('keeps at most `limit` events, dropping the oldest', () => {
    let feed: readonly FeedEvent[] = [];
    for (let seq = 1; seq <= 60; seq++) feed = addToFeed(feed, changed(seq), 50);
    expect(feed).toHaveLength(50);
    expect(feed[0]?.seq).toBe(60);
    expect(feed.at(-1)?.seq).toBe(11);
  });
});

describe('describeLiveEvent', () => {
  it('reads like a sentence', () => {
    const [first, second] = addToFeed(addToFeed([], created(1)), changed(2));
    expect(second && describeLiveEvent(second)).toMatch(/^Order for Ada created — 33[.,]99$/);
    expect(first && describeLiveEvent(first)).toBe('Order 3f0c… paid → shipped');
  });
});
