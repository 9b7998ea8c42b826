import { endpointsV2 } from '@tandem/contract';
import { call } from '../../client';
import type { OrdersApi } from '../orders-api';
import { createBodyToV2 } from './create-body-to-v2';
import { withV1IssuePaths } from './issue-paths-to-v1';
import { orderFromV2, orderPageFromV2, ordersBatchFromV2 } from './order-from-v2';

/**
 * v2's orders calls, adapted at this edge to the SPA's model: v2's minor units, renamed
 * fields and issue paths never reach a component. Loaded only for a client the API put on
 * v2 (load-api-version.ts), so a v1 client never downloads this chunk.
 */
export const ordersApi: OrdersApi = {
  list: async ({ limit, cursor, signal }) =>
    orderPageFromV2(await call(endpointsV2.v2ListOrders, { query: { limit: String(limit), cursor }, signal })),
  get: async (id, signal) => orderFromV2(await call(endpointsV2.v2GetOrder, { params: { id }, signal })),
  batch: async (ids, signal) =>
    ordersBatchFromV2(await call(endpointsV2.v2GetOrdersBatch, { query: { ids: ids.join(',') }, signal })),
  create: async (body, idempotencyKey) => {
    try {
      return orderFromV2(await call(endpointsV2.v2CreateOrder, { body: createBodyToV2(body), idempotencyKey }));
    } catch (error) {
      throw withV1IssuePaths(error);
    }
  },
  updateStatus: async (id, status) =>
    orderFromV2(await call(endpointsV2.v2UpdateOrderStatus, { params: { id }, body: { status } })),
};

export const apiVersion = 'v2' as const;
