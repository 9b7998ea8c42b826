import { z } from 'zod';
import { DateTime } from './date-time.js';
import { successEnvelope } from './envelope.js';
import { OrderStatus } from './orders.js';

/** One cell of the orders report: the orders of one UTC day in one status, and what they add up to. */
export const OrdersReportRow = z
  .object({
    day: DateTime.meta({ description: 'Start of the UTC day (00:00:00.000Z).' }),
    status: OrderStatus,
    orders: z.int().min(0),
    revenue: z.number().nonnegative().meta({ description: 'Sum of the orders’ totals, two decimals.' }),
  })
  .meta({ id: 'OrdersReportRow' });
export type OrdersReportRow = z.output<typeof OrdersReportRow>;

/**
 * Revenue per day and status over every order: an aggregate that scans the whole table,
 * the API's one deliberately heavy read (and the timeout lab's slow path).
 */
export const OrdersReport = z
  .object({
    rows: z.array(OrdersReportRow).meta({ description: 'Newest day first; within a day, by status.' }),
  })
  .meta({ id: 'OrdersReport' });
export type OrdersReport = z.output<typeof OrdersReport>;

export const OrdersReportEnvelope = successEnvelope('OrdersReportEnvelope', 200, OrdersReport);
