// The timeout lab on a real PostgreSQL server, as `pnpm lab timeout` measures it: the slow
// report's statement (LAB_SLOW_QUERY_MS) is cancelled on the server at the deadline when the
// lab is tuned, and keeps running after the client gave up when it is naive.
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorEnvelope, REQUEST_TIMEOUT_HEADER } from '@tandem/contract';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../test/api-server.js';
import { H2Client } from '../../test/clients.js';
import { createThrowawayPostgres, type ThrowawayPostgres } from '../../test/databases.js';

const SLOW_QUERY_MS = 3000;
const DEADLINE_MS = 300;
/** What the lab script looks for in pg_stat_activity (labs/src/timeout/measure.ts). */
const MARKER = 'pg_sleep($1::float8 / 1000)';

let server: ThrowawayPostgres;
let admin: pg.Client;
let databaseName: string;
let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  server = await createThrowawayPostgres();
  ({ admin, name: databaseName } = server);
  api = await startApi({
    role: 'admin',
    env: {
      DATABASE_URL: server.url,
      SEED_ORDERS: '20',
      LABS_ENABLED: 'true',
      LAB_SLOW_QUERY_MS: String(SLOW_QUERY_MS),
    },
  });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
  await server?.drop();
});

/** How many statements with the lab's marker the server runs now. */
async function running(): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = $1 AND state = 'active' AND query LIKE '%' || $2 || '%'`,
    [databaseName, MARKER],
  );
  return rows[0]?.n ?? 0;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
  return performance.now() - started;
}

const report = () =>
  client.request({ path: '/api/v1/reports/orders', headers: { [REQUEST_TIMEOUT_HEADER]: String(DEADLINE_MS) } });

describe('lab timeout on PostgreSQL', () => {
  it('tuned: 504 at the deadline, and the slow statement is cancelled on the server', async () => {
    expect(api.app.labs.mode('timeout')).toBe('tuned');
    const res = await report();
    expect(res.status, res.text).toBe(504);
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('DEADLINE_EXCEEDED');
    // Gone long before it would have ended by itself.
    expect(await until(async () => (await running()) === 0, SLOW_QUERY_MS / 2)).toBeLessThan(SLOW_QUERY_MS / 2);
  });

  it('naive: no 504; the statement runs on after the client gave up, to its end', async () => {
    api.app.labs.set('timeout', 'naive');
    try {
      const answer = report();
      await until(async () => (await running()) === 1, 5000);
      await sleep(DEADLINE_MS + 700);
      // The deadline the client sent has long passed; the server still works, for no one.
      expect(await running()).toBe(1);
      const res = await answer;
      expect(res.status, res.text).toBe(200);
      expect(await running()).toBe(0);
    } finally {
      api.app.labs.set('timeout', 'tuned');
    }
  });
});
