import { type CreateOrderBody, IDEMPOTENT_REPLAYED_HEADER, type Order, type OrderStatus } from '@tandem/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ownerScope } from '../../accounts/owner-scope.js';
import { AppError } from '../../errors.js';

/**
 * What the orders routes do, in the domain's shape, once per operation: v1
 * (routes/orders) answers it as it is, v2 (routes/orders-v2) maps it to its own shape.
 * Reads take the request's deadline (it carries the Server-Timing too); writes only the timing.
 * Each reads and writes only the orders the signed-in account may (accounts/owner-scope.ts):
 * another user's order is not found.
 */

export async function getOrder(app: FastifyInstance, request: FastifyRequest, id: string): Promise<Order> {
  const order = await app.ordersRepository.get(id, ownerScope(request.account, 'read', 'order'), request.deadline);
  if (!order) throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${id}.` });
  return order;
}

/** One page of the orders the account may read, newest first. */
export function listOrders(
  app: FastifyInstance,
  request: FastifyRequest,
  query: { limit: number; cursor?: { createdAt: Date; id: string } | undefined },
) {
  return app.ordersRepository.list(query, ownerScope(request.account, 'read', 'order'), request.deadline);
}

export function findOrders(app: FastifyInstance, request: FastifyRequest, ids: readonly string[]) {
  return app.ordersRepository.findMany(ids, ownerScope(request.account, 'read', 'order'), request.deadline);
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
  // Whatever the role's reach, a new order is the creator's own.
  ownerScope(request.account, 'create', 'order');
  const owner = (request.account as NonNullable<FastifyRequest['account']>).user.id;
  if (key === undefined) {
    const order = await app.ordersRepository.create(body, owner, options);
    app.liveEvents.publish({ type: 'order.created', at: new Date(), order }, owner);
    return order;
  }
  const result = await app.ordersRepository.createIdempotent(body, key, owner, options);
  if (result.outcome === 'key_reused') {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', {
      message: `The Idempotency-Key ${key} was already used with a different request body; send a new key for a new order.`,
    });
  }
  if (result.outcome === 'replayed') {
    reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return result.order;
  }
  app.liveEvents.publish({ type: 'order.created', at: new Date(), order: result.order }, owner);
  return result.order;
}

/** Moves an order to its next status; publishes order.status_changed. */
export async function updateOrderStatus(
  app: FastifyInstance,
  request: FastifyRequest,
  id: string,
  to: OrderStatus,
): Promise<Order> {
  const owner = ownerScope(request.account, 'update', 'order');
  const result = await app.ordersRepository.updateStatus(id, to, owner, { timing: request.timing });
  if (result.outcome === 'not_found') throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${id}.` });
  if (result.outcome === 'not_allowed') {
    throw new AppError('INVALID_STATUS_TRANSITION', {
      message: `Order ${id} cannot move from ${result.from} to ${to}.`,
    });
  }
  app.liveEvents.publish(
    { type: 'order.status_changed', at: new Date(), orderId: id, from: result.from, to },
    result.owner,
  );
  return result.order;
}
