import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Database, observed, type Queryable, type QueryObserver } from './database.js';

/** The embedded PostgreSQL (WASM), kept on disk so a restart reopens in about a second. */
export async function openPgliteDatabase(dataDir: string, observe?: QueryObserver): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);

  const queryable = (target: PGlite | Transaction): Queryable => ({
    query: observed(async (sql, params) => (await target.query(sql, params as unknown[] | undefined)).rows, observe),
    exec: async (sql) => {
      await target.exec(sql);
    },
  });

  return {
    kind: 'pglite',
    ...queryable(pglite),
    transaction: (work) => pglite.transaction((tx) => work(queryable(tx))),
    close: () => pglite.close(),
  };
}
