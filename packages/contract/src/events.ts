import { z } from 'zod';
import { DateTime } from './date-time.js';
import { Order, OrderId, OrderStatus } from './orders.js';

/**
 * What the live channels carry. Server-Sent Events (`GET /api/v1/events`): the SSE
 * `event:` field is the `type`, `id:` is `seq`, `data:` is the JSON of one of these.
 * The WebSocket (`GET /api/v1/ws`) sends the same objects as JSON text frames.
 */
export const OrderCreatedEvent = z
  .object({ type: z.literal('order.created'), seq: z.int().positive(), at: DateTime, order: Order })
  .meta({ id: 'OrderCreatedEvent' });

export const OrderStatusChangedEvent = z
  .object({
    type: z.literal('order.status_changed'),
    seq: z.int().positive(),
    at: DateTime,
    orderId: OrderId,
    from: OrderStatus,
    to: OrderStatus,
  })
  .meta({ id: 'OrderStatusChangedEvent' });

/** Synthetic load for labs and benchmarks (see EventGeneratorSettings); the feed hides it. */
export const GeneratorTickEvent = z
  .object({ type: z.literal('generator.tick'), seq: z.int().positive(), at: DateTime, padding: z.string() })
  .meta({ id: 'GeneratorTickEvent' });

/**
 * Sent instead of a replay when `Last-Event-ID` is older than the replay window: the
 * client must refetch what it shows, because events were missed.
 */
export const StreamResetEvent = z
  .object({
    type: z.literal('stream.reset'),
    seq: z.int().nonnegative(),
    at: DateTime,
    oldestSeq: z.int().nonnegative(),
  })
  .meta({ id: 'StreamResetEvent' });

export const LiveEvent = z
  .discriminatedUnion('type', [OrderCreatedEvent, OrderStatusChangedEvent, GeneratorTickEvent, StreamResetEvent])
  .meta({ id: 'LiveEvent' });
export type LiveEvent = z.output<typeof LiveEvent>;

/** WebSocket server → client: a live event, or how many clients are connected. */
export const PresenceMessage = z
  .object({ type: z.literal('presence'), count: z.int().nonnegative() })
  .meta({ id: 'PresenceMessage' });
export const WsServerMessage = z.union([LiveEvent, PresenceMessage]).meta({ id: 'WsServerMessage' });
export type WsServerMessage = z.output<typeof WsServerMessage>;

/** WebSocket client → server. Anything else is closed with 1007 (invalid payload). */
export const WsClientMessage = z
  .discriminatedUnion('type', [z.strictObject({ type: z.literal('hello'), page: z.string().max(200) })])
  .meta({ id: 'WsClientMessage' });
export type WsClientMessage = z.output<typeof WsClientMessage>;

/** Largest WebSocket message a client may send; larger ones are closed with 1009. */
export const WS_MAX_CLIENT_MESSAGE_BYTES = 4096;
