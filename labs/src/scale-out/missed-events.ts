import { EventStreamReader } from '@tandem/local-stack';
import type { EventMeasurementOptions } from './order-writer.js';
import { settled } from './settled.js';

export interface MissedEvents {
  /** Orders created through another replica than the reader's, summed over the readers. */
  expected: number;
  /** Of those, the ones whose `order.created` reached the reader. */
  received: number;
  /** 1 − received ÷ expected. */
  missedShare: number;
  /** Orders created through the reader's own replica that reached it, of those created there (always all). */
  ownReceived: number;
  ownCreated: number;
}

/**
 * One event-stream reader on each replica (directly, as the balancer would have placed
 * three browsers), `orders` orders created through the replicas in turn: how many of the
 * orders created through *another* replica than its own each reader sees.
 */
export async function measureMissedEvents(options: EventMeasurementOptions): Promise<MissedEvents> {
  const readers = await Promise.all(
    options.replicaOrigins.map((origin) => EventStreamReader.open({ origin, cookie: options.cookie })),
  );
  try {
    const created = await options.writer.createInTurn(options.orders, 'Scale-out lab: fan-out', options.gapMs);
    const wanted = (reader: number) => created.filter((order) => order.replica !== reader);
    await settled(
      () =>
        readers.every((reader, index) => {
          const seen = new Set(reader.createdOrderIds());
          return wanted(index).every((order) => seen.has(order.id));
        }),
      options.settleMs,
    );
    let expected = 0;
    let received = 0;
    let ownCreated = 0;
    let ownReceived = 0;
    readers.forEach((reader, index) => {
      const seen = new Set(reader.createdOrderIds());
      for (const order of created) {
        const arrived = seen.has(order.id) ? 1 : 0;
        if (order.replica === index) {
          ownCreated += 1;
          ownReceived += arrived;
        } else {
          expected += 1;
          received += arrived;
        }
      }
    });
    return { expected, received, missedShare: expected === 0 ? 0 : 1 - received / expected, ownReceived, ownCreated };
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }
}
