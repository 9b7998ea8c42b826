import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type H2Response, h2RequestOnce, type LoadShape, median, repoRoot, shapeLabel } from '@tandem/local-stack';
import type { BenchLog, BenchOptions } from '../bench-options.js';
import type { BenchReport } from '../bench-report.js';
import {
  BENCH_HEADERS,
  type BenchServer,
  ensureDevCertificate,
  LOAD_CPU,
  ORDERS_LIST_PATH,
  PIN,
  SERVER_CPU,
  startBareServer,
  startFixedPageApi,
  startPlainFastifyServer,
} from './bench-servers.js';
import type { SeamSwitch } from './chain-seams.js';
import {
  cpuUsPerRequest,
  latency,
  type MeasuredRun,
  measureRun,
  replayableHeaders,
  summarise,
  type Timing,
  timingFor,
  warmUp,
} from './orders-list.js';
import { BENCH_SEMI_SPACE_MB, describeYoungGeneration, youngGenerationFlags } from './young-generation.js';

/** The issue's shape: many streams on few connections, where the chain's own cost shows most. */
const SHAPE: LoadShape = { protocol: 'h2', connections: 50, streams: 10 };
/** The unmeasured load each server gets right before each measured run (measurePairs). */

/**
 * One part of Tandem's request chain, and the product option or run-time seam (apps/api
 * README, "Seams") that runs the same fixed-page API without it, or, for what the product
 * adds only on request (info logging, the labs), with it. No code is changed or left out.
 */
interface ChainPart {
  /** Its server's name (log lines, raw results). */
  id: string;
  part: string;
  /** How it is switched, as the table says it. */
  how: string;
  env?: Record<string, string>;
  off?: SeamSwitch[];
  /** `off`: the part's cost is the whole chain's CPU minus this server's; `on`: this server's minus the whole chain's. */
  switched: 'off' | 'on';
  /** Why the switch is not what it claims, read from a captured answer; undefined when it is. */
  check: (answer: H2Response, server: BenchServer, logFile: string) => Promise<string | undefined>;
}

/** Every load-shedding threshold off: no sampler, no check on any route (the benches' others are out of reach). */
const SHEDDING_OFF = {
  LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
  LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
};
/** What SECURITY_HEADERS=true adds to every answer (apps/api/src/plugins/external/helmet.ts). */
const SECURITY_HEADER_NAMES = [
  'strict-transport-security',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
];

/** A part's check: the switched server's answer carries none of `headers` (what it still sends, if any). */
const lacksAll =
  (...headers: string[]) =>
  async (answer: H2Response) => {
    const sent = headers.filter((header) => answer.headers[header] !== undefined);
    return sent.length === 0 ? undefined : `still sends ${sent.join(', ')}`;
  };

const CHAIN_PARTS: ChainPart[] = [
  {
    id: 'no-cors',
    part: 'CORS (actual request: allow-origin, credentials, expose-headers, vary, timing-allow-origin)',
    how: '`CORS_ORIGINS=none`',
    env: { CORS_ORIGINS: 'none' },
    switched: 'off',
    check: lacksAll('access-control-allow-origin', 'vary'),
  },
  {
    id: 'no-request-id-echo',
    part: 'request id echoed (`X-Request-ID`)',
    how: '`app.requestIdPolicy.set({ echo: false })`',
    off: ['request-id-echo'],
    switched: 'off',
    check: lacksAll('x-request-id'),
  },
  {
    id: 'no-rate-limit',
    part: 'rate limiter (charge, `RateLimit-*` headers)',
    how: '`app.rateLimitPolicy.set({ enforce: false })`',
    off: ['rate-limit'],
    switched: 'off',
    check: lacksAll('ratelimit-limit'),
  },
  {
    id: 'no-metrics',
    part: 'HTTP metrics (RED histogram, counters, in-flight gauge)',
    how: '`METRICS_ENABLED=false`',
    env: { METRICS_ENABLED: 'false' },
    switched: 'off',
    check: async (_answer, server) => {
      const scrape = await h2RequestOnce(server.origin, { path: '/metrics' });
      return scrape.status === 404 ? undefined : `/metrics answered ${scrape.status}`;
    },
  },
  {
    id: 'no-security-headers',
    part: "security headers (HSTS, CSP, nosniff, Referrer-Policy: helmet's, computed once at start)",
    how: '`SECURITY_HEADERS=false`',
    env: { SECURITY_HEADERS: 'false' },
    switched: 'off',
    check: lacksAll(...SECURITY_HEADER_NAMES),
  },
  {
    id: 'no-deadline',
    part: 'deadline enforced (timer entry, handler race)',
    how: '`app.deadlinePolicy.set({ enforce: false })`',
    off: ['deadline'],
    switched: 'off',
    // Invisible in a fast answer; the deadline tests prove the policy.
    check: async () => undefined,
  },
  {
    id: 'no-server-timing',
    part: 'Server-Timing (clock reads, header)',
    how: '`app.serverTimingPolicy.set({ send: false })`',
    off: ['server-timing'],
    switched: 'off',
    check: lacksAll('server-timing'),
  },
  {
    id: 'no-load-shedding',
    part: 'load shedding (a sampler every second, one flag read per /api/ request)',
    how: '`LOAD_SHEDDING_MAX_*=0` (all three)',
    env: SHEDDING_OFF,
    switched: 'off',
    // Invisible in an answer while the thresholds are out of reach; load-shedding.test.ts proves both sides.
    check: async () => undefined,
  },
  {
    id: 'no-page-cache',
    part: 'envelope + serializer on every request (what the first-page cache saves)',
    how: '`ORDERS_PAGE_CACHE_TTL_MS=0`',
    env: { ORDERS_PAGE_CACHE_TTL_MS: '0' },
    switched: 'on',
    check: async (answer) =>
      String(answer.headers['server-timing'] ?? '').includes('cache;desc=hit') ? 'answered from the cache' : undefined,
  },
  {
    id: 'info-logging',
    part: 'logging at `info`, the product default (two lines per request; the benches log at `warn`)',
    how: '`LOG_LEVEL=info`',
    env: { LOG_LEVEL: 'info' },
    switched: 'on',
    check: async (_answer, _server, logFile) =>
      readFileSync(logFile, 'utf8').includes('"msg":"request completed"') ? undefined : 'logged no completion line',
  },
  // #region labs
  {
    id: 'labs-on',
    part: "the workshop's lab layer (every lab tuned)",
    how: '`LABS_ENABLED=true`',
    env: { LABS_ENABLED: 'true' },
    switched: 'on',
    check: async (_answer, server) => {
      const labs = await h2RequestOnce(server.origin, { path: '/api/v1/labs' });
      return labs.status === 200 ? undefined : `/api/v1/labs answered ${labs.status}`;
    },
  },
  // #endregion labs
  {
    id: 'all-off',
    part: 'all eight parts above switched off together',
    how: 'all eight switches',
    env: { CORS_ORIGINS: 'none', METRICS_ENABLED: 'false', SECURITY_HEADERS: 'false', ...SHEDDING_OFF },
    off: ['request-id-echo', 'rate-limit', 'deadline', 'server-timing'],
    switched: 'off',
    check: async (answer) =>
      [
        'x-request-id',
        'ratelimit-limit',
        'server-timing',
        'access-control-allow-origin',
        ...SECURITY_HEADER_NAMES,
      ].some((header) => answer.headers[header] !== undefined)
        ? 'still sends a switched-off header'
        : undefined,
  },
];

const WHOLE = 'whole';
const cpu = (runs: MeasuredRun[] | undefined) => (runs ?? []).map(cpuUsPerRequest);
/** The median over rounds of each round's difference `a − b` (the rounds are paired in time). */
const medianDifference = (a: number[], b: number[]) =>
  median(a.map((value, index) => value - (b[index] ?? Number.NaN)));
const us = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

/**
 * Every server's runs, each right next to a run of the whole chain (before it in even
 * rounds, after it in odd ones; the others' order rotated each round): on a machine
 * shared with other work, a part's cost is then the difference of two runs seconds apart,
 * not minutes. The references (bare, bare + headers) are paired with each other the same way.
 */
async function measurePairs(options: {
  whole: BenchServer;
  servers: BenchServer[];
  timing: Timing;
  rates: Map<string, number>;
  workDir: string;
  log: BenchLog;
  url: (server: BenchServer) => string;
}): Promise<{ runs: Map<string, MeasuredRun[]>; wholeNextTo: Map<string, MeasuredRun[]> }> {
  const { whole, timing, log } = options;
  const others = options.servers.filter((server) => server !== whole);
  const runs = new Map<string, MeasuredRun[]>(options.servers.map((server) => [server.name, []]));
  const wholeNextTo = new Map<string, MeasuredRun[]>(others.map((server) => [server.name, []]));
  const nameWidth = Math.max(...options.servers.map((server) => server.name.length));
  // A server that sat idle while the others ran comes back dearer (without this, every
  // part came out with a negative cost: the whole chain runs every other time and is never
  // idle); an unmeasured second of load first puts every server back in its stride.
  const rewarm = (server: BenchServer) =>
    measureRun({ ...options, server, shape: SHAPE, timing: { ...timing, seconds: timing.rewarmSeconds } });
  const measure = async (server: BenchServer, round: number) => {
    await rewarm(server);
    const run = await measureRun({ ...options, server, shape: SHAPE });
    runs.get(server.name)?.push(run);
    log(
      `  ${shapeLabel(SHAPE)} round ${round + 1}/${timing.rounds} ${server.name.padEnd(nameWidth)} ${Math.round(run.requestsPerSecond)} req/s, p50/p99 ${latency(run)}, ${Math.round(cpuUsPerRequest(run))} µs CPU/req${run.notOk ? `, ${run.notOk} not 2xx` : ''}`,
    );
    return run;
  };
  for (let round = 0; round < timing.rounds; round++) {
    const shift = round % others.length;
    for (const other of [...others.slice(shift), ...others.slice(0, shift)]) {
      if (round % 2 === 1) await measure(other, round);
      wholeNextTo.get(other.name)?.push(await measure(whole, round));
      if (round % 2 === 0) await measure(other, round);
    }
  }
  return { runs, wholeNextTo };
}

/**
 * What each part of Tandem's chain costs a request: the fixed-page API (as in
 * orders-list) once whole and once per part without it, switched through the product's
 * own options and seams, at HTTP/2 50×10, each run paired with a run of the whole chain
 * (measurePairs); a part's cost is the whole chain's server CPU per request minus that
 * of the server without it (median over rounds of the paired differences). The response
 * headers' own cost is read from two references: a bare node:http2 server with and
 * without the headers Tandem sent.
 */
export async function benchChainCost(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const timing = timingFor(options);
  const semiSpaceMb = options.semiSpaceMb ?? BENCH_SEMI_SPACE_MB;
  // One young generation for every server priced, as in orders-list: no server's idle gaps decide its figures.
  const nodeFlags = youngGenerationFlags(semiSpaceMb);
  const workDir = join(repoRoot, '.data', 'bench', 'chain-cost');
  mkdirSync(workDir, { recursive: true });
  await ensureDevCertificate(workDir);
  log(
    `starting the fixed-page API whole and ${CHAIN_PARTS.length} times with one part switched${PIN ? `, on CPU ${SERVER_CPU} (h2load on CPU ${LOAD_CPU})` : ''}`,
  );
  // Each server process takes its group down on this process's exit: one listener each.
  process.setMaxListeners(Math.max(process.getMaxListeners(), CHAIN_PARTS.length + 14));
  const servers: BenchServer[] = [];
  const logFileOf = (name: string) => join(workDir, `${name}.log`);
  try {
    const whole = await startFixedPageApi({ name: WHOLE, workDir, nodeFlags });
    servers.push(whole);
    const captured = await h2RequestOnce(whole.origin, { path: ORDERS_LIST_PATH, headers: { ...BENCH_HEADERS } });
    const contentType = String(captured.headers['content-type'] ?? '');
    if (captured.status !== 200 || !contentType.startsWith('application/json')) {
      throw new Error(`${ORDERS_LIST_PATH} answered ${captured.status} ${contentType}: ${captured.body.toString()}`);
    }

    const problems: string[] = [];
    for (const part of CHAIN_PARTS) {
      const server = await startFixedPageApi({
        name: part.id,
        workDir,
        nodeFlags,
        ...(part.env ? { env: part.env } : {}),
        ...(part.off ? { off: part.off } : {}),
      });
      servers.push(server);
      // Twice: the second answer of a cached page is a hit, the one the load gets.
      await h2RequestOnce(server.origin, { path: ORDERS_LIST_PATH, headers: { ...BENCH_HEADERS } });
      const answer = await h2RequestOnce(server.origin, { path: ORDERS_LIST_PATH, headers: { ...BENCH_HEADERS } });
      // The same page, whatever is switched: the envelope's timestamp has a fixed length.
      const problem =
        answer.status !== 200 || answer.body.length !== captured.body.length
          ? `answered ${answer.status} with ${answer.body.length} bytes (whole: ${captured.body.length})`
          : await part.check(answer, server, logFileOf(part.id));
      if (problem) problems.push(`${part.id}: ${problem}`);
      log(`  ${part.id}: ${part.how}${problem ? ` — NOT AS CLAIMED: ${problem}` : ''}`);
    }

    const headers = replayableHeaders(captured.headers);
    const headerCount = Object.keys(headers).length;
    const page = { workDir, body: captured.body, contentType, nodeFlags };
    const fastify = await startPlainFastifyServer(page);
    servers.push(fastify);
    const bare = await startBareServer(page);
    servers.push(bare);
    const bareWithHeaders = await startBareServer({ ...page, name: 'bare+headers', headers });
    servers.push(bareWithHeaders);

    const url = (server: BenchServer) => `${server.origin}${ORDERS_LIST_PATH}`;
    log('warm-up');
    const rates = await warmUp(servers, url, timing, workDir, log);
    const { runs, wholeNextTo } = await measurePairs({ whole, servers, timing, rates, workDir, log, url });

    const figures = (name: string) => summarise(runs.get(name) ?? []);
    const row = (part: string, how: string, name: string, cost: string) => {
      const { cpuUsPerRequest, requestsPerSecond } = figures(name);
      return [part, how, us(cpuUsPerRequest), cost, Math.round(requestsPerSecond)];
    };
    const partRows = CHAIN_PARTS.map((part) => {
      const own = cpu(runs.get(part.id));
      const wholeCpu = cpu(wholeNextTo.get(part.id));
      const cost = part.switched === 'off' ? medianDifference(wholeCpu, own) : medianDifference(own, wholeCpu);
      return row(part.part, part.how, part.id, us(cost));
    });
    // Each reference against the whole chain next to it, so the two references' drift cancels too.
    const againstWhole = (name: string) => {
      const wholeCpu = cpu(wholeNextTo.get(name));
      return cpu(runs.get(name)).map((value, index) => value - (wholeCpu[index] ?? Number.NaN));
    };
    const headersCost = medianDifference(againstWhole(bareWithHeaders.name), againstWhole(bare.name));
    const non2xx = [...runs.values()].flat().reduce((sum, run) => sum + run.notOk, 0);

    return {
      name: 'chain-cost',
      method:
        `What each part of Tandem's chain costs one GET ${ORDERS_LIST_PATH} (the fixed-page API of orders-list: the real app, its orders repository answering a fixed 20-order page, the first page answered from its cache), as server CPU per request: the API once whole (labs off, logging at warn, limits out of reach) and once per part, started with that part switched through the product's own option or run-time seam (the second column; apps/api/README.md "Seams"), every switch checked on a captured answer. ` +
        `Every run of a switched server is paired with a run of the whole chain right before or after it (before in even rounds, after in odd ones), and a part's cost is the whole chain's CPU per request minus that of the server without it, or, for what is switched on instead (logging at info, the serializer with the page cache off), that server's minus the whole chain's: the median over rounds of the paired differences. ` +
        `The response headers' own cost is the difference between a bare node:http2 server answering the same bytes with and without the ${headerCount} headers Tandem sent (${Object.keys(headers).join(', ')}; replayed as captured), each against its paired run of the whole chain. Fastify 5 with one route answering the same bytes is the framework's floor. ` +
        `h2load at ${shapeLabel(SHAPE)}, TLS on loopback${PIN ? `, servers on CPU ${SERVER_CPU}, h2load on CPU ${LOAD_CPU}` : ''}; the server's CPU is its process group's user + system time (/proc) over a run ÷ the requests answered. ` +
        `${describeYoungGeneration(semiSpaceMb)}. ` +
        `${timing.rounds} round(s), the servers' order rotated each round, each run a fixed number of requests lasting ~${timing.seconds} s (sized from a ${timing.warmUpRequests}-request warm-up run) right after ~${timing.rewarmSeconds} s of unmeasured load on the same server (one left idle while the others ran comes back dearer); each server's CPU and req/s are medians over its runs. Costs of a few µs are within the run-to-run noise of a shared machine: read them together with the whole chain's figure, and repeat a run before trusting one.`,
      table: {
        columns: ['part', 'switched with', 'server CPU µs/req', 'cost µs/req', 'req/s'],
        rows: [
          row("Tandem's whole chain (the product, labs off)", '—', WHOLE, '—'),
          ...partRows,
          row(
            `response headers (Tandem's ${headerCount}, on a bare node:http2 server)`,
            'bare server with − without them',
            bareWithHeaders.name,
            us(headersCost),
          ),
          row('bare node:http2, the same bytes', 'reference', bare.name, '—'),
          row('Fastify 5, one route, the same bytes', 'reference', fastify.name, '—'),
        ],
      },
      verdicts: [
        { target: 'every switch does what it claims (checked on a captured answer)', met: problems.length === 0 },
        { target: 'every answer 2xx (no refusals, no errors)', met: non2xx === 0 },
      ],
      raw: {
        bodyBytes: captured.body.length,
        replayedHeaders: headers,
        timing,
        semiSpaceMb,
        nodeFlags,
        shape: SHAPE,
        parts: CHAIN_PARTS.map(({ id, part, how, env, off, switched }) => ({ id, part, how, env, off, switched })),
        problems,
        runs: Object.fromEntries(runs),
      },
    };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
