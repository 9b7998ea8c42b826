import { type CreateOrderBody, IDEMPOTENT_REPLAYED_HEADER, type Order, type OrderStatus } from '@tandem/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';

/**
 * What the orders routes do, in the domain's shape, once per operation: v1
 * (routes/orders) answers it as it is, v2 (routes/orders-v2) maps it to its own shape.
 * Reads take the request's deadline (it carries the Server-Timing too); writes only the timing.
 */

export async function getOrder(app: FastifyInstance, request: FastifyRequest, id: string): Promise<Order> {
  const order = await app.ordersRepository.get(id, request.deadline);
  if (!order) throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${id}.` });
  return order;
}

export function findOrders(app: FastifyInstance, request: FastifyRequest, ids: readonly string[]) {
  return app.ordersRepository.findMany(ids, request.deadline);
}

/** Creates an order, at most once per Idempotency-Key (a replay answers the first order). */
export async function createOrder(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  body: CreateOrderBody,
  key: string | undefined,
): Promise<Order> {
  const options = { timing: request.timing };
  if (key === undefined) {
    const order = await app.ordersRepository.create(body, options);
    app.liveEvents.publish({ type: 'order.created', at: new Date(), order });
    return order;
  }
  const result = await app.ordersRepository.createIdempotent(body, key, options);
  if (result.outcome === 'key_reused') {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', {
      message: `The Idempotency-Key ${key} was already used with a different request body; send a new key for a new order.`,
    });
  }
  if (result.outcome === 'replayed') {
    reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return result.order;
  }
  app.liveEvents.publish({ type: 'order.created', at: new Date(), order: result.order });
  return result.order;
}

/** Moves an order to its next status; publishes order.status_changed. */
export async function updateOrderStatus(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
  to: OrderStatus,
): Promise<Order> {
  const result = await app.ordersRepository.updateStatus(id, to, { timing: request.timing });
  if (result.outcome === 'not_found') throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${id}.` });
  if (result.outcome === 'not_allowed') {
    throw new AppError('INVALID_STATUS_TRANSITION', {
      message: `Order ${id} cannot move from ${result.from} to ${to}.`,
    });
  }
  app.liveEvents.publish({ type: 'order.status_changed', at: new Date(), orderId: id, from: result.from, to });
  return result.order;
}
