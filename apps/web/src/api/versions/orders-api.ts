import type { ApiVersion, CreateOrderBody, Order, OrderPage, OrderStatus, OrdersBatch } from '@tandem/contract';
import type { z } from 'zod';

/** The wire form of a new order, as a person typed it (v1's field names); the server validates it. */
export type NewOrder = z.input<typeof CreateOrderBody>;

export interface OrdersPageRequest {
  limit: number;
  cursor?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The orders calls of one API version, answered in the one model the rest of the SPA
 * works on (`Order`, `OrderPage`, `OrdersBatch`: v1's shape, which the live events also
 * carry). A version whose wire shape differs adapts at this edge, errors' field paths
 * included, so the query cache, the live updates and every component stay shared.
 */
export interface OrdersApi {
  list(request: OrdersPageRequest): Promise<OrderPage>;
  get(id: string, signal?: AbortSignal): Promise<Order>;
  batch(ids: readonly string[], signal?: AbortSignal): Promise<OrdersBatch>;
  /** `idempotencyKey`: one per user action, sent as `Idempotency-Key` (see useOrderForm). */
  create(body: NewOrder, idempotencyKey: string): Promise<Order>;
  updateStatus(id: string, status: OrderStatus): Promise<Order>;
}

/** What `./v1/index.ts` and `./v2/index.ts` export; loaded with `import()` by load-api-version.ts. */
export interface ApiVersionModule {
  apiVersion: ApiVersion;
  ordersApi: OrdersApi;
}
