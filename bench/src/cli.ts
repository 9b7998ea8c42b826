// pnpm bench <name> [--quick] [--docs] [--rounds N] [--seconds S] [--runs N] [--semi-space-mb N]   run a benchmark; prints its figures and the targets they meet
// pnpm bench --list
import { parseArgs } from 'node:util';
import { exitOnSignals } from '@tandem/local-stack';
import type { BenchLog, BenchOptions } from './bench-options.js';
import { type BenchReport, publishBench } from './bench-report.js';
import { benchFirstLoad } from './browser/first-load.js';
import { benchChainCost } from './http/chain-cost.js';
import { benchMetricsOverhead } from './http/metrics-overhead.js';
import { benchOrdersList } from './http/orders-list.js';
import { benchOrdersPg } from './http/orders-pg.js';
import { benchOverload } from './http/overload.js';
import { benchScale } from './scale/run.js';
import { benchSse } from './sse/run.js';

interface Bench {
  summary: string;
  /** Whether `--quick` shortens it; the others run their full length only. */
  quick: boolean;
  /** Whether `--rounds` and `--seconds` set its interleaved rounds and run length. */
  lengthFlags: boolean;
  /** Whether it takes `--runs N` (a benchmark that counts its runs). */
  runs?: boolean;
  /** Whether it takes `--semi-space-mb N` (the young generation it gives every server it compares). */
  semiSpace?: boolean;
  run: (log: BenchLog, options: BenchOptions) => Promise<BenchReport>;
}

const BENCHES: Record<string, Bench> = {
  sse: {
    summary: 'SSE fan-out: events/s over 10 and 1,000 connections, RSS per stream, delay p99',
    quick: false,
    lengthFlags: false,
    run: benchSse,
  },
  'orders-list': {
    summary: 'orders list (fixed page, whole route chain) vs a bare node:http2 server: req/s ratio, p99 (h2load)',
    quick: true,
    lengthFlags: true,
    semiSpace: true,
    run: benchOrdersList,
  },
  'chain-cost': {
    summary: "what each part of the orders list's chain costs: server CPU µs/request with it switched off (h2load)",
    quick: true,
    lengthFlags: true,
    semiSpace: true,
    run: benchChainCost,
  },
  'orders-pg': {
    summary: 'list, get-by-id, create against a real PostgreSQL: req/s, p50/p99, database share (h2load)',
    quick: true,
    lengthFlags: false,
    run: benchOrdersPg,
  },
  'metrics-overhead': {
    summary: 'orders list with metrics and RUM beacons on vs metrics off: req/s ratio (h2load)',
    quick: true,
    lengthFlags: true,
    run: benchMetricsOverhead,
  },
  overload: {
    summary:
      "orders list at 3× the API's capacity, load shedding on vs off: admitted p50/p99, share shed, event-loop delay (h2load)",
    quick: true,
    lengthFlags: true,
    run: benchOverload,
  },
  scale: {
    summary:
      'orders list through HAProxy with one and two replicas vs direct (req/s, CPU per request of replicas and balancer), cross-replica event delay p50/p99',
    quick: true,
    lengthFlags: true,
    run: benchScale,
  },
  'first-load': {
    summary: "the orders page's cold first load in Chromium: LCP, FCP and where the time went (median of 7 runs)",
    quick: true,
    lengthFlags: false,
    runs: true,
    run: benchFirstLoad,
  },
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    list: { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    runs: { type: 'string' },
    'semi-space-mb': { type: 'string' },
  },
});

if (values.list || positionals.length === 0) {
  for (const [name, bench] of Object.entries(BENCHES)) console.log(`${name.padEnd(17)} ${bench.summary}`);
  if (!values.list)
    console.log(
      '\nusage: pnpm bench <name> [--quick] [--docs] [--rounds N] [--seconds S] [--runs N] [--semi-space-mb N]',
    );
  process.exit(0);
}

const name = positionals[0] as string;
const bench = BENCHES[name];
if (!bench) {
  console.error(`Unknown benchmark "${name}". Try: pnpm bench --list`);
  process.exit(2);
}
if (values.quick && !bench.quick) {
  console.error(`"${name}" has no --quick mode.`);
  process.exit(2);
}
if (values.quick && values.docs) {
  console.error('--quick figures are a smoke check, not measurements: they never go to the docs.');
  process.exit(2);
}
/** A whole number ≥ 1 from `--<name>`, or undefined when it was not given. */
function countOption(name: 'rounds' | 'seconds' | 'runs'): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) {
    console.error(`--${name} takes a whole number of at least 1, not "${value}".`);
    process.exit(2);
  }
  return Number(value);
}
const rounds = countOption('rounds');
const seconds = countOption('seconds');
const runs = countOption('runs');
if (runs !== undefined && !bench.runs) {
  console.error(`"${name}" takes no --runs.`);
  process.exit(2);
}
if ((rounds !== undefined || seconds !== undefined) && (!bench.lengthFlags || values.docs)) {
  console.error(
    bench.lengthFlags
      ? '--rounds and --seconds are for iterating: the docs get the default length only.'
      : `"${name}" has no --rounds or --seconds.`,
  );
  process.exit(2);
}
/** `--semi-space-mb N`: a whole number of MB, 0 for V8's own sizing; undefined when not given. */
function semiSpaceOption(): number | undefined {
  const value = values['semi-space-mb'];
  if (value === undefined) return undefined;
  if (!bench?.semiSpace) {
    console.error(`"${name}" takes no --semi-space-mb.`);
    process.exit(2);
  }
  if (!/^(0|[1-9]\d*)$/.test(value)) {
    console.error(`--semi-space-mb takes a whole number of MB (0: V8's own sizing), not "${value}".`);
    process.exit(2);
  }
  if (values.docs) {
    console.error("--semi-space-mb is for comparing methods: the docs get the bench's own young generation.");
    process.exit(2);
  }
  return Number(value);
}
const semiSpaceMb = semiSpaceOption();
exitOnSignals();
const started = Date.now();
const report = await bench.run(
  (line) => process.stderr.write(`[${name} ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`),
  {
    quick: values.quick,
    runs,
    ...(rounds ? { rounds } : {}),
    ...(seconds ? { seconds } : {}),
    ...(semiSpaceMb !== undefined ? { semiSpaceMb } : {}),
  },
);
const length = [
  rounds && `--rounds ${rounds}`,
  seconds && `--seconds ${seconds}`,
  semiSpaceMb !== undefined && `--semi-space-mb ${semiSpaceMb}`,
]
  .filter(Boolean)
  .join(' ');
publishBench(report, { docs: values.docs, quick: values.quick, ...(length ? { flags: length } : {}) });
