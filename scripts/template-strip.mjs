// pnpm template:strip <dir>   writes Tandem without the workshop into <dir>, ready to start a product
//
// The copy holds every tracked file but the labs (scripts/lib/workshop-files.mjs), with the
// lab markers' blocks cut; then it installs, re-generates what is generated (OpenAPI,
// dashboards) and stages everything in a new git repository. `npm test` runs it into a
// temporary folder and runs the copy's own checks, so the product without the labs cannot rot.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePnpm } from './lib/ensure-pnpm.mjs';
import { runCommand } from './lib/run-command.mjs';
import { stripTemplate } from './lib/template-strip.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [target, ...rest] = process.argv.slice(2);
if (!target || rest.length > 0 || target === '--help' || target === '-h') {
  console.log('usage: pnpm template:strip <dir>   (a new or empty folder outside this repository)');
  process.exit(target ? 0 : 2);
}
const to = resolve(process.env.INIT_CWD ?? process.cwd(), target);
if (to === root || to.startsWith(`${root}/`) || root.startsWith(`${to}/`)) {
  console.error(`template:strip: ${to} is inside this repository (or holds it); choose a folder elsewhere.`);
  process.exit(2);
}
if (existsSync(to) && readdirSync(to).length > 0) {
  console.error(`template:strip: ${to} is not empty; choose a new or empty folder.`);
  process.exit(2);
}

const started = Date.now();
const step = (/** @type {string} */ text) => console.log(`› ${text} [${((Date.now() - started) / 1000).toFixed(0)} s]`);

step(`copying the product into ${to}`);
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const { copied, left, edited } = stripTemplate({ from: root, to, files });
console.log(
  `  ${copied} files copied, ${left.length} workshop files left out, ${edited.length} files had lab parts cut:`,
);
for (const path of edited) console.log(`    ${path}`);

const pnpm = await ensurePnpm();
const run = async (/** @type {string} */ what, /** @type {string[]} */ args) => {
  step(what);
  const code = await runCommand(pnpm.command, [...pnpm.prefix, ...args], { cwd: to, env: { ...process.env, CI: '' } });
  if (code !== 0) {
    console.error(`template:strip: "${what}" exited ${code}; the copy in ${to} is incomplete.`);
    process.exit(1);
  }
};
await run('installing (the lockfile loses the workshop packages)', [
  'install',
  '--prefer-offline',
  '--reporter=silent',
]);
await run('re-generating the OpenAPI documents', ['openapi']);
await run('re-generating the dashboards', ['--filter', '@tandem/observability', 'dashboards']);
await run('tidying what was edited (imports only a cut part used, blank lines)', [
  'exec',
  'biome',
  'check',
  '--write',
  '--unsafe',
  '--no-errors-on-unmatched',
  ...edited,
]);

step('staging it in a new git repository');
execFileSync('git', ['init', '-q'], { cwd: to });
execFileSync('git', ['add', '-A'], { cwd: to });

step('done');
console.log(`
Your product starts in ${to}:
  cd ${to}
  git commit -m "Start from Tandem"
  npm run demo        # the app on its embedded database
  npm test            # every check and suite
Then work through docs/template.md (names, data, certificates, environment).`);
