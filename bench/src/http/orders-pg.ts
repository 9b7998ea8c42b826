import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateOrderBody, OrderPageEnvelope } from '@tandem/contract';
import {
  h2RequestOnce,
  type LoadShape,
  type RunningApi,
  type RunningPostgres,
  repoRoot,
  runH2load,
  shapeLabel,
  startApi,
  startPostgres,
} from '@tandem/local-stack';
import type { BenchLog, BenchOptions } from '../bench-options.js';
import type { BenchReport } from '../bench-report.js';
import { BENCH_API_ENV, LOAD_CPU, ORDERS_LIST_PATH, PIN, SERVER_CPU, SPA_ORIGIN } from './bench-servers.js';
import { latency, requestsFor } from './orders-list.js';
import { ServerTimingSampler } from './server-timing-sampler.js';

const SHAPE: LoadShape = { protocol: 'h2', connections: 50, streams: 1 };
const SEED_ORDERS = 10_000;
/** get-by-id cycles through this many ids of the seeded orders (h2load takes them round robin). */
const GET_IDS = 100;
const SAMPLE_INTERVAL_MS = 20;

/** A body the contract accepts: parsed with CreateOrderBody before it is sent. */
const createBody = () =>
  JSON.stringify(
    CreateOrderBody.parse({
      customer: 'Bench Customer',
      items: [
        { sku: 'TEA-OOLONG-250', qty: 2, price: 12.5 },
        { sku: 'CUP-PORCELAIN', qty: 1, price: 8.9 },
      ],
    }),
  );

/** Sent with every list request: the page cache would otherwise answer it without a query. */
const LIST_READS_DATABASE = { 'cache-control': 'no-cache' };

export async function benchOrdersPg(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const timing = options.quick
    ? { seconds: 0.5, warmUpRequests: 200, requestsPerStream: 1 }
    : { seconds: 8, warmUpRequests: 2_000, requestsPerStream: 4 };
  const workDir = join(repoRoot, '.data', 'bench', 'orders-pg');
  mkdirSync(workDir, { recursive: true });
  let postgres: RunningPostgres | undefined;
  let api: RunningApi | undefined;
  try {
    log(`starting a throwaway PostgreSQL and the API${PIN ? ` on CPU ${SERVER_CPU} (h2load on CPU ${LOAD_CPU})` : ''}`);
    postgres = await startPostgres(SERVER_CPU ? { cpuList: SERVER_CPU } : {});
    const databaseUrl = postgres.createDatabase('tandem_bench');
    api = await startApi({
      workDir,
      ...(SERVER_CPU ? { cpuList: SERVER_CPU } : {}),
      corsOrigins: [SPA_ORIGIN],
      env: { ...BENCH_API_ENV, DATABASE_URL: databaseUrl, SEED_ORDERS: String(SEED_ORDERS) },
    });
    const origin = api.origin;
    log(`API on ${origin} with ${SEED_ORDERS} seeded orders in PostgreSQL`);

    // Every request is the demo user's (it owns the seeded orders), as a signed-in SPA's are.
    const signedIn = { origin: SPA_ORIGIN, cookie: api.sessions.user };
    const first = await h2RequestOnce(origin, { path: `/api/v1/orders?limit=${GET_IDS}`, headers: signedIn });
    const ids = OrderPageEnvelope.parse(JSON.parse(first.body.toString())).data.items.map((order) => order.id);
    const bodyFile = join(workDir, 'create-body.json');
    writeFileSync(bodyFile, createBody());

    const paths = [
      {
        name: 'list',
        method: 'GET',
        urls: [`${origin}${ORDERS_LIST_PATH}`],
        // The first page is what the orders page cache keeps: no-cache makes every list read the database.
        headers: LIST_READS_DATABASE,
        sample: () => ({ path: ORDERS_LIST_PATH, headers: LIST_READS_DATABASE }),
      },
      {
        name: 'get-by-id',
        method: 'GET',
        urls: ids.map((id) => `${origin}/api/v1/orders/${id}`),
        headers: {},
        sample: () => ({ path: `/api/v1/orders/${ids[Math.floor(Math.random() * ids.length)]}` }),
      },
      {
        name: 'create',
        method: 'POST',
        urls: [`${origin}/api/v1/orders`],
        headers: { 'content-type': 'application/json' },
        sample: () => ({
          method: 'POST',
          path: '/api/v1/orders',
          headers: { 'content-type': 'application/json' },
          body: createBody(),
        }),
      },
    ] as const;

    const results = [];
    for (const path of paths) {
      const post = path.method === 'POST';
      const load = {
        url: [...path.urls],
        shape: SHAPE,
        logFile: join(workDir, 'h2load.log'),
        headers: { ...signedIn, ...path.headers },
        ...(post ? { bodyFile } : {}),
        ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}),
      };
      const warm = await runH2load({ ...load, requests: timing.warmUpRequests, expectedSeconds: timing.seconds });
      log(`${path.name}: warm-up ${timing.warmUpRequests} requests, ${Math.round(warm.requestsPerSecond)} req/s`);
      const sampler = await ServerTimingSampler.start(
        origin,
        () => {
          const request: { path: string; method?: string; headers?: Record<string, string>; body?: string } =
            path.sample();
          return { ...request, headers: { ...signedIn, ...request.headers } };
        },
        SAMPLE_INTERVAL_MS,
      );
      const run = await runH2load({
        ...load,
        requests: requestsFor(warm.requestsPerSecond, timing, SHAPE),
        expectedSeconds: timing.seconds,
      });
      const serverTiming = await sampler.stop();
      log(
        `  ${path.name}: ${Math.round(run.requestsPerSecond)} req/s, p50/p99 ${latency(run)}, database ${(serverTiming.dbShare * 100).toFixed(0)}% of app time (${serverTiming.samples} samples)`,
      );
      results.push({ path: path.name, method: path.method, run, serverTiming });
    }

    const non2xx = results.reduce((sum, result) => sum + result.run.notOk, 0);
    const sampled = results.every((result) => result.serverTiming.samples > 0);
    return {
      name: 'orders-pg',
      method:
        `Tandem's API end to end against a throwaway PostgreSQL ${'(fsync off)'} seeded with ${SEED_ORDERS} orders, pool of 10${PIN ? `; API and PostgreSQL on CPU ${SERVER_CPU}, h2load on CPU ${LOAD_CPU}` : ''}; TLS on loopback. ` +
        `h2load at ${shapeLabel(SHAPE)}, per path a ${timing.warmUpRequests}-request warm-up run, then a run of as many requests as that rate gives in ~${timing.seconds} s: req/s from its summary, p50/p99 from its per-request log. ` +
        `The list sends Cache-Control: no-cache, so it reads the database instead of the first-page cache; get-by-id cycles through ${GET_IDS} ids; create posts a valid 2-item CreateOrderBody. Database share = Σ db;dur ÷ Σ app;dur of the Server-Timing headers of a request every ${SAMPLE_INTERVAL_MS} ms on a separate connection during the run.`,
      table: {
        columns: ['path', 'req/s', 'p50 / p99', 'database share of app time', 'Server-Timing samples'],
        rows: results.map((result) => [
          `${result.method} ${result.path}`,
          Math.round(result.run.requestsPerSecond),
          latency(result.run),
          `${(result.serverTiming.dbShare * 100).toFixed(0)}% (${result.serverTiming.meanDbMs.toFixed(2)} of ${result.serverTiming.meanAppMs.toFixed(2)} ms)`,
          result.serverTiming.samples,
        ]),
      },
      verdicts: [
        { target: 'every answer 2xx (no refusals, no errors)', met: non2xx === 0 },
        { target: 'Server-Timing read on every path', met: sampled },
      ],
      raw: { timing, shape: SHAPE, seedOrders: SEED_ORDERS, results },
    };
  } finally {
    await api?.stop();
    postgres?.stop();
  }
}
