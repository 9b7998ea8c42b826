import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Database, observed, type Queryable, type QueryObserver } from './database.js';

/** The embedded PostgreSQL (WASM), kept on disk so a restart reopens in about a second. */
export async function openPgliteDatabase(dataDir: string, observe?: QueryObserver): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  // PGlite is one connection that runs one query at a time; the rest queue inside it.
  let running = 0;
  const run = async (target: PGlite | Transaction, sql: string, params: readonly unknown[] | undefined) => {
    running += 1;
    try {
      return (await target.query(sql, params as unknown[] | undefined)).rows;
    } finally {
      running -= 1;
    }
  };

  const queryable = (target: PGlite | Transaction): Queryable => ({
    query: observed((sql, params) => run(target, sql, params), observe),
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
