// pnpm bench <name> [--quick] [--docs] [--runs N]   run a benchmark; prints its figures and the targets they meet
// pnpm bench --list
import { parseArgs } from 'node:util';
import { exitOnSignals } from '@tandem/local-stack';
import type { BenchLog, BenchOptions } from './bench-options.js';
import { type BenchReport, publishBench } from './bench-report.js';
import { benchFirstLoad } from './browser/first-load.js';
import { benchMetricsOverhead } from './http/metrics-overhead.js';
import { benchOrdersList } from './http/orders-list.js';
import { benchOrdersPg } from './http/orders-pg.js';
import { benchSse } from './sse/run.js';

interface Bench {
  summary: string;
  /** Whether `--quick` shortens it; the others run their full length only. */
  quick: boolean;
  /** Whether it takes `--runs N`. */
  runs?: boolean;
  run: (log: BenchLog, options: BenchOptions) => Promise<BenchReport>;
}

const BENCHES: Record<string, Bench> = {
  sse: {
    summary: 'SSE fan-out: events/s over 10 and 1,000 connections, RSS per stream, delay p99',
    quick: false,
    run: benchSse,
  },
  'orders-list': {
    summary: 'orders list (fixed page, whole route chain) vs a bare node:http2 server: req/s ratio, p99 (h2load)',
    quick: true,
    run: benchOrdersList,
  },
  'orders-pg': {
    summary: 'list, get-by-id, create against a real PostgreSQL: req/s, p50/p99, database share (h2load)',
    quick: true,
    run: benchOrdersPg,
  },
  'metrics-overhead': {
    summary: 'orders list with metrics and RUM beacons on vs metrics off: req/s ratio (h2load)',
    quick: true,
    run: benchMetricsOverhead,
  },
  'first-load': {
    summary: "the orders page's cold first load in Chromium: LCP, FCP and where the time went (median of 7 runs)",
    quick: true,
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
    runs: { type: 'string' },
  },
});

if (values.list || positionals.length === 0) {
  for (const [name, bench] of Object.entries(BENCHES)) console.log(`${name.padEnd(17)} ${bench.summary}`);
  if (!values.list) console.log('\nusage: pnpm bench <name> [--quick] [--docs] [--runs N]');
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
const runs = values.runs === undefined ? undefined : Number(values.runs);
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
  console.error(`--runs takes a whole number of runs above 0, got "${values.runs}".`);
  process.exit(2);
}
if (runs !== undefined && !bench.runs) {
  console.error(`"${name}" takes no --runs.`);
  process.exit(2);
}
if (values.quick && values.docs) {
  console.error('--quick figures are a smoke check, not measurements: they never go to the docs.');
  process.exit(2);
}
exitOnSignals();
const started = Date.now();
const report = await bench.run(
  (line) => process.stderr.write(`[${name} ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`),
  { quick: values.quick, runs },
);
publishBench(report, { docs: values.docs, quick: values.quick });
