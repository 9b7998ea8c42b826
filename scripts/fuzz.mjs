// `pnpm fuzz [--runs N] [--seed S] [--transport inject|socket]`: the API's fuzz suite
// (apps/api/test/fuzz/) with more cases than `npm test` gives it (1000 per property), or
// again with the seed a failure printed. The suite reads FUZZ_RUNS, FUZZ_SEED and
// FUZZ_TRANSPORT (apps/api/test/fuzz/fuzz-settings.ts).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCommand } from './lib/run-command.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, seed: { type: 'string' }, transport: { type: 'string' } },
});
const env = { ...process.env };
if (values.runs !== undefined) env.FUZZ_RUNS = values.runs;
if (values.seed !== undefined) env.FUZZ_SEED = values.seed;
if (values.transport !== undefined) env.FUZZ_TRANSPORT = values.transport;
const code = await runCommand('pnpm', ['exec', 'vitest', 'run', 'test/fuzz/', '--project', 'api'], {
  cwd: fileURLToPath(new URL('../apps/api', import.meta.url)),
  env,
});
process.exit(code);
