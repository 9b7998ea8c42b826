import { endpoints } from '@tandem/contract';
import { call } from '../../client';
import type { OrdersApi } from '../orders-api';

/** v1 answers in the SPA's own model: nothing to adapt. */
export const ordersApi: OrdersApi = {
  list: ({ limit, cursor, signal }) => call(endpoints.listOrders, { query: { limit: String(limit), cursor }, signal }),
  get: (id, signal) => call(endpoints.getOrder, { params: { id }, signal }),
  batch: (ids, signal) => call(endpoints.getOrdersBatch, { query: { ids: ids.join(',') }, signal }),
  create: (body, idempotencyKey) => call(endpoints.createOrder, { body, idempotencyKey }),
  updateStatus: (id, status) => call(endpoints.updateOrderStatus, { params: { id }, body: { status } }),
};

export const apiVersion = 'v1' as const;
