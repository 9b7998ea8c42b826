import pg from 'pg';
import { createBackendCanceller } from './backend-canceller.js';
import {
  type CancelObserver,
  type Database,
  observed,
  type Queryable,
  type QueryObserver,
  type QueryOptions,
} from './database.js';
import { QueryAbortedError } from './query-aborted-error.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  observe?: QueryObserver | undefined;
  /** Counts queries a signal stopped (`tandem_db_queries_cancelled_total`). */
  onCancelled?: CancelObserver | undefined;
  /** Errors of idle pooled connections (server restarts); without a listener they crash the process. */
  onIdleError?: ((error: Error) => void) | undefined;
  /** A cancel that could not be sent; the statement's `statement_timeout` still stops it. */
  onCancelError?: ((error: Error) => void) | undefined;
}

/** SQLSTATE query_canceled: a cancel request or `statement_timeout` stopped the statement. */
const QUERY_CANCELED = '57014';

/**
 * A PostgreSQL server reached through a `pg` pool.
 *
 * A query given a signal (`QueryOptions`) is cancelled on the server when the signal
 * aborts: `pg_cancel_backend(<pid of its connection>)` from the canceller's own
 * connection, and the query rejects with QueryAbortedError. Its `remainingMs` also
 * becomes the statement's `statement_timeout`, so the server stops it at the deadline
 * even if the cancel never comes. The connection goes back to the pool only after the
 * cancel was delivered, so a late cancel cannot reach the next statement on it.
 */
export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax });
  pool.on('error', (error) => options.onIdleError?.(error));
  // Fail at start, with the server's own message, rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const canceller = createBackendCanceller(options.url, options.onCancelError);
  await canceller.connect();

  /**
   * Pooled connections whose session `statement_timeout` a deadline set; the next
   * statement without one resets it first (one round trip, only then), so a deadline
   * never outlives its query.
   */
  const timedSessions = new WeakSet<pg.PoolClient>();

  const refuse = (name: string, reason: unknown): never => {
    options.onCancelled?.('not_started');
    throw new QueryAbortedError(name, 'not_started', reason);
  };

  /** Sets or clears the statement timeout a query needs on `client` before it runs. */
  const prepare = async (client: pg.PoolClient, inTransaction: boolean, remainingMs: number | undefined) => {
    if (remainingMs !== undefined && Number.isFinite(remainingMs)) {
      const timeoutMs = Math.max(1, Math.ceil(remainingMs));
      // In a transaction `is_local` scopes it to the transaction; outside, to the session.
      await client.query("SELECT set_config('statement_timeout', $1, $2)", [String(timeoutMs), inTransaction]);
      if (!inTransaction) timedSessions.add(client);
    } else if (!inTransaction && timedSessions.delete(client)) {
      await client.query('RESET statement_timeout');
    }
  };

  const run = async (
    client: pg.PoolClient,
    inTransaction: boolean,
    name: string,
    sql: string,
    params: readonly unknown[] | undefined,
    queryOptions: QueryOptions | undefined,
  ): Promise<unknown[]> => {
    const signal = queryOptions?.signal;
    const remainingMs = queryOptions?.remainingMs;
    if (signal?.aborted) refuse(name, signal.reason);
    if (remainingMs !== undefined && remainingMs <= 0) refuse(name, new Error('the deadline has passed'));
    await prepare(client, inTransaction, remainingMs);
    if (signal?.aborted) refuse(name, signal.reason);

    let cancelling: Promise<boolean> | undefined;
    const cancel = () => {
      cancelling = canceller.cancel(backendPid(client));
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return (await client.query(sql, params as unknown[] | undefined)).rows;
    } catch (error) {
      if (signal?.aborted || (error as { code?: unknown }).code === QUERY_CANCELED) {
        options.onCancelled?.('running');
        throw new QueryAbortedError(name, 'running', signal?.aborted ? signal.reason : error);
      }
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      // pg_cancel_backend only signals the backend; wait for it before anything else
      // runs on this connection (a backend idle between statements ignores a cancel).
      if (cancelling) await cancelling;
    }
  };

  /** Runs `work` on a pooled connection; one that failed outside SQL (a broken socket) is discarded. */
  const withConnection = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError) && !(error instanceof QueryAbortedError)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  };

  return {
    kind: 'postgres',
    query: observed((name, sql, params, queryOptions) => {
      // Refused before taking a connection: an expired request does not queue for the pool.
      if (queryOptions?.signal?.aborted) refuse(name, queryOptions.signal.reason);
      return withConnection((client) => run(client, false, name, sql, params, queryOptions));
    }, options.observe),
    exec: (sql) =>
      withConnection(async (client) => {
        await prepare(client, false, undefined);
        await client.query(sql);
      }),
    connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      const tx: Queryable = {
        query: observed(
          (name, sql, params, queryOptions) => run(client, true, name, sql, params, queryOptions),
          options.observe,
        ),
        exec: async (sql) => {
          await client.query(sql);
        },
      };
      try {
        await prepare(client, false, undefined);
        await client.query('BEGIN');
        const result = await work(tx);
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
    async close() {
      await canceller.close();
      await pool.end();
    },
  };
}

/** The server process behind a connection (BackendKeyData); pg sets it on connect, @types/pg omits it. */
function backendPid(client: pg.PoolClient): number {
  return (client as unknown as { processID: number }).processID;
}
