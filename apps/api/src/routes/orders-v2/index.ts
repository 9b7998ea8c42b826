import { createBodyFromV2, endpoints, IDEMPOTENCY_KEY_HEADER, toOrderV2 } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';
import { createOrder, findOrders, getOrder, listOrders, updateOrderStatus } from '../orders/order-actions.js';

/**
 * The v2 orders routes: the same actions as v1 (routes/orders/order-actions.ts), their answers
 * mapped to v2's shape with `toOrderV2` and a v2 create mapped in with `createBodyFromV2`.
 * Both versions read and write the same orders, and live events keep their one shape.
 */
const ordersV2: FastifyPluginAsync = async (app) => {
  // The injected v2 fault, a rollout drill (PUT /api/v1/admin/rollout). Runs after validation
  // (a bad request stays a 400) and fails that share of the v2 orders calls, so the alert and
  // the rollback have something to see; v1 never passes here. 0 (the start value) never fails.
  app.addHook('preHandler', async () => {
    const { v2FaultRate } = app.rollout.state();
    if (v2FaultRate > 0 && Math.random() < v2FaultRate) throw new AppError('V2_INJECTED_FAULT');
  });

  app.route(
    contractRoute(endpoints.v2ListOrders, async (request) => {
      const page = await listOrders(app, request, request.query);
      return { items: page.items.map(toOrderV2), nextCursor: page.nextCursor };
    }),
  );

  // A static segment outranks `:id` in Fastify's router, so `batch` never reaches v2GetOrder.
  app.route(
    contractRoute(endpoints.v2GetOrdersBatch, async (request) => {
      const batch = await findOrders(app, request, request.query.ids);
      return { items: batch.items.map(toOrderV2), missing: batch.missing };
    }),
  );

  app.route(
    contractRoute(endpoints.v2GetOrder, async (request) => toOrderV2(await getOrder(app, request, request.params.id))),
  );

  // The Idempotency-Key is shared with v1: the same key and the same order (in either shape) replay.
  app.route(
    contractRoute(endpoints.v2CreateOrder, async (request, reply) =>
      toOrderV2(
        await createOrder(app, request, reply, createBodyFromV2(request.body), request.headers[IDEMPOTENCY_KEY_HEADER]),
      ),
    ),
  );

  app.route(
    contractRoute(endpoints.v2UpdateOrderStatus, async (request) =>
      toOrderV2(await updateOrderStatus(app, request, request.params.id, request.body.status)),
    ),
  );
};

export default ordersV2;
