import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild, freePorts, type RunningWeb, ServerProcess, startWeb } from '@tandem/local-stack';
import { DropProxy } from './support/drop-proxy';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const apiDir = fileURLToPath(new URL('../../api', import.meta.url));
const HOST = 'localhost';
/** The first start of the embedded PGlite database (migrations, seed) takes ~15 s. */
const API_READY_MS = 90_000;
const LISTENER_READY_MS = 30_000;

/**
 * Starts the real API (fresh database; its HTTP/2 and its HTTP/1.1-only listener; the labs
 * on, admin with a random token, the demo accounts with a random password) and the web app's production server twice over the one
 * production build (made once per source state and reused: local-stack's ensureWebBuild):
 * one with the lab layer on (every spec but one), one with it off (the product alone,
 * e2e/without-labs.spec.ts); all over HTTPS on free ports. Returns the teardown
 * that stops them. The browser reaches the HTTP/2 listener through a TCP pass-through a
 * test can cut (support/drop-proxy.ts). The tests read TANDEM_E2E_WEB_URL,
 * TANDEM_E2E_PRODUCT_WEB_URL (the build without labs), TANDEM_E2E_API_URL (the proxy),
 * TANDEM_E2E_API_DIRECT_URL, TANDEM_E2E_API_H1_URL, TANDEM_E2E_NETWORK_URL (the proxy's
 * control), TANDEM_E2E_ADMIN_TOKEN, TANDEM_E2E_API_LOG (the API's log file),
 * TANDEM_E2E_DEMO_PASSWORD (the seeded demo accounts') and TANDEM_E2E_STORAGE_STATE (where
 * the setup project saves the demo user's signed-in state, e2e/sign-in.setup.ts).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
  const [apiPort, apiH1Port, webPort, productWebPort, proxyPort, controlPort] = await freePorts(6, HOST);
  const apiDirectUrl = `https://${HOST}:${apiPort}`;
  const apiUrl = `https://${HOST}:${proxyPort}`;
  const networkUrl = `http://${HOST}:${controlPort}`;
  const apiH1Url = `https://${HOST}:${apiH1Port}`;
  const adminToken = randomBytes(18).toString('base64url');
  // The demo accounts' password (the API seeds demo@ and admin@tandem.local with it).
  const demoPassword = `demo-${randomBytes(12).toString('base64url')}`;
  const storageStateFile = join(workDir, 'demo-user.storage-state.json');
  const webUrl = `https://${HOST}:${webPort}`;
  const productWebUrl = `https://${HOST}:${productWebPort}`;
  const apiLogFile = join(workDir, 'api.log');
  const started: (ServerProcess | RunningWeb)[] = [];
  let proxy: DropProxy | undefined;
  const baseEnv = { ...process.env, FORCE_COLOR: '0' };

  const teardown = async () => {
    await proxy?.stop();
    await Promise.all(started.map((server) => server.stop()));
    if (!process.env.TANDEM_E2E_KEEP) rmSync(workDir, { recursive: true, force: true });
  };

  try {
    // One certificate for both servers, written before either starts, so they cannot race.
    await ServerProcess.start({
      name: 'dev certificate',
      command: join(webDir, 'node_modules/.bin/tsx'),
      args: ['--conditions=@tandem/source', join(webDir, 'node_modules/@tandem/dev-cert/src/cli.ts')],
      cwd: webDir,
      env: baseEnv,
      logFile: join(workDir, 'dev-cert.log'),
    }).succeeded();

    const api = ServerProcess.start({
      name: 'api',
      command: join(apiDir, 'node_modules/.bin/tsx'),
      args: ['--conditions=@tandem/source', 'src/server.ts'],
      cwd: apiDir,
      env: {
        ...baseEnv,
        API_HOST: HOST,
        API_PORT: String(apiPort),
        API_H1_PORT: String(apiH1Port),
        CORS_ORIGINS: `${webUrl},${productWebUrl}`,
        ADMIN_TOKEN: adminToken,
        DEMO_PASSWORD: demoPassword,
        // #region labs
        // The lab layer and its admin routes (the Lab console's specs flip labs).
        LABS_ENABLED: 'true',
        // Every lab starts tuned, whatever the shell running the tests has set.
        LAB_MODE_H2_SSE: 'tuned',
        LAB_MODE_HEARTBEAT: 'tuned',
        LAB_MODE_LEAKS: 'tuned',
        // #endregion labs
        PGLITE_DATA_DIR: join(workDir, 'pglite'),
        SEED_ORDERS: '60',
        // info: the request lines, and the `rum api-call` line of each beaconed call (e2e/rum.spec.ts).
        LOG_LEVEL: 'info',
        // No load shedding: a busy machine must not turn a spec's answer into a 503
        // (e2e/load-shedding.spec.ts starts an API of its own that sheds).
        LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
        LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
        LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
      },
      logFile: apiLogFile,
    });
    started.push(api);

    // Built (or found in the cache) while the API's database starts; both servers serve
    // that one build, each with its own settings.
    await ensureWebBuild();
    const web = { workDir, apiOrigin: apiUrl, h1Origin: apiH1Url };
    const servers = await Promise.allSettled([
      startWeb({
        ...web,
        port: webPort,
        logFile: join(workDir, 'web.log'),
        labs: true, // #labs
      }),
      startWeb({ ...web, port: productWebPort, logFile: join(workDir, 'web-without-labs.log') }),
    ]);
    for (const server of servers) if (server.status === 'fulfilled') started.push(server.value);
    for (const server of servers) if (server.status === 'rejected') throw server.reason;

    await api.waitUntilReady(`${apiDirectUrl}/readyz`, API_READY_MS);
    await api.waitUntilReady(`${apiH1Url}/readyz`, LISTENER_READY_MS);
    proxy = await DropProxy.start(HOST, proxyPort as number, apiPort as number, controlPort as number);
    await api.waitUntilReady(`${apiUrl}/readyz`, LISTENER_READY_MS);
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.TANDEM_E2E_WEB_URL = webUrl;
  process.env.TANDEM_E2E_PRODUCT_WEB_URL = productWebUrl;
  process.env.TANDEM_E2E_API_URL = apiUrl;
  process.env.TANDEM_E2E_API_DIRECT_URL = apiDirectUrl;
  process.env.TANDEM_E2E_NETWORK_URL = networkUrl;
  process.env.TANDEM_E2E_API_H1_URL = apiH1Url;
  process.env.TANDEM_E2E_ADMIN_TOKEN = adminToken;
  process.env.TANDEM_E2E_API_LOG = apiLogFile;
  process.env.TANDEM_E2E_DEMO_PASSWORD = demoPassword;
  process.env.TANDEM_E2E_STORAGE_STATE = storageStateFile;
  return teardown;
}
