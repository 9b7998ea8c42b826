import { type CustomersReport, fromCents, type OrderStatus, type OrdersReport } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import fp from 'fastify-plugin';
import type { Queryable, QueryOptions } from '../../db/database.js';
import { sortByCustomerName } from '../../labs/customer-name-order.js';

declare module 'fastify' {
  interface FastifyInstance {
    reportsRepository: ReportsRepository;
  }
}

export interface ReportsRepository {
  /** Revenue and order count per UTC day and status, newest day first. Pass the request's deadline. */
  ordersReport(options?: QueryOptions): Promise<OrdersReport>;
  /**
   * Every customer's order count, revenue and newest order, sorted by name here rather than
   * in SQL (CUSTOMER_NAME_COLLATION, which the database's collation cannot promise).
   * `nameSort` is the profiling lab's setting: the same order either way.
   */
  customersReport(nameSort: LabMode, options?: QueryOptions): Promise<CustomersReport>;
}

export interface ReportsRepositoryOptions {
  /**
   * LAB_SLOW_QUERY_MS: the report's statement sleeps this long in the database before it
   * aggregates (the timeout lab's slow path); 0 = off.
   */
  slowQueryMs: number;
}

interface CustomerRow {
  customer: string;
  orders: number;
  revenue_cents: number | string;
  last_order_at: Date;
}

const CUSTOMERS_REPORT_SQL = `
  SELECT customer, count(*)::int AS orders, sum(total_cents)::bigint AS revenue_cents,
         max(created_at) AS last_order_at
  FROM orders
  GROUP BY customer`;

interface ReportRow {
  day: Date;
  status: OrderStatus;
  orders: number;
  revenue_cents: number | string;
}

/**
 * One statement, a full scan of orders. The lab's pause lives in the same statement, as
 * an InitPlan PostgreSQL evaluates once before the scan (a one-time filter; `pg_sleep`
 * returns a non-null void), so cancelling the report cancels the sleep with it.
 */
const ORDERS_REPORT_SQL = `
  SELECT date_trunc('day', created_at, 'UTC') AS day, status,
         count(*)::int AS orders, sum(total_cents)::bigint AS revenue_cents
  FROM orders
  WHERE (SELECT pg_sleep($1::float8 / 1000)) IS NOT NULL
  GROUP BY 1, 2
  ORDER BY 1 DESC, 2`;

export function createReportsRepository(db: Queryable, { slowQueryMs }: ReportsRepositoryOptions): ReportsRepository {
  return {
    async ordersReport(options) {
      const rows = await db.query<ReportRow>('reports.orders', ORDERS_REPORT_SQL, [slowQueryMs], options);
      return {
        rows: rows.map((row) => ({
          day: row.day,
          status: row.status,
          orders: row.orders,
          revenue: fromCents(Number(row.revenue_cents)),
        })),
      };
    },
    async customersReport(nameSort, options) {
      const rows = await db.query<CustomerRow>('reports.customers', CUSTOMERS_REPORT_SQL, [], options);
      const summaries = rows.map((row) => ({
        customer: row.customer,
        orders: row.orders,
        revenue: fromCents(Number(row.revenue_cents)),
        lastOrderAt: row.last_order_at,
      }));
      return { rows: sortByCustomerName(summaries, nameSort) };
    },
  };
}

export default fp<ReportsRepositoryOptions>(
  async (app, options) => {
    app.decorate('reportsRepository', createReportsRepository(app.db, options));
  },
  { name: 'reports-repository', dependencies: ['database'] },
);
