import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import {
  type CancelObserver,
  type Database,
  observed,
  type Queryable,
  type QueryObserver,
  type QueryOptions,
} from './database.js';
import { QueryAbortedError } from './query-aborted-error.js';

/**
 * The embedded PostgreSQL (WASM), kept on disk so a restart reopens in about a second.
 *
 * Deadlines: PGlite runs in this process, on this thread, one statement at a time; there
 * is no second connection to cancel from and no interrupt to deliver, so a statement that
 * has started runs to its end. An aborted signal is honoured before a query starts (it is
 * refused with QueryAbortedError), which stops a handler's later queries; the request's
 * 504 is sent at the deadline either way (plugins/app/deadline.ts). Work after a deadline
 * is only truly cut on PostgreSQL (postgres-database.ts).
 */
export async function openPgliteDatabase(
  dataDir: string,
  observe?: QueryObserver,
  onCancelled?: CancelObserver,
): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  // PGlite is one connection that runs one query at a time; the rest queue inside it.
  let running = 0;
  const run = async (
    target: PGlite | Transaction,
    name: string,
    sql: string,
    params: readonly unknown[] | undefined,
    options: QueryOptions | undefined,
  ) => {
    if (options?.signal?.aborted) {
      onCancelled?.('not_started');
      throw new QueryAbortedError(name, 'not_started', options.signal.reason);
    }
    running += 1;
    try {
      return (await target.query(sql, params as unknown[] | undefined)).rows;
    } finally {
      running -= 1;
    }
  };

  const queryable = (target: PGlite | Transaction): Queryable => ({
    query: observed((name, sql, params, options) => run(target, name, sql, params, options), observe),
    exec: async (sql) => {
      await target.exec(sql);
    },
  });

  return {
    kind: 'pglite',
    ...queryable(pglite),
    connections: () => ({ total: 1, idle: running === 0 ? 1 : 0, waiting: Math.max(running - 1, 0) }),
    transaction: (work) => pglite.transaction((tx) => work(queryable(tx))),
    close: () => pglite.close(),
  };
}
