import pg from 'pg';
import { type Database, observed, type Queryable, type QueryObserver } from './database.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  observe?: QueryObserver | undefined;
  /** Errors of idle pooled connections (server restarts); without a listener they crash the process. */
  onIdleError?: ((error: Error) => void) | undefined;
}

/** A PostgreSQL server reached through a `pg` pool. */
export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax });
  pool.on('error', (error) => options.onIdleError?.(error));
  // Fail at start, with the server's own message, rather than on the first request.
  const probe = await pool.connect();
  probe.release();

  const queryable = (target: pg.Pool | pg.PoolClient): Queryable => ({
    query: observed(
      async (sql, params) => (await target.query(sql, params as unknown[] | undefined)).rows,
      options.observe,
    ),
    exec: async (sql) => {
      await target.query(sql);
    },
  });

  return {
    kind: 'postgres',
    ...queryable(pool),
    connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is discarded, not returned to the pool.
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
