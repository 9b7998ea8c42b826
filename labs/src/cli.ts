// pnpm lab <id> [--smoke] [--docs]   run one lab: naive vs tuned, table, JSON, chart
// pnpm lab --list                    the labs and whether this build can run them
import { parseArgs } from 'node:util';
import { LAB_CATALOGUE, LAB_IDS, type LabId } from '@tandem/contract/labs';
import { exitOnSignals } from '@tandem/local-stack';
import { LABS } from './catalogue.js';
import { publishReport } from './lib/lab-report.js';
import { labWorkDir } from './lib/lab-work-dir.js';
import { createProgress } from './lib/progress.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    list: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
    'timeout-minutes': { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = `usage: pnpm lab <id> [--smoke] [--docs] [--timeout-minutes N]
       pnpm lab --list

  --smoke            a short run (what the test suite runs)
  --docs             also write the measured table and chart into docs/labs/<id>.md
  --timeout-minutes  give up after N minutes (default 10); the servers it started stop with it`;

if (values.help) {
  console.log(usage);
  process.exit(0);
}

if (values.list || positionals.length === 0) {
  for (const id of LAB_IDS) {
    const ready = LABS[id] ? 'runnable' : 'pending ';
    console.log(`${id.padEnd(16)} ${ready}  ${LAB_CATALOGUE[id].title}`);
  }
  if (positionals.length === 0 && !values.list) console.log(`\n${usage}`);
  process.exit(0);
}

const id = positionals[0] as LabId;
const lab = LABS[id];
if (!lab) {
  const known = LAB_IDS.includes(id);
  console.error(known ? `Lab "${id}" has no script in this build yet.` : `Unknown lab "${id}". Try: pnpm lab --list`);
  process.exit(2);
}

// Bounded in time: a lab that hangs (a server that never answers, a browser stuck) ends
// with a message instead of holding the terminal; child servers die with their group.
const timeoutMinutes = Number(values['timeout-minutes']);
if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0) {
  console.error('--timeout-minutes takes a positive number');
  process.exit(2);
}
setTimeout(() => {
  console.error(`Lab "${id}" did not finish within ${timeoutMinutes} min; stopping.`);
  process.exit(124);
}, timeoutMinutes * 60_000).unref();

exitOnSignals();
const report = await lab.run({ smoke: values.smoke, progress: createProgress(id), workDir: labWorkDir() });
publishReport(report, { docs: values.docs });
process.exit(report.verdicts.every((verdict) => verdict.met) ? 0 : 1);
