// Deadlines reach the database: on a real PostgreSQL server an aborted signal cancels the
// running statement on the server (it leaves pg_stat_activity), a statement_timeout
// backs it up, and the pooled connection stays usable. PGlite refuses queries after the
// abort but cannot stop one that runs (documented in pglite-database.ts).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorEnvelope, REQUEST_TIMEOUT_HEADER } from '@tandem/contract';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../test/api-server.js';
import { H2Client } from '../../test/clients.js';
import {
  createThrowawayPostgres,
  openTestDatabase,
  type TestDatabase,
  type ThrowawayPostgres,
} from '../../test/databases.js';
import type { Database } from './database.js';
import { openPostgresDatabase } from './postgres-database.js';
import { QueryAbortedError } from './query-aborted-error.js';

/** Generous: the behaviour is asserted, never how fast it happened. */
const SETTLE_MS = 10_000;

/** An advisory lock `holder` keeps for the whole file: a statement that asks for it waits, idle on CPU, until stopped. */
const LOCK_KEY = 7357;

let server: ThrowawayPostgres;
let admin: pg.Client;
let holder: pg.Client;
let databaseUrl: string;

beforeAll(async () => {
  server = await createThrowawayPostgres();
  ({ admin, url: databaseUrl } = server);
  // Advisory locks belong to a database: held on a connection to the tests' one.
  holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
});

afterAll(async () => {
  await holder?.end();
  await server?.drop();
});

/** Statements whose text carries `marker` that the server is running now (seen from another connection). */
async function activeWith(marker: string): Promise<{ pid: number }[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
     WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`,
    [marker],
  );
  return rows;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = SETTLE_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** A statement that waits for the held lock, as long as the file runs, unless something stops it. */
const slowStatement = (marker: string) => `SELECT pg_advisory_xact_lock(${LOCK_KEY}) /* ${marker} */`;

describe('query cancellation on PostgreSQL', () => {
  let db: Database;

  beforeAll(async () => {
    // One connection: what the cancelled query ran on is what the next query gets.
    db = await openPostgresDatabase({ url: databaseUrl, poolMax: 1 });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('cancels the running statement on the server when the signal aborts', async () => {
    const marker = `cancel-${randomUUID()}`;
    const controller = new AbortController();
    const query = db.query('test.sleep', slowStatement(marker), [], { signal: controller.signal });
    query.catch(() => {});
    await eventually(async () => (await activeWith(marker)).length === 1);
    const [{ pid: runningPid } = { pid: 0 }] = await activeWith(marker);

    controller.abort(new DOMException('deadline', 'TimeoutError'));

    const error = await query.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect((error as QueryAbortedError).stage).toBe('running');
    // Gone from the server, not merely abandoned by the client.
    await eventually(async () => (await activeWith(marker)).length === 0);

    // The same pooled connection answers the next query, with no statement timeout left over.
    const [after] = await db.query<{ pid: number; timeout: string }>(
      'test.after',
      "SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS timeout",
    );
    expect(after).toEqual({ pid: runningPid, timeout: '0' });
  });

  it('stops the statement at the remaining time even without an abort (statement_timeout backstop)', async () => {
    const marker = `backstop-${randomUUID()}`;
    const never = new AbortController();
    const error = await db
      .query('test.sleep', slowStatement(marker), [], { signal: never.signal, remainingMs: 200 })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect(((error as QueryAbortedError).cause as { code?: string }).code).toBe('57014');
    // The error can reach the client a moment before the backend reports itself idle.
    await eventually(async () => (await activeWith(marker)).length === 0);
    // A query without a deadline afterwards runs with the server's own setting again.
    const [setting] = await db.query<{ timeout: string }>(
      'test.setting',
      "SELECT current_setting('statement_timeout') AS timeout",
    );
    expect(setting?.timeout).toBe('0');
  });

  it('refuses a query whose signal has already aborted, without sending it', async () => {
    const marker = `refused-${randomUUID()}`;
    const controller = new AbortController();
    controller.abort(new DOMException('gone', 'AbortError'));
    const error = await db.query('test.sleep', slowStatement(marker), [], { signal: controller.signal }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect((error as QueryAbortedError).stage).toBe('not_started');
    // Sent, it would wait for the lock in plain sight.
    expect(await activeWith(marker)).toEqual([]);
  });

  it('cancels a statement inside a transaction and rolls it back', async () => {
    const marker = `tx-${randomUUID()}`;
    const controller = new AbortController();
    const work = db.transaction(async (tx) => {
      await tx.query('test.first', 'SELECT 1');
      await tx.query('test.sleep', slowStatement(marker), [], { signal: controller.signal });
    });
    work.catch(() => {});
    await eventually(async () => (await activeWith(marker)).length === 1);
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(work).rejects.toBeInstanceOf(QueryAbortedError);
    await eventually(async () => (await activeWith(marker)).length === 0);
    const [row] = await db.query<{ one: number }>('test.after', 'SELECT 1 AS one');
    expect(row?.one).toBe(1);
  });
});

describe('a request deadline on PostgreSQL, end to end', () => {
  let api: StartedApi;
  let client: H2Client;

  beforeAll(async () => {
    api = await startApi({
      env: { DATABASE_URL: databaseUrl },
      // A test route whose statement outlives any deadline, run with the request's deadline like a repository's.
      beforeListen: (app) => {
        app.get('/api/test/slow', async (request) => {
          await app.db.query('test.slow', slowStatement('end-to-end'), [], request.deadline);
          return { finished: true };
        });
      },
    });
    client = new H2Client(api.origin, api.signedIn);
  });

  afterAll(async () => {
    await client?.close();
    await api?.close();
  });

  it('answers 504 at the deadline and the statement leaves pg_stat_activity', async () => {
    const res = await client.request({ path: '/api/test/slow', headers: { [REQUEST_TIMEOUT_HEADER]: '300' } });
    expect(res.status, res.text).toBe(504);
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('DEADLINE_EXCEEDED');
    await eventually(async () => (await activeWith('end-to-end')).length === 0);

    const metric = await api.app.metrics.dbQueriesCancelled.get();
    const running = metric.values.find((value) => value.labels.db === 'postgres' && value.labels.stage === 'running');
    expect(running?.value).toBe(1);
    // The pool serves the next request.
    const next = await client.request({ path: '/api/v1/orders?limit=1' });
    expect(next.status, next.text).toBe(200);
  });
});

describe('query cancellation on PGlite', () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase('pglite');
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('refuses a query whose signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const error = await test.db.query('test.one', 'SELECT 1', [], { signal: controller.signal }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect((error as QueryAbortedError).stage).toBe('not_started');
  });

  it('cannot stop a statement once it runs (the documented limit): it finishes', async () => {
    const controller = new AbortController();
    const query = test.db.query<{ n: number }>(
      'test.count',
      'SELECT count(*)::int AS n FROM generate_series(1, 200000)',
      [],
      {
        signal: controller.signal,
      },
    );
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    expect(await query).toEqual([{ n: 200000 }]);
  });
});
