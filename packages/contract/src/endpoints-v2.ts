import { ANSWERS, type Endpoint } from './endpoint.js';
import { ErrorEnvelope } from './envelope.js';
import {
  BatchOrdersQuery,
  CreateOrderHeaders,
  ListOrdersQuery,
  MAX_BATCH_IDS,
  OrderIdParams,
  UpdateOrderStatusBody,
} from './orders.js';
import {
  CreatedOrderV2Envelope,
  CreateOrderBodyV2,
  OrderPageV2Envelope,
  OrdersBatchV2Envelope,
  OrderV2Envelope,
} from './orders-v2.js';

const { always, bodyErrors, limited, sameOrigins, signedIn } = ANSWERS;

/**
 * v2's orders operations: the same orders as v1's, in v2's shape (orders-v2.ts); both
 * groups read one repository. Apart from coreEndpoints so that only a client that loads
 * v2 carries these schemas.
 */
export const endpointsV2 = {
  v2ListOrders: {
    method: 'GET',
    path: '/api/v2/orders',
    summary: 'List orders, newest first, one page at a time (keyset cursor); money as integer minor units.',
    tags: ['orders', 'v2'],
    auth: 'session',
    query: ListOrdersQuery,
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: OrderPageV2Envelope, 400: ErrorEnvelope, ...limited, ...always },
  },
  v2GetOrdersBatch: {
    method: 'GET',
    path: '/api/v2/orders/batch',
    summary: `Get up to ${MAX_BATCH_IDS} orders by id in one call (as v1's batch: \`ids\` comma-separated or repeated, duplicates answered once, unknown ids in \`missing\`).`,
    tags: ['orders', 'v2'],
    auth: 'session',
    query: BatchOrdersQuery,
    rateLimit: { bucket: 'api', cost: 'ids' },
    responses: { ...signedIn, 200: OrdersBatchV2Envelope, 400: ErrorEnvelope, ...limited, ...always },
  },
  v2GetOrder: {
    method: 'GET',
    path: '/api/v2/orders/:id',
    summary: 'Get one order by id.',
    tags: ['orders', 'v2'],
    auth: 'session',
    params: OrderIdParams,
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: OrderV2Envelope, 400: ErrorEnvelope, 404: ErrorEnvelope, ...limited, ...always },
  },
  v2CreateOrder: {
    method: 'POST',
    path: '/api/v2/orders',
    summary:
      'Create an order from `customerName` and items with `quantity` and `unitPrice` in minor units; the server computes `total` and sets `status` to pending. `Idempotency-Key` as in v1.',
    tags: ['orders', 'v2'],
    auth: 'session',
    headers: CreateOrderHeaders,
    body: CreateOrderBodyV2,
    rateLimit: { bucket: 'api' },
    responses: {
      ...signedIn,
      ...sameOrigins,
      201: CreatedOrderV2Envelope,
      ...bodyErrors,
      422: ErrorEnvelope,
      ...limited,
      ...always,
    },
  },
  v2UpdateOrderStatus: {
    method: 'PATCH',
    path: '/api/v2/orders/:id',
    summary: 'Move an order to its next status (see ORDER_STATUS_TRANSITIONS); publishes order.status_changed.',
    tags: ['orders', 'v2'],
    auth: 'session',
    params: OrderIdParams,
    body: UpdateOrderStatusBody,
    rateLimit: { bucket: 'api' },
    responses: {
      ...signedIn,
      ...sameOrigins,
      200: OrderV2Envelope,
      ...bodyErrors,
      404: ErrorEnvelope,
      409: ErrorEnvelope,
      ...limited,
      ...always,
    },
  },
} as const satisfies Record<string, Endpoint>;
