import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';

const orders: FastifyPluginAsync = async (app) => {
  app.route(contractRoute(endpoints.listOrders, (request) => app.ordersRepository.list(request.query)));

  app.route(
    contractRoute(endpoints.getOrder, async (request) => {
      const order = await app.ordersRepository.get(request.params.id);
      if (!order) throw new AppError('ORDER_NOT_FOUND', { message: `No order has the id ${request.params.id}.` });
      return order;
    }),
  );

  app.route(
    contractRoute(endpoints.createOrder, async (request) => {
      const order = await app.ordersRepository.create(request.body);
      app.liveEvents.publish({ type: 'order.created', at: new Date(), order });
      return order;
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
