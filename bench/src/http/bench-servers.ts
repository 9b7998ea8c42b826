import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  apiDir,
  devCertCli,
  freePorts,
  processGroupCpuMs,
  repoRoot,
  ServerProcess,
  typescriptNodeArgs,
} from '@tandem/local-stack';
import type { SeamSwitch } from './chain-seams.js';
import { BENCH_SESSION_COOKIE } from './fixed-session-repository.js';
import { type CollectionCounts, countCollections, GC_TRACE_FLAG } from './gc-trace.js';

/** With two or more cores, servers get CPU 0 and the load generator CPU 1 (`taskset`). */
export const PIN = cpus().length >= 2;
export const SERVER_CPU = PIN ? '0' : undefined;
export const LOAD_CPU = PIN ? '1' : undefined;

/** The route every HTTP benchmark loads: the SPA's first call. */
export const ORDERS_LIST_PATH = '/api/v1/orders?limit=20';
/** Every benchmark request carries this `Origin` (allowed by the servers' CORS), as the SPA's calls do. */
export const SPA_ORIGIN = 'https://localhost:5173';
/**
 * What every benchmark request to the orders list sends, as the SPA's calls do: its
 * `Origin`, and the fixed-page API's one session cookie (fixed-session-repository.ts).
 */
export const BENCH_HEADERS: Readonly<Record<string, string>> = { origin: SPA_ORIGIN, cookie: BENCH_SESSION_COOKIE };

/**
 * Environment every benchmarked API gets: logs at warn (a log line per request would be
 * the figure), no HTTP/1.1-only listener, and rate limits and load-shedding thresholds far above what one machine can
 * send: the limiter still runs on every request (its cost is part of the chain) but one
 * loopback client is not an abuser. A refusal would still show: every HTTP benchmark
 * reports non-2xx answers and fails on them.
 */
export const BENCH_API_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  FORCE_COLOR: '0',
  CORS_ORIGINS: SPA_ORIGIN,
  API_H1_PORT: '0',
  RATE_LIMIT_API_UNITS_PER_SECOND: '1000000',
  RATE_LIMIT_API_BURST: '10000000',
  RATE_LIMIT_RUM_UNITS_PER_SECOND: '1000000',
  RATE_LIMIT_RUM_BURST: '10000000',
  // Load shedding on but out of reach, as the limits: its sampler runs and every request
  // pays its check (chain-cost prices both), and a saturated server still answers 2xx.
  LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '60000',
  LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '1',
  LOAD_SHEDDING_MAX_HEAP_USED_MB: '1048576',
};

const FIXED_PAGE_API = fileURLToPath(new URL('./fixed-page-api.ts', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-h2-server.ts', import.meta.url));
const PLAIN_FASTIFY_SERVER = fileURLToPath(new URL('./plain-fastify-server.ts', import.meta.url));
/** The bench package's folder: its own tsx is what `node --import tsx` finds from there. */
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const DEV_CERT = {
  certFile: join(repoRoot, '.certs', 'localhost.crt'),
  keyFile: join(repoRoot, '.certs', 'localhost.key'),
};

export interface BenchServer {
  name: string;
  /** `https://127.0.0.1:<port>`: HTTP/2 and HTTP/1.1 (ALPN) on one port. */
  origin: string;
  /** Its process group (the server's node process, pinned with taskset when there are two cores), as /proc numbers it. */
  processGroup: number;
  /** CPU (ms, user + system) the server's processes have spent so far; the difference of two readings is a run's. */
  cpuMs(): number;
  /**
   * The garbage collections the server has made so far (every bench server runs with
   * `--trace-gc` into its log); the difference of two readings is a run's.
   */
  collections(): CollectionCounts;
  stop(): Promise<void>;
}

/** Creates the development certificate once, before any server needs it. */
export async function ensureDevCertificate(workDir: string): Promise<void> {
  await ServerProcess.start({
    name: 'dev certificate',
    command: process.execPath,
    args: [...typescriptNodeArgs, devCertCli],
    cwd: apiDir,
    env: process.env,
    logFile: join(workDir, 'dev-cert.log'),
  }).succeeded();
}

/**
 * A TypeScript server script as one node process (`node --import tsx`, no tsx CLI in
 * front: the process group whose CPU a bench counts is the server alone), with
 * `--trace-gc` (BenchServer.collections) and the caller's node flags, pinned to the
 * server CPU.
 */
function serverCommand(
  nodeFlags: readonly string[] | undefined,
  script: string,
  args: string[],
): { command: string; args: string[] } {
  const node = [...typescriptNodeArgs, GC_TRACE_FLAG, ...(nodeFlags ?? []), script, ...args];
  return SERVER_CPU
    ? { command: 'taskset', args: ['-c', SERVER_CPU, process.execPath, ...node] }
    : { command: process.execPath, args: node };
}

/** The collections a log has recorded so far, read from where the last reading stopped. */
function collectionCounter(logFile: string): () => CollectionCounts {
  const total: CollectionCounts = { scavenges: 0, markCompacts: 0 };
  let offset = 0;
  let partialLine = '';
  return () => {
    const fd = openSync(logFile, 'r');
    try {
      const chunk = Buffer.alloc(Math.max(0, fstatSync(fd).size - offset));
      offset += readSync(fd, chunk, 0, chunk.length, offset);
      const lines = (partialLine + chunk.toString('utf8')).split('\n');
      // A line still being written is counted once it ends.
      partialLine = lines.pop() ?? '';
      const counted = countCollections(lines.join('\n'));
      total.scavenges += counted.scavenges;
      total.markCompacts += counted.markCompacts;
    } finally {
      closeSync(fd);
    }
    return { ...total };
  };
}

async function started(name: string, process: ServerProcess, origin: string, readyPath: string): Promise<BenchServer> {
  try {
    await process.waitUntilReady(`${origin}${readyPath}`, 90_000);
  } catch (error) {
    await process.stop();
    throw error;
  }
  const group = process.pid;
  if (group === undefined) throw new Error(`${name} started without a pid`);
  return {
    name,
    origin,
    processGroup: group,
    cpuMs: () => processGroupCpuMs(group),
    collections: collectionCounter(process.logFile),
    stop: () => process.stop(),
  };
}

/**
 * Tandem's API with the fixed-page orders repository (the data layer set aside), on a
 * free port, pinned to the server CPU. `env` overrides BENCH_API_ENV (e.g. METRICS_ENABLED);
 * `off` names run-time seams set off before it listens (chain-seams.ts); `pageCostMs`, the
 * event-loop time each list takes to build (default 0: the page is at hand); `nodeFlags`,
 * flags for its node process (young-generation.ts), which a comparison gives every server alike.
 */
export async function startFixedPageApi(options: {
  name: string;
  workDir: string;
  env?: Record<string, string>;
  nodeFlags?: readonly string[];
  off?: readonly SeamSwitch[];
  pageCostMs?: number;
}): Promise<BenchServer> {
  const [port] = await freePorts(1, '127.0.0.1');
  const { command, args } = serverCommand(options.nodeFlags, FIXED_PAGE_API, [
    ...(options.off?.length ? ['--off', options.off.join(',')] : []),
    ...(options.pageCostMs ? ['--page-cost-ms', String(options.pageCostMs)] : []),
  ]);
  const server = ServerProcess.start({
    name: options.name,
    command,
    args,
    cwd: apiDir,
    env: {
      ...process.env,
      ...BENCH_API_ENV,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      ...options.env,
    },
    logFile: join(options.workDir, `${options.name}.log`),
  });
  return started(options.name, server, `https://127.0.0.1:${port}`, '/readyz');
}

/**
 * The bare `node:http2` baseline answering `body` with `contentType` to every request;
 * with `headers`, those response headers too (a second instance, the headers' own cost).
 */
export async function startBareServer(options: {
  name?: string;
  workDir: string;
  body: Buffer;
  contentType: string;
  headers?: Record<string, string>;
  nodeFlags?: readonly string[];
}): Promise<BenchServer> {
  const name = options.name ?? 'bare';
  const extraArgs: string[] = [];
  if (options.headers) {
    const headersFile = join(options.workDir, `${name}-headers.json`);
    writeFileSync(headersFile, JSON.stringify(options.headers, null, 2));
    extraArgs.push(headersFile);
  }
  return startReferenceServer({ ...options, name, script: BARE_SERVER, extraArgs, readyPath: '/' });
}

/** Fastify 5 with one route and no plugins answering `body` on ORDERS_LIST_PATH: the framework's own cost. */
export async function startPlainFastifyServer(options: {
  name?: string;
  workDir: string;
  body: Buffer;
  contentType: string;
  nodeFlags?: readonly string[];
}): Promise<BenchServer> {
  return startReferenceServer({
    ...options,
    name: options.name ?? 'fastify',
    script: PLAIN_FASTIFY_SERVER,
    extraArgs: [],
    readyPath: ORDERS_LIST_PATH,
  });
}

/** A reference server script (argv: port, body file, content type, cert, key, extras) on a free port, pinned, with `nodeFlags`. */
async function startReferenceServer(options: {
  name: string;
  script: string;
  workDir: string;
  body: Buffer;
  contentType: string;
  extraArgs: string[];
  readyPath: string;
  nodeFlags?: readonly string[];
}): Promise<BenchServer> {
  const [port] = await freePorts(1, '127.0.0.1');
  const bodyFile = join(options.workDir, `${options.name}-body.json`);
  writeFileSync(bodyFile, options.body);
  const { command, args } = serverCommand(options.nodeFlags, options.script, [
    String(port),
    bodyFile,
    options.contentType,
    DEV_CERT.certFile,
    DEV_CERT.keyFile,
    ...options.extraArgs,
  ]);
  const server = ServerProcess.start({
    name: options.name,
    command,
    args,
    cwd: BENCH_DIR,
    env: { ...process.env, FORCE_COLOR: '0' },
    logFile: join(options.workDir, `${options.name}-server.log`),
  });
  return started(options.name, server, `https://127.0.0.1:${port}`, options.readyPath);
}
