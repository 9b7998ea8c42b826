import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { percentile } from './percentile.js';

/** Debian's nghttp2-client; `npm test` and CI install it. */
export const H2LOAD = '/usr/bin/h2load';

export interface LoadShape {
  protocol: 'h2' | 'http/1.1';
  connections: number;
  /** Concurrent streams per HTTP/2 connection (`-m`); 1 for HTTP/1.1 (no pipelining). */
  streams: number;
}

export const shapeLabel = (shape: LoadShape) =>
  `${shape.protocol === 'h2' ? 'HTTP/2' : 'HTTP/1.1'} ${shape.connections}×${shape.streams}`;

/** h2load's summary (nghttp2 1.52's wording). */
export interface H2loadSummary {
  /** h2load's own `finished in …, N req/s`: requests done ÷ the run's length (connecting included). */
  requestsPerSecond: number;
  /** h2load's `succeeded`: answers with a 2xx or 3xx status. */
  succeeded: number;
  /** Answers per status class (h2load's `status codes` line). */
  statusClasses: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  /** Answers with a 2xx status. */
  status2xx: number;
  /** Answers with a 3xx, 4xx or 5xx status, plus h2load's `errored` and `timeout` (no answer). */
  notOk: number;
  /** From h2load's `time for request` row (min / max / mean), in ms. */
  meanMs: number;
  maxMs: number;
}

/** h2load's `--log-file` (one line per request), read back. */
export interface H2loadLatency {
  /** Exact percentiles of the logged durations, in ms. */
  p50Ms: number;
  p99Ms: number;
  /** Lines in the per-request log. */
  logged: number;
}

/** A run with a per-request log: its summary and the latencies read from the log. */
export type H2loadRun = H2loadSummary & H2loadLatency;

interface H2loadCommonOptions {
  url: string | string[];
  shape: LoadShape;
  headers?: Record<string, string>;
  /** Paces each connection to this many requests per second (`--rps`) instead of as fast as it can. */
  rpsPerClient?: number;
  /** A file whose content every request sends as its body (POST). */
  bodyFile?: string;
  /** Pin h2load to these CPUs (`taskset -c`). */
  cpuList?: string;
  /** Where h2load writes its per-request log (removed after reading); without it, no latency percentiles. */
  logFile?: string;
  /** Leave `logFile` in place for the caller to read per status (`readStatusLog`). */
  keepLogFile?: boolean;
}

/**
 * A counted run (`--requests`), sized by the caller to last a few seconds. It ends when its
 * last answer arrives and logs them all, where nghttp2 1.52's timing mode (`--duration`,
 * `--warm-up-time`) can hang or miscount on a busy machine.
 */
export interface H2loadCountedOptions extends H2loadCommonOptions {
  requests: number;
  /** How long the run should take; only bounds the wait for a hung h2load (10× this + 60 s, then one retry). */
  expectedSeconds: number;
}

/** A timed run (`--duration`); killed and failed past its length + 30 s, never retried. */
export interface H2loadTimedOptions extends H2loadCommonOptions {
  durationSeconds: number;
}

export type H2loadOptions = H2loadCountedOptions | H2loadTimedOptions;

/** Runs h2load once and reads its summary, and its per-request log when `logFile` is given. */
export function runH2load(options: H2loadOptions & { logFile: string }): Promise<H2loadRun>;
export function runH2load(options: H2loadOptions): Promise<H2loadSummary>;
export async function runH2load(options: H2loadOptions): Promise<H2loadSummary> {
  if (!existsSync(H2LOAD)) throw new Error(`${H2LOAD} is missing: apt-get install nghttp2-client`);
  const { shape, logFile } = options;
  const timed = 'durationSeconds' in options;
  if (logFile) rmSync(logFile, { force: true });
  const args = [
    timed
      ? `--duration=${options.durationSeconds}`
      : `--requests=${Math.max(options.requests, shape.connections * shape.streams)}`,
    `--clients=${shape.connections}`,
    `--max-concurrent-streams=${shape.streams}`,
    '--threads=1',
    ...(logFile ? [`--log-file=${logFile}`] : []),
    ...(shape.protocol === 'http/1.1' ? ['--h1'] : []),
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(options.rpsPerClient ? [`--rps=${options.rpsPerClient}`] : []),
    ...(options.bodyFile ? ['--data', options.bodyFile] : []),
    ...(Array.isArray(options.url) ? options.url : [options.url]),
  ];
  const [command, argv] = options.cpuList ? ['taskset', ['-c', options.cpuList, H2LOAD, ...args]] : [H2LOAD, args];
  // A hung h2load is killed past a bound. A counted run is then made again, once; a timed
  // run fails instead, as a caller may be reading the server's counters around it.
  const boundMs = timed ? (options.durationSeconds + 30) * 1000 : options.expectedSeconds * 10_000 + 60_000;
  let output = await runOnce(command, argv, boundMs);
  if (output === 'hung' && !timed) output = await runOnce(command, argv, boundMs);
  if (output === 'hung') {
    throw new Error(`h2load did not finish within ${boundMs / 1000} s${timed ? '' : ', twice'}: ${argv.join(' ')}`);
  }
  const summary = parseH2loadOutput(output);
  const run = logFile ? { ...summary, ...readLatencyLog(logFile) } : summary;
  if (logFile && !options.keepLogFile) rmSync(logFile, { force: true });
  if (('logged' in run && run.logged === 0) || run.requestsPerSecond === 0) {
    throw new Error(`h2load: no request completed against ${options.url}\n${output}`);
  }
  return run;
}

/** h2load's output, or 'hung' when it had to be killed after `boundMs`. */
function runOnce(command: string, argv: string[], boundMs: number): Promise<string | 'hung'> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, boundMs);
    child.stdout.on('data', (chunk) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk) => {
      text += chunk;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (hung) resolve('hung');
      else if (code === 0) resolve(text);
      else reject(new Error(`h2load exited with ${code}:\n${text.slice(-2000)}`));
    });
  });
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value);
  if (!match?.[1] || !match[2]) throw new Error(`h2load: unreadable time "${value}"`);
  return Number(match[1]) * (UNIT_MS[match[2]] ?? Number.NaN);
}

/** Reads h2load's summary (nghttp2 1.52's wording). */
export function parseH2loadOutput(output: string): H2loadSummary {
  const finished = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(output);
  // h2load's `failed` counts 4xx/5xx answers too; `errored` and `timeout` are the ones without an answer.
  const requests = /requests: .*, (\d+) succeeded, \d+ failed, (\d+) errored, (\d+) timeout/.exec(output);
  const status = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output);
  const time = /time for request:\s+(\S+)\s+(\S+)\s+(\S+)/.exec(output);
  if (!finished?.[1] || !requests || !status || !time?.[2] || !time[3]) {
    throw new Error(`h2load: unexpected output\n${output.slice(-2000)}`);
  }
  const count = (match: RegExpExecArray, ...groups: number[]) =>
    groups.reduce((sum, group) => sum + Number(match[group]), 0);
  return {
    requestsPerSecond: Number(finished[1]),
    succeeded: count(requests, 1),
    statusClasses: {
      '2xx': count(status, 1),
      '3xx': count(status, 2),
      '4xx': count(status, 3),
      '5xx': count(status, 4),
    },
    status2xx: count(status, 1),
    notOk: count(status, 2, 3, 4) + count(requests, 2, 3),
    maxMs: toMs(time[2]),
    meanMs: toMs(time[3]),
  };
}

/** h2load's `--log-file`: tab-separated start time (µs), status, duration (µs) per request. */
export function readLatencyLog(file: string): H2loadLatency {
  if (!existsSync(file)) throw new Error(`h2load wrote no log at ${file}`);
  const durations: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const columns = line.split('\t');
    if (columns.length >= 3 && Number(columns[1]) > 0) durations.push(Number(columns[2]) / 1000);
  }
  return { p50Ms: percentile(durations, 50), p99Ms: percentile(durations, 99), logged: durations.length };
}

/** h2load's `--log-file` per status: each answered request's duration (ms), grouped by its HTTP status. */
export function readStatusLog(file: string): Map<number, number[]> {
  if (!existsSync(file)) throw new Error(`h2load wrote no log at ${file}`);
  const byStatus = new Map<number, number[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const columns = line.split('\t');
    const status = Number(columns[1]);
    if (columns.length < 3 || !(status > 0)) continue;
    const durations = byStatus.get(status) ?? [];
    durations.push(Number(columns[2]) / 1000);
    byStatus.set(status, durations);
  }
  return byStatus;
}
