// pnpm bench <name> [--docs]   run a benchmark; prints its figures and the targets they meet
// pnpm bench --list
import { parseArgs } from 'node:util';
import { type BenchReport, publishBench } from './bench-report.js';
import { benchSse } from './sse/run.js';

const BENCHES: Record<string, { summary: string; run: (log: (line: string) => void) => Promise<BenchReport> }> = {
  sse: { summary: 'SSE fan-out: events/s over 10 and 1,000 connections, RSS per stream, delay p99', run: benchSse },
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { list: { type: 'boolean', default: false }, docs: { type: 'boolean', default: false } },
});

if (values.list || positionals.length === 0) {
  for (const [name, bench] of Object.entries(BENCHES)) console.log(`${name.padEnd(10)} ${bench.summary}`);
  if (!values.list) console.log('\nusage: pnpm bench <name> [--docs]');
  process.exit(0);
}

const name = positionals[0] as string;
const bench = BENCHES[name];
if (!bench) {
  console.error(`Unknown benchmark "${name}". Try: pnpm bench --list`);
  process.exit(2);
}
const started = Date.now();
const report = await bench.run((line) =>
  process.stderr.write(`[${name} ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`),
);
publishBench(report, { docs: values.docs });
