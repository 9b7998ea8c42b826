import { endpoints, IDEMPOTENCY_KEY_HEADER } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { ownerScope } from '../../accounts/owner-scope.js';
import { contractRoute } from '../../contract-route.js';
import { serveFirstPage, storeFirstPage } from '../../plugins/app/orders-page-cache.js';
import { createOrder, findOrders, getOrder, listOrders, updateOrderStatus } from './order-actions.js';

/** The v1 orders routes: the domain's orders as they are (v2's mapping: routes/orders-v2). */
const orders: FastifyPluginAsync = async (app) => {
  app.route({
    ...contractRoute(
      endpoints.listOrders,
      // The first page is served from the orders page cache when it is warm (no query, no serialization).
      (request, reply) =>
        serveFirstPage(request, reply, request.query, ownerScope(request.account, 'read', 'order')) ??
        listOrders(app, request, request.query),
    ),
    onSend: storeFirstPage,
  });

  // A static segment outranks `:id` in Fastify's router, so `batch` never reaches getOrder.
  app.route(contractRoute(endpoints.getOrdersBatch, (request) => findOrders(app, request, request.query.ids)));

  app.route(contractRoute(endpoints.getOrder, (request) => getOrder(app, request, request.params.id)));

  app.route(
    contractRoute(endpoints.createOrder, (request, reply) =>
      createOrder(app, request, reply, request.body, request.headers[IDEMPOTENCY_KEY_HEADER]),
    ),
  );

  app.route(
    contractRoute(endpoints.updateOrderStatus, (request) =>
      updateOrderStatus(app, request, request.params.id, request.body.status),
    ),
  );
};

export default orders;
