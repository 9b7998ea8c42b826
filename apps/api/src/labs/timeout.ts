import type { Queryable } from '../db/database.js';
import type { ReportsRepository } from '../plugins/app/reports-repository.js';
import { defineLab } from './define-lab.js';

/**
 * The lab's slow path: a statement that only waits in the database, `ms` long. Its text is
 * what the lab script looks for in pg_stat_activity (labs/src/timeout/measure.ts).
 */
export const SLOW_STATEMENT = 'SELECT pg_sleep($1::float8 / 1000) IS NOT NULL AS slept';

/**
 * The same repository, whose orders report first waits `ms` in the database, on the same
 * request deadline as the report: a deadline that cancels the report cancels the wait with
 * it (PostgreSQL; PGlite cannot stop a statement once it runs).
 */
export function withSlowOrdersReport(repository: ReportsRepository, db: Queryable, ms: number): ReportsRepository {
  return {
    async ordersReport(options) {
      await db.query('lab.slow_report', SLOW_STATEMENT, [ms], options);
      return repository.ordersReport(options);
    },
    customersReport: (options) => repository.customersReport(options),
  };
}

/**
 * timeout: whether the request's deadline (X-Request-Timeout) is enforced
 * (plugins/app/deadline.ts, `app.deadlinePolicy`). With LAB_SLOW_QUERY_MS, GET
 * /api/v1/reports/orders takes that long in the database in both modes.
 */
export const timeoutLab = defineLab('timeout', {
  install: (app, seams, { slowQueryMs }) => {
    if (slowQueryMs > 0)
      seams.reportsRepository.set(withSlowOrdersReport(seams.reportsRepository.initial, app.db, slowQueryMs));
  },
  // "Client timeout only": the deadline is read (a bad header is still a 400) and ignored. No
  // timer, no 504, no signal: the query runs to completion after the caller gave up and the
  // handler answers late, to no one.
  naive: (seams) => seams.deadlinePolicy.set({ enforce: false }),
  // The product's default: the deadline becomes the request's AbortSignal, handed to the
  // database (db/postgres-database.ts cancels the statement), and a 504 when it passes.
  tuned: (seams) => seams.deadlinePolicy.reset(),
});
