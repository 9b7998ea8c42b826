// `npm test`: installs what the suite needs (pnpm, npm packages, Debian's chromium and
// PostgreSQL…), then runs every check and test suite and ends with one line
// `N passed, N failed` that sums them all. A suite that crashes before reporting counts
// as one failure, so a run that tested nothing cannot pass unnoticed.
//
// `npm test -- --only unit,api` runs just the named checks and suites (the first word of
// each name in the summary); the setup always runs.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensurePnpm } from './lib/ensure-pnpm.mjs';
import { ensureSystemPackages } from './lib/ensure-system-packages.mjs';
import { runCommand } from './lib/run-command.mjs';
import { runCpuSeconds } from './lib/run-cpu.mjs';
import { runSideBySide } from './lib/side-by-side.mjs';
import { formatFailures, readPlaywrightReport, readVitestReport } from './lib/test-results.mjs';
import { workshopTestFiles } from './lib/workshop-tests.mjs'; // #labs

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({ options: { only: { type: 'string' } } });
const only = options.only ? new Set(options.only.split(',').map((name) => name.trim())) : null;
/** @param {string} name a check's or suite's name; its first word is what --only names */
const selected = (name) => only === null || only.has(name.split(' ')[0]);
// #region labs
/**
 * A whole run tests the product once, in the stripped copy (the template suite, last): here
 * the product's suites then run only the workshop's tests (what the strip removes) and the
 * checks that read this whole tree (links, lab boundaries, the generated OpenAPI documents).
 * `--only api` and the like still run a suite whole, here.
 */
const productTestsInCopy = only === null;
/** @type {Record<string, string[]>} package → test filters that check the whole tree */
const TREE_CHECKS = { scripts: ['lib/'], 'packages/contract': ['scripts/'] };
/** The product's suites, which the stripped copy runs. */
const COPY_SUITES = ['unit', 'api', 'database', 'edge', 'browser'];
/** The browser suite's setup (apps/web/playwright.config.ts's first project): it signs the demo user in. */
const PLAYWRIGHT_SIGN_IN_SETUP = 'e2e/sign-in.setup.ts';
// #endregion labs
const reports = join(root, '.tandem-test');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const banner = (/** @type {string} */ text) =>
  console.log(`\n━━ ${text} ${'━'.repeat(Math.max(0, 70 - text.length))} [${elapsed()}]`);

banner('setup');
if (!(await ensureSystemPackages())) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
const pnpm = await ensurePnpm();
const runPnpm = (/** @type {string[]} */ args, cwd = root, /** @type {NodeJS.ProcessEnv} */ env = {}) =>
  runCommand(pnpm.command, [...pnpm.prefix, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '1', ...env } });
const install = process.env.CI ? ['install', '--frozen-lockfile'] : ['install'];
if ((await runPnpm(install)) !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */
/** @typedef {import('./lib/test-results.mjs').Failure} Failure */
/**
 * Each check's and suite's outcome, wall time, and CPU (user + system of the processes it
 * ran, null when unknown), with when it started and ended (ms since the epoch).
 * @type {{ name: string, kind: 'check' | 'suite', counts: Counts, seconds: number, cpuSeconds: number | null, startedAt: number, endedAt: number, failures: Failure[] }[]}
 */
const results = [];
/** The CPU a check or suite has used since `start` (its processes' time lands once they end). */
const cpuSince = (/** @type {number | null} */ start) => {
  const now = runCpuSeconds();
  return start === null || now === null ? null : now - start;
};

/**
 * A check passes or fails as a whole (lint, types, build, config validation).
 * @param {string} name
 * @param {string[]} args pnpm arguments, or a whole command line when `command` is given
 * @param {string} [command] a program other than pnpm
 */
async function check(name, args, command) {
  if (!selected(name)) return;
  banner(`check: ${name}`);
  const t0 = Date.now();
  const cpu0 = runCpuSeconds();
  const code = command ? await runCommand(command, args, { cwd: root }) : await runPnpm(args);
  const ok = code === 0;
  results.push({
    name,
    kind: 'check',
    counts: { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 },
    seconds: (Date.now() - t0) / 1000,
    cpuSeconds: cpuSince(cpu0),
    startedAt: t0,
    endedAt: Date.now(),
    failures: ok ? [] : [{ test: name, file: '', reason: `exited ${code}` }],
  });
}

/** @typedef {{ runner: 'vitest' | 'playwright', cwd: string, args?: string[] }} SuitePart */

/**
 * A suite is one or more test-runner invocations whose reports are summed. With
 * `sideBySide` above 1, that many parts run at once, each one's output kept in a file and
 * printed whole when it ends (packages whose tests mostly wait, or start a runner of their own).
 * @param {string} name
 * @param {SuitePart[]} parts
 * @param {{ sideBySide?: number }} [options]
 */
async function suite(name, parts, options = {}) {
  if (!selected(name)) return;
  banner(`suite: ${name}`);
  const t0 = Date.now();
  const cpu0 = runCpuSeconds();
  const counts = { passed: 0, failed: 0, skipped: 0 };
  /** @type {Failure[]} */
  const failures = [];
  const sideBySide = Math.max(1, options.sideBySide ?? 1);
  if (sideBySide > 1)
    console.log(`(${sideBySide} of its ${parts.length} parts at a time; each one's output when it ends)`);
  const logFileOf = (/** @type {number} */ index) =>
    sideBySide > 1 ? join(reports, `${name}-${index}.log`) : undefined;
  await runSideBySide(
    parts,
    sideBySide,
    (part, index) => runPart(name, index, part, logFileOf(index)),
    (result, part, index) => {
      const logFile = logFileOf(index);
      if (logFile) {
        console.log(`\n── ${name}: ${part.cwd} ${'─'.repeat(Math.max(0, 60 - part.cwd.length))}`);
        process.stdout.write(readFileSync(logFile, 'utf8'));
      }
      counts.passed += result.counts.passed;
      counts.failed += result.counts.failed;
      counts.skipped += result.counts.skipped;
      failures.push(...result.failures);
    },
  );
  results.push({
    name,
    kind: 'suite',
    counts,
    seconds: (Date.now() - t0) / 1000,
    cpuSeconds: cpuSince(cpu0),
    startedAt: t0,
    endedAt: Date.now(),
    failures,
  });
}

/**
 * One runner invocation of a suite, read from its report.
 * @param {string} name the suite's
 * @param {number} index the part's, which names its report
 * @param {SuitePart} part
 * @param {string} [logFile] where its output goes; the terminal otherwise
 * @returns {Promise<{ counts: Counts, failures: Failure[] }>}
 */
async function runPart(name, index, part, logFile) {
  const file = join(reports, `${name}-${index}.json`);
  const cwd = join(root, part.cwd);
  const args = [...(part.args ?? [])];
  /** A line of this part's own output (in its file, when it has one). */
  const say = (/** @type {string} */ line) => (logFile ? appendFileSync(logFile, `${line}\n`) : console.log(line));
  // #region labs
  if (productTestsInCopy && COPY_SUITES.includes(name)) {
    const files = [...workshopTestFiles(root, part.cwd, part.runner), ...(TREE_CHECKS[part.cwd] ?? [])];
    if (files.length === 0) {
      say(`(${part.cwd}: no workshop tests; its product tests run in the stripped copy)`);
      return { counts: { passed: 0, failed: 0, skipped: 0 }, failures: [] };
    }
    say(`(${part.cwd}: the workshop's tests (${files.join(', ')}); its product tests run in the stripped copy)`);
    args.push(...files, ...(part.runner === 'vitest' ? ['--passWithNoTests'] : []));
    // The shared-state project depends on the whole chromium project, which would run every
    // product spec again here: without the dependency, one worker keeps the order it gave
    // (a spec that flips a lab never runs beside another). The sign-in setup comes along by
    // name: it is the first project, so it saves the signed-in state before any spec reads it.
    if (part.runner === 'playwright') args.push(PLAYWRIGHT_SIGN_IN_SETUP, '--no-deps', '--workers=1');
  }
  // #endregion labs
  const env = { ...process.env, FORCE_COLOR: '1' };
  const run = (/** @type {string[]} */ runnerArgs, /** @type {NodeJS.ProcessEnv} */ extraEnv = {}) =>
    runCommand(pnpm.command, [...pnpm.prefix, ...runnerArgs], {
      cwd,
      env: { ...env, ...extraEnv },
      ...(logFile ? { logFile } : {}),
    });
  const code =
    part.runner === 'vitest'
      ? await run([
          'exec',
          'vitest',
          'run',
          ...args,
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${file}`,
        ])
      : await run(['exec', 'playwright', 'test', ...args, '--reporter=list,json'], {
          PLAYWRIGHT_JSON_OUTPUT_NAME: file,
          // As the package's test:e2e script: workspace packages from their TypeScript source.
          NODE_OPTIONS: '--conditions=@tandem/source',
        });
  const report = part.runner === 'vitest' ? readVitestReport(file, root) : readPlaywrightReport(file, root);
  if (!report) {
    say(`✗ ${part.cwd}: the runner exited ${code} without a report; counted as one failure`);
    return {
      counts: { passed: 0, failed: 1, skipped: 0 },
      failures: [{ test: '(no report)', file: part.cwd, reason: `the runner exited ${code}` }],
    };
  }
  const counts = { passed: report.passed, failed: report.failed, skipped: report.skipped };
  const failures = [...report.failures];
  // A runner can fail outside any test (a crashed setup, an unhandled error): count it.
  if (code !== 0 && report.failed === 0) {
    counts.failed += 1;
    failures.push({
      test: '(outside any test)',
      file: part.cwd,
      reason: `the runner exited ${code}; see its output above`,
    });
  }
  if (report.passed + report.failed === 0) {
    say(`✗ ${part.cwd}: no test ran; counted as one failure`);
    counts.failed += 1;
    failures.push({ test: '(no test ran)', file: part.cwd, reason: '' });
  }
  return { counts, failures };
}

// #region labs
const template = startTemplateSuite();
// #endregion labs
await check('lint (biome)', ['lint']);
await check('typecheck', ['-r', 'typecheck']);
await check('build', ['-r', 'build']);
// Each package's Vitest alone mostly waits (its start, a real recording, one file at a time):
// three side by side, the longest first (on 2 cores, ~128 s one after another).
await suite(
  'unit',
  [
    { runner: 'vitest', cwd: 'packages/profiling' },
    { runner: 'vitest', cwd: 'apps/web' },
    { runner: 'vitest', cwd: 'packages/contract' },
    { runner: 'vitest', cwd: 'packages/local-stack', args: ['--project', 'unit'] },
    { runner: 'vitest', cwd: 'packages/server-kit' },
    { runner: 'vitest', cwd: 'scripts' },
    { runner: 'vitest', cwd: 'packages/dev-cert' },
    // The Kubernetes manifests against the Kubernetes API's schema, and against each other.
    { runner: 'vitest', cwd: 'deploy' },
  ],
  { sideBySide: 3 },
);
await suite('api', [{ runner: 'vitest', cwd: 'apps/api', args: ['--project', 'api'] }]);
await suite('database', [{ runner: 'vitest', cwd: 'apps/api', args: ['--project', 'database'] }]);
// The API scaled out: HAProxy in front of three replicas on PostgreSQL and Redis.
await suite('edge', [{ runner: 'vitest', cwd: 'packages/local-stack', args: ['--project', 'edge'] }]);
await suite('browser', [{ runner: 'playwright', cwd: 'apps/web' }]);
await suite('bench', [{ runner: 'vitest', cwd: 'bench' }]);
await suite('observability', [{ runner: 'vitest', cwd: 'observability' }]);
await check('k6 scripts type-check', ['--filter', '@tandem/loadtests', 'typecheck']);
await check('docker-compose config', ['--file', 'docker-compose.yml', 'config', '--quiet'], 'docker-compose');
// #region labs
await finishTemplateSuite(template);
// The lab smoke runs measure (tuned must beat naive): they run alone, last.
await suite('labs', [{ runner: 'vitest', cwd: 'labs' }]);
// #endregion labs

banner('summary');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const { name, kind, counts, seconds, cpuSeconds } of results) {
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  const mark = counts.failed === 0 ? '✓' : '✗';
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
  const cpu = cpuSeconds === null ? '' : `, ${cpuSeconds.toFixed(0)} s CPU`;
  console.log(
    `${mark} ${kind.padEnd(5)} ${name.padEnd(26)} ${String(counts.passed).padStart(4)} passed, ${counts.failed} failed${skipped}  (${seconds.toFixed(1)} s${cpu})`,
  );
}
const failed = formatFailures(results.flatMap(({ name, failures }) => failures.map((f) => ({ suite: name, ...f }))));
if (failed) console.log(`\n${failed}`);
console.log(`total time ${elapsed()}`);
// What the work itself costs, however it is laid out: no schedule on these cores ends sooner.
const cpuSeconds = runCpuSeconds();
const cores = availableParallelism();
if (cpuSeconds !== null) {
  console.log(
    `CPU ${cpuSeconds.toFixed(0)} s (user + system, this run and every process it started) on ${cores} cores: ` +
      `at least ${(cpuSeconds / cores).toFixed(0)} s of wall time, however the work is laid out`,
  );
}
writeFileSync(join(reports, 'summary.json'), `${JSON.stringify({ total, results, cpuSeconds, cores }, null, 2)}\n`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 ? 0 : 1);

// #region labs
/**
 * The product without the workshop, kept working: `pnpm template:strip` into a temporary
 * folder, then the copy's own checks and product suites, summed here as one suite. It runs
 * beside this tree's checks and suites (they mostly wait on sockets and one process each),
 * its output going to a file that is shown when it is awaited.
 * @returns {{ done: Promise<(typeof results)[number]>, logFile: string, endedAt: number[] } | undefined}
 */
function startTemplateSuite() {
  const name = 'template (stripped copy)';
  if (!selected('template')) return undefined;
  const logFile = join(reports, 'template.log');
  writeFileSync(logFile, '');
  console.log(`\n(${name} runs beside the suites below; its output, in ${logFile}, follows them)`);
  const t0 = Date.now();
  const copy = join(mkdtempSync(join(tmpdir(), 'tandem-template-')), 'product');
  const seconds = () => (Date.now() - t0) / 1000;
  /** When each process this suite runs beside the others ended: its CPU lands in whatever check or suite was running then. */
  const endedAt = /** @type {number[]} */ ([]);
  const fail = (/** @type {string} */ reason) => ({
    name,
    kind: /** @type {const} */ ('suite'),
    counts: { passed: 0, failed: 1, skipped: 0 },
    seconds: seconds(),
    cpuSeconds: null,
    startedAt: t0,
    endedAt: Date.now(),
    failures: [{ test: name, file: '', reason }],
  });
  const done = (async () => {
    const stripped = await runCommand('node', [join(root, 'scripts', 'template-strip.mjs'), copy], {
      cwd: root,
      logFile,
    });
    endedAt.push(Date.now());
    if (stripped !== 0) return fail(`pnpm template:strip exited ${stripped}`);
    const suites = ['lint', 'typecheck', 'build', ...COPY_SUITES].join(',');
    await runCommand('node', ['scripts/test.mjs', '--only', suites], { cwd: copy, logFile });
    endedAt.push(Date.now());
    /** @type {{ total: Counts, results: typeof results, cpuSeconds: number | null }} */
    let summary;
    try {
      summary = JSON.parse(readFileSync(join(copy, '.tandem-test', 'summary.json'), 'utf8'));
    } catch {
      return fail(`the copy's npm test left no summary (see its output)`);
    }
    if (summary.total.failed === 0) rmSync(copy, { recursive: true, force: true });
    else appendFileSync(logFile, `The stripped copy is kept for a look: ${copy}\n`);
    return {
      name,
      kind: /** @type {const} */ ('suite'),
      counts: summary.total,
      seconds: seconds(),
      // The copy's whole run (its setup too), as its own summary counted it.
      cpuSeconds: summary.cpuSeconds ?? null,
      startedAt: t0,
      endedAt: Date.now(),
      failures: summary.results.flatMap((inner) =>
        inner.failures.map((f) => ({ ...f, test: `${inner.name} › ${f.test}` })),
      ),
    };
  })();
  return { done, logFile, endedAt };
}

/**
 * Waits for the template suite, shows its output and counts it.
 * @param {ReturnType<typeof startTemplateSuite>} template
 */
async function finishTemplateSuite(template) {
  if (!template) return;
  const result = await template.done;
  banner(`suite: ${result.name} (its output, from ${template.logFile})`);
  process.stdout.write(readFileSync(template.logFile, 'utf8'));
  // A check or suite that was running when one of the copy's processes ended got that
  // process's CPU too: its own is unknown.
  for (const other of results) {
    if (template.endedAt.some((at) => other.startedAt <= at && at <= other.endedAt)) other.cpuSeconds = null;
  }
  results.push(result);
}
// #endregion labs
