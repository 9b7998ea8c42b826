// `npm run demo`: installs what the demo needs and starts the API and the web app on
// their embedded defaults (PGlite on disk, a generated dev certificate), both over
// HTTP/2 with TLS, then prints the URLs and the admin token. `npm run demo -- --prod`
// builds and runs what ships instead of the dev servers: the compiled API, and the SPA's
// production build served by its production server (apps/web/server), the same server the
// Dockerfile runs. The SPA's settings (WEB_API_URL, …) are read when a server starts, in
// both modes. Ctrl-C stops both.
//
// `npm run demo -- --replicas 3` starts Tandem scaled out instead: PostgreSQL, Redis, three
// API replicas behind HAProxy, and the SPA's production server calling it
// (scripts/lib/scale-out-demo.mjs).
// #region labs
// The labs are on (LABS_ENABLED, WEB_LABS_ENABLED); `LABS_ENABLED=false npm run demo`
// shows the product without the workshop.
// #endregion labs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensurePnpm } from './lib/ensure-pnpm.mjs';
import { runCommand } from './lib/run-command.mjs';
import { parseReplicas, runScaleOutDemo } from './lib/scale-out-demo.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--prod');
// Not strict: other arguments are ignored, as they always were.
const { values: flags } = parseArgs({ options: { replicas: { type: 'string' } }, strict: false });
const scaleOut = flags.replicas === undefined ? null : parseReplicas(flags.replicas);
if (scaleOut && 'error' in scaleOut) {
  console.error(`✗ ${scaleOut.error}`);
  process.exit(2);
}
const apiPort = process.env.API_PORT ?? '8443';
const webPort = process.env.WEB_PORT ?? '5173';
const apiUrl = process.env.WEB_API_URL ?? `https://localhost:${apiPort}`;
const webUrl = `https://localhost:${webPort}`;
// #region labs
const labs = (process.env.LABS_ENABLED ?? 'true') === 'true';
// #endregion labs
// The admin routes' token (the v2 rollout, heap snapshots, the lab switches): yours, or one for this run.
const adminToken = process.env.ADMIN_TOKEN || randomBytes(12).toString('hex');
// The demo accounts' password (apps/api/src/plugins/app/demo-accounts.ts): yours, or one for this run.
// Demo data only: docs/template.md says to remove the demo accounts from a product.
const demoPassword = process.env.DEMO_PASSWORD || `demo-${randomBytes(6).toString('hex')}`;
const env = {
  ...process.env,
  API_PORT: apiPort,
  WEB_PORT: webPort,
  WEB_API_URL: apiUrl,
  CORS_ORIGINS: process.env.CORS_ORIGINS ?? webUrl,
  // #region labs
  LABS_ENABLED: labs ? 'true' : 'false',
  WEB_LABS_ENABLED: process.env.WEB_LABS_ENABLED ?? (labs ? 'true' : 'false'),
  WEB_API_H1_URL: process.env.WEB_API_H1_URL ?? `https://localhost:${process.env.API_H1_PORT || '8444'}`,
  // #endregion labs
  ADMIN_TOKEN: adminToken,
  DEMO_PASSWORD: demoPassword,
};

const pnpm = await ensurePnpm();
const pnpmArgs = (/** @type {string[]} */ args) => [...pnpm.prefix, ...args];
const step = async (/** @type {string} */ label, /** @type {string[]} */ args) => {
  console.log(`› ${label}`);
  const code = await runCommand(pnpm.command, pnpmArgs(args), { cwd: root, env });
  if (code !== 0) {
    console.error(`✗ ${label} failed (exit ${code})`);
    process.exit(code);
  }
};

await step('installing npm packages', ['install']);
// One certificate for both servers, created before either starts so they cannot race.
await step('preparing the development TLS certificate', ['--filter', '@tandem/dev-cert', 'ensure']);

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
/**
 * Starts one server, its output prefixed on the console. With `jsonLog`, its stdout's
 * JSON lines (pino's, unprefixed) are also appended to that file: `pnpm trace <id>` reads it.
 */
function start(
  /** @type {string} */ name,
  /** @type {string[]} */ args,
  /** @type {import('node:fs').WriteStream | undefined} */ jsonLog = undefined,
) {
  const child = spawn(pnpm.command, pnpmArgs(args), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        process.stdout.write(`${prefix}${line}\n`);
        if (jsonLog && stream === child.stdout && line.startsWith('{')) jsonLog.write(`${line}\n`);
      }
    });
  }
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${prefix}exited with code ${code}; stopping the demo.`);
      stop(code ?? 1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(/** @type {number} */ code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
  Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.on('exit', r)) : null))).then(
    () => process.exit(code),
  );
}
/** The default demo: the API and the web app, one process each, on PGlite. */
async function startOneProcess() {
  if (production) await step('building for production', ['-r', 'build']);
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const apiLogFile = join(root, '.data', 'logs', 'api.ndjson');
  mkdirSync(join(root, '.data', 'logs'), { recursive: true });
  start(
    'api',
    ['--filter', '@tandem/api', production ? 'start' : 'dev'],
    createWriteStream(apiLogFile, { flags: 'a' }),
  );
  start('web', ['--filter', '@tandem/web', production ? 'start' : 'dev']);

  // The first start of the embedded database creates it and seeds 10,000 orders (~20 s).
  const ready = await waitFor(`${apiUrl}/readyz`, 180_000);
  const served = ready && (await waitFor(`${webUrl}/`, 60_000));
  if (!ready || !served) {
    console.error(`✗ ${ready ? 'the web app' : 'the API'} did not become ready; see the log above.`);
    stop(1);
  } else {
    console.log(`
  Tandem is running (${production ? 'production build' : 'dev servers'}, HTTP/2 + TLS):
    web app  ${webUrl}/
    API      ${apiUrl}/api/v1/orders   (health: ${apiUrl}/healthz)
  Sign in (demo accounts, password ${demoPassword}):
    demo@tandem.local    a user: the seeded orders are theirs
    admin@tandem.local   an admin: every order, and the reports
  Admin token (ADMIN_TOKEN): ${adminToken}
  The certificate is self-signed: accept it once in the browser for BOTH origins,
  or trust .certs/localhost.crt, or bring your own (README: "TLS certificate").
  API log (pino NDJSON, appended): ${apiLogFile}
    pnpm trace <request-id>   one request's browser timing, server log lines and Server-Timing
  Ctrl-C stops both servers.
`);
    // #region labs
    console.log(`  ${labs ? `Labs on: the Lab console is at ${webUrl}/labs` : 'Labs off: the product alone'}\n`);
    // #endregion labs
  }
}

/** Polls a URL (self-signed TLS accepted) until it answers 2xx or the time runs out. */
async function waitFor(/** @type {string} */ url, /** @type {number} */ timeoutMs) {
  const { request } = await import('node:https');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    const ok = await new Promise((resolve) => {
      const req = request(url, { rejectUnauthorized: false, timeout: 2000 }, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 300);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

if (scaleOut) {
  await step('building the local stack', ['--filter', '@tandem/local-stack...', 'build']);
  await runScaleOutDemo({
    root,
    replicas: scaleOut.replicas,
    apiPort: Number(apiPort),
    webPort: Number(webPort),
    adminToken,
    demoPassword,
    labs, // #labs
  });
} else await startOneProcess();
