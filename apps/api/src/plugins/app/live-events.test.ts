// The bus fed by a relay (several replicas): a fake relay stands in for Redis, so what is
// checked is the bus's side — one order, resume from the ring or the relay's history, a
// reset where events were lost. shared-state.redis.test.ts runs the same with Redis.
import { LiveEvent } from '@tandem/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../external/metrics.js';
import { LiveEventBus, type LiveEventRelay, type RelayedEvent, type SseOutput } from './live-events.js';

/** Numbers what is sent and keeps it all; `deliverAll` hands the backlog to the bus, as the reader would. */
class FakeRelay implements LiveEventRelay {
  readonly log: RelayedEvent[] = [];
  bus: LiveEventBus | undefined;
  follow(bus: LiveEventBus) {
    this.bus = bus;
  }
  send(type: RelayedEvent['type'], head: string, tail: string, owner: string | null) {
    const seq = (this.log.at(-1)?.seq ?? 0) + 1;
    this.log.push({ seq, type, json: `${head}${seq}${tail}`, owner });
  }
  async range(from: number, to: number) {
    return this.log.filter((event) => event.seq >= from && event.seq <= to);
  }
  deliverAll() {
    for (const event of this.log) this.bus?.deliver(event);
  }
}

/** An SSE output that keeps what was written. */
function output(): SseOutput & { text: string } {
  return {
    text: '',
    writableLength: 0,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
    end() {},
    destroy() {},
  };
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
const types = (text: string) => [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const tick = () => ({ type: 'generator.tick' as const, at: new Date('2026-01-01T00:00:00Z'), padding: '' });

let bus: LiveEventBus;
afterEach(() => bus?.close());

function relayed(replaySize = 100) {
  const relay = new FakeRelay();
  bus = new LiveEventBus({ replaySize, metrics: createMetrics({ defaults: false }), relay });
  relay.follow(bus);
  return relay;
}

describe('LiveEventBus with a relay', () => {
  it('numbers nothing itself: what it publishes comes back through deliver, serialized once where it was sent', async () => {
    const relay = relayed();
    expect(bus.publish(tick())).toBeUndefined();
    expect(bus.latestSeq).toBe(0);
    relay.deliverAll();
    await nextTurn();
    const stream = output();
    bus.addStream(stream);
    bus.publish(tick());
    relay.deliverAll();
    await nextTurn();
    expect(ids(stream.text)).toEqual([2]);
    const data = stream.text.split('data: ')[1]?.trim() ?? '';
    expect(LiveEvent.parse(JSON.parse(data))).toMatchObject({ type: 'generator.tick', seq: 2 });
  });

  it('ignores an event it already has, and resets its streams past a gap', async () => {
    const relay = relayed();
    const stream = output();
    bus.addStream(stream);
    for (let i = 0; i < 3; i++) bus.publish(tick());
    relay.deliverAll();
    relay.deliverAll();
    bus.deliver({ seq: 7, type: 'generator.tick', json: '{"type":"generator.tick","seq":7}', owner: null });
    await nextTurn();
    expect(ids(stream.text)).toEqual([1, 2, 3, 3, 7]);
    expect(types(stream.text)).toEqual([
      'generator.tick',
      'generator.tick',
      'generator.tick',
      'stream.reset',
      'generator.tick',
    ]);
  });

  it('resumes from the relay history what its ring no longer holds, with the owner filter', async () => {
    const relay = relayed(2);
    bus.publish(tick());
    bus.publish({ type: 'order.status_changed', at: new Date(), orderId: 'o1', from: 'pending', to: 'paid' }, 'ada');
    for (let i = 0; i < 3; i++) bus.publish(tick());
    relay.deliverAll();
    await nextTurn();
    expect(bus.oldestSeq).toBe(4);
    expect(ids(await bus.openingFor(0, 1000))).toEqual([1, 2, 3, 4, 5]);
    expect(ids(await bus.openingFor(0, 1000, 'bob'))).toEqual([1, 3, 4, 5]);
  });

  it('starts a fresh replica mid-stream: a resume from before it started reads the history, one ahead waits for it', async () => {
    const relay = relayed();
    for (let i = 0; i < 3; i++) relay.send('generator.tick', '{"type":"generator.tick","seq":', '}', null);
    bus.startAt(3);
    expect(bus.latestSeq).toBe(3);
    expect(ids(await bus.openingFor(1, 1000))).toEqual([2, 3]);
    // Id 4 exists elsewhere and reaches this replica a moment after the client asks.
    const opening = bus.openingFor(4, 1000);
    relay.send('generator.tick', '{"type":"generator.tick","seq":', '}', null);
    setImmediate(() => relay.deliverAll());
    expect(await opening).toBe('retry: 1000\n\n');
  });

  it('holds nothing before the first event it is delivered mid-stream (a replica that started while Redis was empty)', async () => {
    const relay = relayed();
    for (let i = 0; i < 5; i++) relay.send('generator.tick', '{"type":"generator.tick","seq":', '}', null);
    bus.deliver(relay.log[4] as RelayedEvent);
    await nextTurn();
    expect(bus.oldestSeq).toBe(5);
    expect(ids(await bus.openingFor(2, 1000))).toEqual([3, 4, 5]);
  });

  it('resetStreams tells every open stream to refetch, after what was queued', async () => {
    const relay = relayed();
    const stream = output();
    bus.addStream(stream);
    bus.publish(tick());
    relay.deliverAll();
    bus.resetStreams();
    expect(types(stream.text)).toEqual(['generator.tick', 'stream.reset']);
  });
});
