// pnpm profile <scenario> [--seconds N] [--out DIR]   record the API's CPU profile (+ the browser's trace) over one window
// pnpm profile heap-diff <a.heapsnapshot> <b.heapsnapshot> [--top N]   what grew between two heap snapshots
// pnpm profile --list                                  the scenarios
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitOnSignals, repoRoot } from '@tandem/local-stack';
import { diffHeapSnapshots, summarizeHeapSnapshot } from './heap-snapshot-diff.js';
import { formatHeapDiff, formatProfileReport } from './profile-report.js';
import { profileScenario } from './profile-scenario.js';
import { isScenarioName, SCENARIO_NAMES, SCENARIOS } from './scenarios.js';

const usage = `usage: pnpm profile <scenario> [--seconds N] [--out DIR]
       pnpm profile heap-diff <before.heapsnapshot> <after.heapsnapshot> [--top N]
       pnpm profile --list

  --seconds N   length of the recording window (default 10)
  --out DIR     where the profiles go (default .data/profiles/<scenario>-<time>)
  --top N       heap-diff: how many constructors to list (default 20)`;

/** pnpm runs the script in packages/profiling; paths on the command line are the caller's. */
const callerDir = process.env.INIT_CWD ?? process.cwd();
const fromCaller = (path: string) => (isAbsolute(path) ? path : resolve(callerDir, path));

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(`${flag} takes a positive number, not "${text}"`);
  return value;
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      seconds: { type: 'string', default: '10' },
      out: { type: 'string' },
      top: { type: 'string', default: '20' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.list || positionals.length === 0) {
  for (const name of SCENARIO_NAMES) console.log(`${name.padEnd(16)} ${SCENARIOS[name].description}`);
  console.log(`${'heap-diff'.padEnd(16)} compare two heap snapshots of the API (see docs/profiling.md)`);
  if (!values.list) console.log(`\n${usage}`);
  process.exit(0);
}

const [command, ...rest] = positionals;
if (command === 'heap-diff') {
  const [before, after] = rest;
  if (!before || !after || rest.length > 2) fail('heap-diff takes two .heapsnapshot files');
  const top = positiveNumber(values.top, '--top');
  const a = summarizeHeapSnapshot(fromCaller(before));
  const b = summarizeHeapSnapshot(fromCaller(after));
  console.log(formatHeapDiff(a, b, diffHeapSnapshots(a, b), top));
  process.exit(0);
}

if (!command || !isScenarioName(command)) fail(`Unknown scenario "${command}"; one of: ${SCENARIO_NAMES.join(', ')}`);
if (rest.length > 0) fail(`Unexpected argument(s): ${rest.join(' ')}`);
const seconds = positiveNumber(values.seconds, '--seconds');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = values.out ? fromCaller(values.out) : join(repoRoot, '.data', 'profiles', `${command}-${stamp}`);
const started = Date.now();
const progress = (line: string) =>
  console.log(`[profile ${command} +${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

exitOnSignals();
const summary = await profileScenario({ scenario: command, seconds, outDir, progress });
console.log(formatProfileReport(summary, callerDir));
process.exit(0);
