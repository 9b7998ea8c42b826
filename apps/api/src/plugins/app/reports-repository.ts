import { type CustomersReport, fromCents, type OrderStatus, type OrdersReport } from '@tandem/contract';
import fp from 'fastify-plugin';
import { type CustomerNameComparator, compareCustomerNames, sortByCustomerName } from '../../customer-name-order.js';
import type { Queryable, QueryOptions } from '../../db/database.js';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    reportsRepository: ReportsRepository;
    /** How the customers report orders names (default: compareCustomerNames); read once per report. */
    customerNameComparator: Setting<CustomerNameComparator>;
  }
}

export interface ReportsRepository {
  /** Revenue and order count per UTC day and status, newest day first. Pass the request's deadline. */
  ordersReport(options?: QueryOptions): Promise<OrdersReport>;
  /**
   * Every customer's order count, revenue and newest order, sorted by name here rather than
   * in SQL (CUSTOMER_NAME_COLLATION, which the database's collation cannot promise).
   */
  customersReport(options?: QueryOptions): Promise<CustomersReport>;
}

export interface ReportsRepositoryOptions {
  /** The comparator of the next customers report (default: compareCustomerNames). */
  compareNames?: () => CustomerNameComparator;
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

/** One statement, a full scan of orders: the heaviest read of the API. */
const ORDERS_REPORT_SQL = `
  SELECT date_trunc('day', created_at, 'UTC') AS day, status,
         count(*)::int AS orders, sum(total_cents)::bigint AS revenue_cents
  FROM orders
  GROUP BY 1, 2
  ORDER BY 1 DESC, 2`;

export function createReportsRepository(
  db: Queryable,
  { compareNames = () => compareCustomerNames }: ReportsRepositoryOptions = {},
): ReportsRepository {
  return {
    async ordersReport(options) {
      const rows = await db.query<ReportRow>('reports.orders', ORDERS_REPORT_SQL, [], options);
      return {
        rows: rows.map((row) => ({
          day: row.day,
          status: row.status,
          orders: row.orders,
          revenue: fromCents(Number(row.revenue_cents)),
        })),
      };
    },
    async customersReport(options) {
      const rows = await db.query<CustomerRow>('reports.customers', CUSTOMERS_REPORT_SQL, [], options);
      const summaries = rows.map((row) => ({
        customer: row.customer,
        orders: row.orders,
        revenue: fromCents(Number(row.revenue_cents)),
        lastOrderAt: row.last_order_at,
      }));
      return { rows: sortByCustomerName(summaries, compareNames()) };
    },
  };
}

export default fp(
  async (app) => {
    const comparator = createSetting<CustomerNameComparator>(compareCustomerNames);
    app.decorate('customerNameComparator', comparator);
    app.decorate('reportsRepository', createReportsRepository(app.db, { compareNames: comparator.get }));
  },
  { name: 'reports-repository', dependencies: ['database'] },
);
