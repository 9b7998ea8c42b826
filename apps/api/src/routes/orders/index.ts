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

  app.route(contractRoute(endpoints.createOrder, (request) => app.ordersRepository.create(request.body)));
};

export default orders;
