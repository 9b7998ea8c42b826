import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type H2loadRun,
  h2RequestOnce,
  type LoadShape,
  median,
  repoRoot,
  runH2load,
  shapeLabel,
} from '@tandem/local-stack';
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
import { BENCH_SEMI_SPACE_MB, describeYoungGeneration, youngGenerationFlags } from './young-generation.js';

/** The issue's reference shape first; then one stream per connection, over both protocols. */
const SHAPES: LoadShape[] = [
  { protocol: 'h2', connections: 50, streams: 10 },
  { protocol: 'h2', connections: 50, streams: 1 },
  { protocol: 'http/1.1', connections: 50, streams: 1 },
];
/**
 * Tandem against Fastify 5 with one route answering the same bytes, in the same run: what
 * the template's chain keeps of the framework's own speed, with the labs off (the product)
 * and on (the workshop's layer registered, every lab tuned).
 */
const FASTIFY_RATIO_TARGET = { labsOff: 0.7, labsOn: 0.6 };
/** The shapes the Fastify ratio is held to: many streams on HTTP/2, one per connection on HTTP/1.1. */
const heldToRatio = (shape: LoadShape) =>
  (shape.protocol === 'h2' && shape.streams > 1) || shape.protocol === 'http/1.1';
const P99_TARGET_MS = 50;

export interface Timing {
  rounds: number;
  /** Each measured run makes as many requests as the server answered in this long during its warm-up. */
  seconds: number;
  /** Requests of the unmeasured warm-up run each server gets first (JIT, connection pools, caches). */
  warmUpRequests: number;
  /** The unmeasured load a server gets right before each of its measured runs (interleave, chain-cost). */
  rewarmSeconds: number;
  /** The fewest requests a run makes on each stream of its shape, however slow the warm-up was. */
  requestsPerStream: number;
}

export const timingFor = (options: BenchOptions): Timing => {
  const timing = options.quick
    ? // Enough to show the benchmark works end to end; its figures mean nothing.
      { rounds: 1, seconds: 0.5, warmUpRequests: 300, rewarmSeconds: 0.25, requestsPerStream: 1 }
    : { rounds: 3, seconds: 5, warmUpRequests: 10_000, rewarmSeconds: 1, requestsPerStream: 4 };
  return { ...timing, rounds: options.rounds ?? timing.rounds, seconds: options.seconds ?? timing.seconds };
};

/** A run's request count: `seconds` at the server's warm-up rate, and at least `requestsPerStream` per stream. */
export const requestsFor = (
  rate: number,
  { seconds, requestsPerStream }: Pick<Timing, 'seconds' | 'requestsPerStream'>,
  shape: LoadShape,
) => Math.max(Math.round(rate * seconds), shape.connections * shape.streams * requestsPerStream);

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
export const latency = (run: { p50Ms: number; p99Ms: number }) => `${ms(run.p50Ms)} / ${ms(run.p99Ms)} ms`;

/**
 * A shape's runs against several servers, interleaved with the order rotated each round
 * (A B C, B C A, C A B …; for two, A B, B A) so drift hits all alike.
 */
export async function interleave(options: {
  servers: BenchServer[];
  shape: LoadShape;
  timing: Timing;
  /** Each server's warm-up rate (req/s), which sizes its runs. */
  rates: Map<string, number>;
  workDir: string;
  log: BenchLog;
  url: (server: BenchServer) => string;
  /** Starts something to run during a server's run; the returned function waits for its end. */
  alongside?: (server: BenchServer, runs: Map<string, MeasuredRun[]>) => Promise<() => Promise<void>>;
  /**
   * Unmeasured load (seconds) on a server right before each of its measured runs: a
   * server left idle while the others ran comes back dearer for a while.
   */
  rewarmSeconds?: number;
}): Promise<Map<string, MeasuredRun[]>> {
  const { servers, shape, timing, log } = options;
  const runs = new Map<string, MeasuredRun[]>(servers.map((server) => [server.name, []]));
  const nameWidth = Math.max(...servers.map((server) => server.name.length));
  for (let round = 0; round < timing.rounds; round++) {
    const shift = round % servers.length;
    const order = [...servers.slice(shift), ...servers.slice(0, shift)];
    for (const server of order) {
      if (options.rewarmSeconds) {
        await measureRun({ ...options, server, timing: { ...timing, seconds: options.rewarmSeconds } });
      }
      const finish = options.alongside ? await options.alongside(server, runs) : undefined;
      const run = await measureRun({ ...options, server });
      await finish?.();
      runs.get(server.name)?.push(run);
      log(
        `  ${shapeLabel(shape)} round ${round + 1}/${timing.rounds} ${server.name.padEnd(nameWidth)} ${Math.round(run.requestsPerSecond)} req/s, p50/p99 ${latency(run)}, ${Math.round(cpuUsPerRequest(run))} µs CPU/req, ${scavengesPerThousand(run).toFixed(1)} scavenges/1,000 req${run.notOk ? `, ${run.notOk} not 2xx` : ''}`,
      );
    }
  }
  return runs;
}

/** One measured run against one server: `timing.seconds` at its warm-up rate, with the CPU it spent meanwhile. */
export async function measureRun(options: {
  server: BenchServer;
  shape: LoadShape;
  timing: Timing;
  rates: Map<string, number>;
  workDir: string;
  url: (server: BenchServer) => string;
}): Promise<MeasuredRun> {
  const { server, shape, timing } = options;
  const cpuBefore = server.cpuMs();
  const collectionsBefore = server.collections();
  const load = await runH2load({
    url: options.url(server),
    shape,
    requests: requestsFor(options.rates.get(server.name) ?? 0, timing, shape),
    expectedSeconds: timing.seconds,
    logFile: join(options.workDir, 'h2load.log'),
    headers: { ...BENCH_HEADERS },
    ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}),
  });
  const serverCpuMs = server.cpuMs() - cpuBefore;
  const collections = server.collections();
  return {
    ...load,
    serverCpuMs,
    scavenges: collections.scavenges - collectionsBefore.scavenges,
    markCompacts: collections.markCompacts - collectionsBefore.markCompacts,
  };
}

/** Per-round ratios B ÷ A (the rounds are paired in time), summarised by their median. */
export const medianRatio = (a: H2loadRun[], b: H2loadRun[]) =>
  median(b.map((run, index) => run.requestsPerSecond / (a[index]?.requestsPerSecond ?? Number.NaN)));

/**
 * An h2load run, the CPU the server spent during it (its process group's, from /proc) and
 * the garbage collections it made meanwhile (its `--trace-gc` log).
 */
export type MeasuredRun = H2loadRun & { serverCpuMs: number; scavenges: number; markCompacts: number };

/** The server's CPU per answered request of a run, in µs: what the chain costs, whatever the load generator does. */
export const cpuUsPerRequest = (run: MeasuredRun) => (run.serverCpuMs * 1000) / Math.max(1, run.status2xx + run.notOk);

/** The server's young-generation collections per 1,000 answered requests of a run. */
export const scavengesPerThousand = (run: MeasuredRun) =>
  (run.scavenges * 1000) / Math.max(1, run.status2xx + run.notOk);

export const summarise = (runs: MeasuredRun[]) => ({
  requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
  cpuUsPerRequest: median(runs.map(cpuUsPerRequest)),
  scavengesPerThousand: median(runs.map(scavengesPerThousand)),
  p50Ms: median(runs.map((run) => run.p50Ms)),
  p99Ms: median(runs.map((run) => run.p99Ms)),
  non2xx: runs.reduce((sum, run) => sum + run.notOk, 0),
  requests: runs.reduce((sum, run) => sum + run.status2xx + run.notOk, 0),
});

/** An unmeasured run per server, so all are past JIT warm-up; returns each one's req/s, which sizes its runs. */
export async function warmUp(
  servers: BenchServer[],
  url: (server: BenchServer) => string,
  timing: Timing,
  workDir: string,
  log: BenchLog,
): Promise<Map<string, number>> {
  const rates = new Map<string, number>();
  for (const server of servers) {
    const run = await runH2load({
      url: url(server),
      shape: { protocol: 'h2', connections: 10, streams: 10 },
      requests: timing.warmUpRequests,
      expectedSeconds: timing.seconds,
      logFile: join(workDir, 'h2load.log'),
      headers: { ...BENCH_HEADERS },
      ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}),
    });
    rates.set(server.name, run.requestsPerSecond);
    log(`  warm-up ${server.name}: ${timing.warmUpRequests} requests, ${Math.round(run.requestsPerSecond)} req/s`);
  }
  return rates;
}

/** One server's figures at one shape: medians over rounds, and its runs. */
type ServerFigures = ReturnType<typeof summarise> & {
  name: string;
  label: string;
  /** Median per-round req/s ratio to the bare server, and to Fastify with one route. */
  ratio: number;
  fastifyRatio: number;
  runs: MeasuredRun[];
};

/**
 * Tandem's response headers a reference server replays: all but the pseudo-headers, `date`
 * (node adds its own) and the two every server sends anyway (content type and length).
 */
export function replayableHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string> {
  const replayed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || ['date', 'content-length', 'content-type'].includes(name) || value === undefined) {
      continue;
    }
    replayed[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return replayed;
}

export async function benchOrdersList(log: BenchLog, options: BenchOptions): Promise<BenchReport> {
  const timing = timingFor(options);
  const semiSpaceMb = options.semiSpaceMb ?? BENCH_SEMI_SPACE_MB;
  // One young generation for every server compared, so none's history (idle gaps, its place in a round) decides its figures.
  const nodeFlags = youngGenerationFlags(semiSpaceMb);
  const workDir = join(repoRoot, '.data', 'bench', 'orders-list');
  mkdirSync(workDir, { recursive: true });
  await ensureDevCertificate(workDir);
  log(
    `starting Tandem's API with a fixed 20-order page${PIN ? ` on CPU ${SERVER_CPU} (h2load on CPU ${LOAD_CPU})` : ''}`,
  );
  const servers: BenchServer[] = [];
  try {
    const tandem = await startFixedPageApi({ name: 'tandem', workDir, nodeFlags });
    servers.push(tandem);
    const tandemWithLabs = await startFixedPageApi({
      name: 'tandem+labs',
      workDir,
      env: { LABS_ENABLED: 'true' },
      nodeFlags,
    });
    servers.push(tandemWithLabs);
    const captured = await h2RequestOnce(tandem.origin, { path: ORDERS_LIST_PATH, headers: { ...BENCH_HEADERS } });
    const contentType = String(captured.headers['content-type'] ?? '');
    if (captured.status !== 200 || !contentType.startsWith('application/json')) {
      throw new Error(`${ORDERS_LIST_PATH} answered ${captured.status} ${contentType}: ${captured.body.toString()}`);
    }
    const headers = replayableHeaders(captured.headers);
    const headerCount = Object.keys(headers).length;
    log(
      `captured the route's answer: ${captured.body.length} bytes of ${contentType} and ${headerCount} more headers; starting the reference servers`,
    );
    const page = { workDir, body: captured.body, contentType, nodeFlags };
    const bare = await startBareServer(page);
    servers.push(bare);
    const fastify = await startPlainFastifyServer(page);
    servers.push(fastify);
    const bareWithHeaders = await startBareServer({ ...page, name: 'bare+headers', headers });
    servers.push(bareWithHeaders);

    // In table order. The headers-only reference runs at the first shape only (run time).
    const lineup = [
      { server: bare, label: 'bare node:http2', reference: false },
      { server: bareWithHeaders, label: `bare node:http2 + Tandem's ${headerCount} response headers`, reference: true },
      { server: fastify, label: 'Fastify 5, one route, no plugins', reference: false },
      { server: tandem, label: 'Tandem, labs off (the product)', reference: false },
      { server: tandemWithLabs, label: 'Tandem, labs on (LABS_ENABLED=true, all tuned)', reference: false },
    ];
    const url = (server: BenchServer) => `${server.origin}${ORDERS_LIST_PATH}`;
    log('warm-up');
    const rates = await warmUp(servers, url, timing, workDir, log);

    const results: { shape: LoadShape; servers: ServerFigures[] }[] = [];
    for (const [index, shape] of SHAPES.entries()) {
      const measured = lineup.filter((entry) => index === 0 || !entry.reference);
      const runs = await interleave({
        servers: measured.map((entry) => entry.server),
        shape,
        timing,
        rates,
        workDir,
        log,
        url,
        rewarmSeconds: timing.rewarmSeconds,
      });
      const bareRuns = runs.get(bare.name) ?? [];
      const fastifyRuns = runs.get(fastify.name) ?? [];
      results.push({
        shape,
        servers: measured.map(({ server, label }) => {
          const serverRuns = runs.get(server.name) ?? [];
          return {
            name: server.name,
            label,
            ratio: medianRatio(bareRuns, serverRuns),
            fastifyRatio: medianRatio(fastifyRuns, serverRuns),
            ...summarise(serverRuns),
            runs: serverRuns,
          };
        }),
      });
    }

    const ratioTargetOf = (name: string) =>
      name === tandem.name
        ? FASTIFY_RATIO_TARGET.labsOff
        : name === tandemWithLabs.name
          ? FASTIFY_RATIO_TARGET.labsOn
          : undefined;
    const target = (server: ServerFigures, shape: LoadShape) => {
      const ratio = ratioTargetOf(server.name);
      if (ratio === undefined) return 'reference';
      const targets = [
        ...(heldToRatio(shape) ? [`≥ ${ratio}× Fastify`] : []),
        ...(shape.streams === 1 ? [`p99 < ${P99_TARGET_MS} ms`] : []),
      ];
      return targets.join(', ') || '—';
    };
    const serverAt = (result: (typeof results)[number], name: string) => {
      const found = result.servers.find((server) => server.name === name);
      if (!found) throw new Error(`no ${name} runs at ${shapeLabel(result.shape)}`);
      return found;
    };
    const [reference] = results;
    if (!reference) throw new Error('no results');
    const non2xx = results.reduce(
      (sum, result) => sum + result.servers.reduce((inner, server) => inner + server.non2xx, 0),
      0,
    );
    return {
      name: 'orders-list',
      method:
        `Tandem's GET ${ORDERS_LIST_PATH} through its whole chain (every hook the app registers — CORS, request id, rate limiter with limits set out of reach, metrics, Server-Timing — the envelope and the serializer compiled from the contract, which fills the first-page cache that answers the repeats) with the orders repository replaced by a fixed 20-order page (${captured.body.length} bytes), against a bare \`node:http2\` server answering the same bytes with the same content type; all TLS on loopback` +
        `${PIN ? `, servers on CPU ${SERVER_CPU}, h2load on CPU ${LOAD_CPU}` : ''}. ` +
        `Tandem runs twice: labs off (the product) and labs on (LABS_ENABLED=true: the workshop's lab layer registered, every lab tuned). Fastify 5 with one route answering the same bytes (no plugins, no schema, logger at warn: the framework's own cost) runs at every shape and is the ratio targets' reference; at ${shapeLabel(reference.shape)} the bare server also runs sending the ${headerCount} response headers Tandem's route sent (${Object.keys(headers).join(', ')}; captured once, replayed as they were: the headers' own cost). ` +
        `${describeYoungGeneration(semiSpaceMb)}; each also runs with \`--trace-gc\`, which counts its young-generation collections (scavenges) per 1,000 requests. ` +
        `h2load (nghttp2) measures: req/s from its summary, p50/p99 from its per-request log; the server's CPU per request is its process group's user + system time (/proc) over the run ÷ the requests answered. ` +
        `${timing.rounds} interleaved round(s) per shape, the servers' order rotated each round, each run a fixed number of requests lasting ~${timing.seconds} s (sized from the server's rate in a ${timing.warmUpRequests}-request warm-up run) right after ~${timing.rewarmSeconds} s of unmeasured load on the same server (one left idle during the others' runs comes back dearer); figures are medians over rounds, each ratio (÷ Fastify, ÷ bare) the median of the per-round ratios to that server.`,
      table: {
        columns: [
          'load (h2load)',
          'server',
          'req/s',
          'server CPU µs/req',
          '÷ Fastify',
          '÷ bare',
          'p50 / p99',
          'scavenges / 1,000 req',
          'target',
        ],
        rows: results.flatMap((result) =>
          result.servers.map((server) => [
            shapeLabel(result.shape),
            server.label,
            Math.round(server.requestsPerSecond),
            Math.round(server.cpuUsPerRequest),
            `${server.fastifyRatio.toFixed(2)}×`,
            `${server.ratio.toFixed(2)}×`,
            latency(server),
            server.scavengesPerThousand.toFixed(1),
            target(server, result.shape),
          ]),
        ),
      },
      verdicts: [
        ...results
          .filter((result) => heldToRatio(result.shape))
          .flatMap((result) =>
            [
              { server: tandem, name: 'Tandem (labs off)' },
              { server: tandemWithLabs, name: 'Tandem (labs on)' },
            ].map(({ server, name }) => {
              const minimum = ratioTargetOf(server.name) ?? 1;
              return {
                target: `${name} ≥ ${minimum}× Fastify 5 (one route) at ${shapeLabel(result.shape)}`,
                met: serverAt(result, server.name).fastifyRatio >= minimum,
              };
            }),
          ),
        ...results
          .filter((result) => result.shape.streams === 1)
          .map((result) => ({
            target: `Tandem (labs off) p99 < ${P99_TARGET_MS} ms at ${shapeLabel(result.shape)}`,
            met: serverAt(result, tandem.name).p99Ms < P99_TARGET_MS,
          })),
        { target: 'every answer 2xx (no refusals, no errors)', met: non2xx === 0 },
      ],
      raw: {
        bodyBytes: captured.body.length,
        contentType,
        replayedHeaders: headers,
        timing,
        semiSpaceMb,
        nodeFlags,
        results,
      },
    };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
