import { EventStreamReader } from '@tandem/local-stack';
import type { EventMeasurementOptions } from './order-writer.js';
import { settled } from './settled.js';

export interface ReconnectEvents {
  /** Orders created while the client was away (through every replica in turn). */
  createdWhileAway: number;
  /** Of those, the ones whose `order.created` the resumed stream never delivered. */
  lost: number;
  /** `order.created` events the resumed stream delivered again: an order the first stream had delivered, or one it delivered twice. */
  repeated: number;
  /** `stream.reset` events on the resumed stream: the replica could not place the Last-Event-ID. */
  resets: number;
}

/**
 * A browser's reconnect to another replica: a stream on replica 1 while `orders` orders
 * are created through the replicas in turn, closed; `orders` more created while it is
 * away; then a stream on replica 2 with `Last-Event-ID` = the last id the first stream
 * delivered (what EventSource sends). Counts what the resume lost and repeated.
 */
export async function measureReconnect(options: EventMeasurementOptions): Promise<ReconnectEvents> {
  const [first, second] = options.replicaOrigins;
  if (!first || !second) throw new Error('the reconnect needs two replicas');
  const before = await EventStreamReader.open({ origin: first, cookie: options.cookie });
  const createdBefore = await options.writer.createInTurn(options.orders, 'Scale-out lab: before', options.gapMs);
  const seenBefore = () => new Set(before.createdOrderIds());
  await settled(() => createdBefore.every((order) => seenBefore().has(order.id)), options.settleMs);
  await before.close();
  const lastEventId = before.lastEventId;

  const whileAway = await options.writer.createInTurn(options.orders, 'Scale-out lab: while away', options.gapMs);
  const after = await EventStreamReader.open({
    origin: second,
    cookie: options.cookie,
    ...(lastEventId === undefined ? {} : { lastEventId }),
  });
  try {
    const seenAfter = () => new Set(after.createdOrderIds());
    await settled(() => whileAway.every((order) => seenAfter().has(order.id)), options.settleMs);
    const delivered = seenAfter();
    const firstOrders = seenBefore();
    const ordersAfter = new Set<string>();
    let repeated = 0;
    for (const { orderId } of after.events) {
      if (orderId === undefined) continue;
      if (firstOrders.has(orderId) || ordersAfter.has(orderId)) repeated += 1;
      ordersAfter.add(orderId);
    }
    return {
      createdWhileAway: whileAway.length,
      lost: whileAway.filter((order) => !delivered.has(order.id)).length,
      repeated,
      resets: after.events.filter((event) => event.type === 'stream.reset').length,
    };
  } finally {
    await after.close();
  }
}
