import { join } from 'node:path';
import {
  type H2loadRun,
  type LoadShape,
  median,
  processGroupCpuMs,
  runH2load,
  type ServerProcess,
} from '@tandem/local-stack';
import type { BenchLog } from '../bench-options.js';
import { LOAD_CPU, ORDERS_LIST_PATH } from '../http/bench-servers.js';
import { latency, requestsFor, type Timing } from '../http/orders-list.js';

/** One way of reaching the orders list: an origin, and the processes whose CPU it spends. */
export interface ThroughputTarget {
  name: string;
  /** How many replicas answer through it. */
  replicas: number;
  origin: string;
  /** Every API replica of the stack (an idle one costs next to nothing, and is counted). */
  replicaProcesses: ServerProcess[];
  /** The balancer in the path, if any. */
  balancerProcess?: ServerProcess;
}

/** An h2load run and the CPU the replicas and the balancer spent during it (their process groups', from /proc). */
export type ThroughputRun = H2loadRun & { replicaCpuMs: number; balancerCpuMs: number };

export interface ThroughputFigures {
  name: string;
  replicas: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Median over rounds, µs of CPU per answered request. */
  replicaCpuUsPerRequest: number;
  balancerCpuUsPerRequest: number | undefined;
  /** Median of per-round req/s ratios to the direct connection's run of the same round. */
  ratioToDirect: number;
  non2xx: number;
  runs: ThroughputRun[];
}

const groupCpuMs = (processes: ServerProcess[]) =>
  processes.reduce((sum, process) => sum + (process.pid === undefined ? 0 : processGroupCpuMs(process.pid)), 0);

/** h2load resolves `localhost` as it likes; the balancer listens on 127.0.0.1. */
const loopbackUrl = (origin: string) => {
  const url = new URL(ORDERS_LIST_PATH, origin);
  url.hostname = '127.0.0.1';
  return url.toString();
};

async function measure(
  target: ThroughputTarget,
  options: {
    shape: LoadShape;
    requests: number;
    expectedSeconds: number;
    headers: Record<string, string>;
    workDir: string;
  },
): Promise<ThroughputRun> {
  const replicaBefore = groupCpuMs(target.replicaProcesses);
  const balancerBefore = target.balancerProcess ? groupCpuMs([target.balancerProcess]) : 0;
  const run = await runH2load({
    url: loopbackUrl(target.origin),
    shape: options.shape,
    requests: options.requests,
    expectedSeconds: options.expectedSeconds,
    headers: options.headers,
    logFile: join(options.workDir, 'h2load.log'),
    ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}),
  });
  return {
    ...run,
    replicaCpuMs: groupCpuMs(target.replicaProcesses) - replicaBefore,
    balancerCpuMs: target.balancerProcess ? groupCpuMs([target.balancerProcess]) - balancerBefore : 0,
  };
}

const perRequestUs = (cpuMs: number, run: H2loadRun) => (cpuMs * 1000) / Math.max(1, run.status2xx + run.notOk);

/**
 * The orders list through each target: an unmeasured warm-up run each (its rate sizes the
 * measured runs), then `timing.rounds` rounds with the targets' order rotated each round.
 * The first target is the direct connection the others are compared with.
 */
export async function measureThroughput(
  log: BenchLog,
  options: {
    targets: ThroughputTarget[];
    shape: LoadShape;
    timing: Timing;
    headers: Record<string, string>;
    workDir: string;
  },
): Promise<ThroughputFigures[]> {
  const { targets, shape, timing } = options;
  const rates = new Map<string, number>();
  for (const target of targets) {
    const warm = await measure(target, {
      ...options,
      requests: timing.warmUpRequests,
      expectedSeconds: timing.seconds,
    });
    rates.set(target.name, warm.requestsPerSecond);
    log(`  warm-up ${target.name}: ${timing.warmUpRequests} requests, ${Math.round(warm.requestsPerSecond)} req/s`);
  }
  const runs = new Map<string, ThroughputRun[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < timing.rounds; round++) {
    const shift = round % targets.length;
    for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
      const run = await measure(target, {
        ...options,
        requests: requestsFor(rates.get(target.name) ?? 0, timing, shape),
        expectedSeconds: timing.seconds,
      });
      runs.get(target.name)?.push(run);
      log(
        `  round ${round + 1}/${timing.rounds} ${target.name}: ${Math.round(run.requestsPerSecond)} req/s, p50/p99 ${latency(run)}, replicas ${Math.round(perRequestUs(run.replicaCpuMs, run))} µs CPU/req${target.balancerProcess ? `, HAProxy ${Math.round(perRequestUs(run.balancerCpuMs, run))} µs CPU/req` : ''}${run.notOk ? `, ${run.notOk} not 2xx` : ''}`,
      );
    }
  }
  const direct = runs.get(targets[0]?.name ?? '') ?? [];
  return targets.map((target) => {
    const list = runs.get(target.name) ?? [];
    return {
      name: target.name,
      replicas: target.replicas,
      requestsPerSecond: median(list.map((run) => run.requestsPerSecond)),
      p50Ms: median(list.map((run) => run.p50Ms)),
      p99Ms: median(list.map((run) => run.p99Ms)),
      replicaCpuUsPerRequest: median(list.map((run) => perRequestUs(run.replicaCpuMs, run))),
      balancerCpuUsPerRequest: target.balancerProcess
        ? median(list.map((run) => perRequestUs(run.balancerCpuMs, run)))
        : undefined,
      ratioToDirect: median(
        list.map((run, index) => run.requestsPerSecond / (direct[index]?.requestsPerSecond ?? Number.NaN)),
      ),
      non2xx: list.reduce((sum, run) => sum + run.notOk, 0),
      runs: list,
    };
  });
}
