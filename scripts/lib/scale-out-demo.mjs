// `npm run demo -- --replicas N`: Tandem scaled out on loopback, without Docker, as the edge
// suite starts it (packages/local-stack's startScaleOut): PostgreSQL, Redis, N API replicas
// from source, HAProxy in front of them on the API's usual port, and the SPA's production
// server calling the balancer. Prints where each part is; Ctrl-C stops them all.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The most replicas: each signs in as both demo accounts, and one account's sign-in burst is 10. */
export const MAX_REPLICAS = 8;

/**
 * `--replicas`'s value as a number, or an error message that says what is expected.
 * @param {string | boolean | undefined} value as util.parseArgs gives it
 * @returns {{ replicas: number } | { error: string }}
 */
export function parseReplicas(value) {
  const text = typeof value === 'string' ? value.trim() : '';
  const replicas = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(replicas) && replicas >= 1 && replicas <= MAX_REPLICAS) return { replicas };
  const given = typeof value === 'string' ? `"${value}"` : 'nothing';
  return {
    error: `--replicas wants a whole number of API replicas from 1 to ${MAX_REPLICAS} (e.g. --replicas 3), not ${given}.`,
  };
}

/**
 * Starts the stack and keeps it up until SIGINT or SIGTERM.
 * @param {object} options
 * @param {string} options.root the repository
 * @param {number} options.replicas
 * @param {number} options.apiPort the balancer's port
 * @param {number} options.webPort
 * @param {string} options.adminToken
 * @param {string} options.demoPassword
 * @param {boolean} options.labs every server with its lab layer // #labs
 */
export async function runScaleOutDemo(options) {
  // Built by the caller (`pnpm --filter @tandem/local-stack... build`): plain Node imports its dist.
  /** @type {typeof import('../../packages/local-stack/src/index.ts')} */
  const localStack = await import(pathToFileURL(join(options.root, 'packages/local-stack/dist/index.js')).href);
  const workDir = join(options.root, '.data', 'scale-out');
  mkdirSync(workDir, { recursive: true });
  const webOrigin = `https://localhost:${options.webPort}`;

  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  let stopping = false;
  const stop = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    console.log('\n› stopping every server');
    for (const stopOne of stops.reverse()) await stopOne().catch((error) => console.error(error));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    console.log(`› starting PostgreSQL, Redis, ${options.replicas} API replicas and HAProxy (logs in ${workDir})`);
    const stack = await localStack.startScaleOut({
      replicas: options.replicas,
      workDir,
      port: options.apiPort,
      adminToken: options.adminToken,
      demoPassword: options.demoPassword,
      corsOrigins: [webOrigin],
      labs: options.labs, // #labs
      // The demo's data set, as the single-process demo seeds it.
      env: { SEED_ORDERS: process.env.SEED_ORDERS ?? '10000', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    });
    stops.push(() => stack.stop());
    if (stopping) return;
    console.log('› starting the SPA (its production build, served by apps/web/server)');
    const web = await localStack.startWeb({
      workDir,
      port: options.webPort,
      apiOrigin: stack.origin,
      // The h2-sse lab's HTTP/1.1-only listener: the first replica's, not balanced.
      h1Origin: stack.replicas[0]?.h1Origin ?? stack.origin,
      labs: options.labs, // #labs
    });
    stops.push(() => web.stop());
    const replicaLines = stack.replicas
      .map((api, index) => `    api${index + 1}     ${api.origin}   (log: ${join(workDir, `api${index + 1}.log`)})`)
      .join('\n');
    console.log(`
  Tandem is running scaled out (HTTP/2 + TLS through HAProxy):
    web app  ${web.origin}/
    API      ${stack.origin}/api/v1/orders   (HAProxy: leastconn over ${options.replicas} replicas)
  Each replica, directly:
${replicaLines}
  HAProxy's stats   ${stack.balancer.statsOrigin}/stats   (Prometheus: ${stack.balancer.statsOrigin}/metrics)
  PostgreSQL        ${stack.databaseUrl}
  Redis             ${stack.redis.url}
  Sign in (demo accounts, password ${stack.demoPassword}):
    demo@tandem.local    a user: the seeded orders are theirs
    admin@tandem.local   an admin: every order, and the reports
  Admin token (ADMIN_TOKEN): ${stack.adminToken}
  The certificate is self-signed: accept it once in the browser for BOTH origins,
  or trust .certs/localhost.crt, or bring your own (README: "TLS certificate").
  Ctrl-C stops them all.
`);
    // #region labs
    console.log(
      `  ${options.labs ? `Labs on: the Lab console is at ${web.origin}/labs` : 'Labs off: the product alone'}\n`,
    );
    // #endregion labs
  } catch (error) {
    console.error(`✗ the scaled-out demo did not start: ${error instanceof Error ? error.message : error}`);
    await stop(1);
  }
}
