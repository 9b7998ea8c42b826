import { performance } from 'node:perf_hooks';

/** What queries and migrations need from a database, whichever engine is behind it. */
export interface Queryable {
  /**
   * Runs one parameterised statement and returns its rows. `name` is a short, stable
   * label (`orders.list`) for timings and, later, metrics; never built from input.
   */
  query<Row>(name: string, sql: string, params?: readonly unknown[]): Promise<Row[]>;
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

/** Called after every query with its name and duration; used for Server-Timing and the query histogram. */
export type QueryObserver = (name: string, durationMs: number) => void;

/** Wraps a query function so each call reports its duration, success or not. */
export function observed(
  run: (sql: string, params: readonly unknown[] | undefined) => Promise<unknown[]>,
  observe: QueryObserver | undefined,
): Queryable['query'] {
  return async <Row>(name: string, sql: string, params?: readonly unknown[]) => {
    const started = performance.now();
    try {
      return (await run(sql, params)) as Row[];
    } finally {
      observe?.(name, performance.now() - started);
    }
  };
}
