import { endpoints, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';
import { batchWeightPolicy } from '../../labs/batch-weight-policy.js';

const orders: FastifyPluginAsync = async (app) => {
  app.route(
    contractRoute(endpoints.listOrders, (request) => app.ordersRepository.list(request.query, request.deadline)),
  );

  // A static segment outranks `:id` in Fastify's router, so `batch` never reaches getOrder.
  app.route(
    contractRoute(endpoints.getOrdersBatch, (request) =>
      app.ordersRepository.findMany(
        request.query.ids,
        request.deadline,
        // The batch-weight lab's switch: naive reads one query per id, tuned one query per batch.
        batchWeightPolicy(app.labs.mode('batch-weight')).strategy,
      ),
    ),
  );

  app.route(
    contractRoute(endpoints.getOrder, async (request) => {
      const order = await app.ordersRepository.get(request.params.id, request.deadline);
      if (!order) throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${request.params.id}.` });
      return order;
    }),
  );

  app.route(
    contractRoute(endpoints.createOrder, async (request, reply) => {
      const key = request.headers[IDEMPOTENCY_KEY_HEADER];
      if (key === undefined) {
        const order = await app.ordersRepository.create(request.body);
        app.liveEvents.publish({ type: 'order.created', at: new Date(), order });
        return order;
      }
      const result = await app.ordersRepository.createIdempotent(request.body, key);
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
    }),
  );

  app.route(
    contractRoute(endpoints.updateOrderStatus, async (request) => {
      const { id } = request.params;
      const to = request.body.status;
      const result = await app.ordersRepository.updateStatus(id, to);
      if (result.outcome === 'not_found')
        throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${id}.` });
      if (result.outcome === 'not_allowed') {
        throw new AppError('INVALID_STATUS_TRANSITION', {
          message: `Order ${id} cannot move from ${result.from} to ${to}.`,
        });
      }
      app.liveEvents.publish({ type: 'order.status_changed', at: new Date(), orderId: id, from: result.from, to });
      return result.order;
    }),
  );
};

export default orders;
