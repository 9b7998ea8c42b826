import { performance } from 'node:perf_hooks';
import type { QueryCancelStage } from './query-aborted-error.js';

/**
 * What a caller may attach to one query. A request passes its deadline
 * (`request.deadline`, plugins/app/deadline.ts), which has both fields.
 */
export interface QueryOptions {
  /**
   * Aborted: the query is refused if it has not started (QueryAbortedError) and, on
   * PostgreSQL, cancelled on the server if it is running. PGlite cannot interrupt a
   * running statement (see pglite-database.ts).
   */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds the caller can still wait, read when the query starts. On PostgreSQL it
   * becomes the statement's `statement_timeout`: a server-side backstop should the API's
   * own cancel come late (a busy event loop) or never (a crashed process).
   */
  remainingMs?: number | undefined;
  /**
   * Where the query adds its duration: the request's Server-Timing `db`
   * (plugins/app/server-timing.ts). Threaded with the options, not found through
   * AsyncLocalStorage, which would put a hook on every promise of the process.
   */
  timing?: QueryTiming | undefined;
}

/** The part of a request's timing the database writes to. */
export interface QueryTiming {
  dbMs: number;
}

/** What a write takes: its timing only. Writes are not cancelled by the deadline (see orders-repository.ts). */
export type WriteOptions = Pick<QueryOptions, 'timing'>;

/** What queries and migrations need from a database, whichever engine is behind it. */
export interface Queryable {
  /**
   * Runs one parameterised statement and returns its rows. `name` is a short, stable
   * label (`orders.list`) for timings and, later, metrics; never built from input.
   */
  query<Row>(name: string, sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs a script of one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Connection use at one moment, for `tandem_db_pool_connections`. */
export interface DatabaseConnections {
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Connection use now (read at scrape time); absent on test doubles. */
  connections?(): DatabaseConnections;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Called after every query with its name, duration and options; used for Server-Timing and the query histogram. */
export type QueryObserver = (name: string, durationMs: number, options: QueryOptions | undefined) => void;

/** Called when a query's signal stopped it (`tandem_db_queries_cancelled_total`). */
export type CancelObserver = (stage: QueryCancelStage) => void;

/** Wraps a query function so each call reports its duration, success or not. */
export function observed(
  run: (
    name: string,
    sql: string,
    params: readonly unknown[] | undefined,
    options?: QueryOptions,
  ) => Promise<unknown[]>,
  observe: QueryObserver | undefined,
): Queryable['query'] {
  return async <Row>(name: string, sql: string, params?: readonly unknown[], options?: QueryOptions) => {
    const started = performance.now();
    try {
      return (await run(name, sql, params, options)) as Row[];
    } finally {
      observe?.(name, performance.now() - started, options);
    }
  };
}
