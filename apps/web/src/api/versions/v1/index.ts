import { coreEndpoints } from '@tandem/contract';
import { call } from '../../client';
import type { OrdersApi } from '../orders-api';

/** v1 answers in the SPA's own model: nothing to adapt. */
export const ordersApi: OrdersApi = {
  list: ({ limit, cursor, signal }) =>
    call(coreEndpoints.listOrders, { query: { limit: String(limit), cursor }, signal }),
  get: (id, signal) => call(coreEndpoints.getOrder, { params: { id }, signal }),
  batch: (ids, signal) => call(coreEndpoints.getOrdersBatch, { query: { ids: ids.join(',') }, signal }),
  create: (body, idempotencyKey) => call(coreEndpoints.createOrder, { body, idempotencyKey }),
  updateStatus: (id, status) => call(coreEndpoints.updateOrderStatus, { params: { id }, body: { status } }),
};

export const apiVersion = 'v1' as const;
