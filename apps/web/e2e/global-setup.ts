import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './support/free-port';
import { ServerProcess } from './support/server-process';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const apiDir = fileURLToPath(new URL('../../api', import.meta.url));
const HOST = 'localhost';
/** The first start of the embedded PGlite database (migrations, seed) takes ~15 s. */
const API_READY_MS = 90_000;
const WEB_READY_MS = 30_000;

/**
 * Starts the real API (fresh database) and the production build of the web app served by
 * `vite preview`, both over HTTPS on free ports; returns the teardown that stops them.
 * The URLs reach the tests as TANDEM_E2E_WEB_URL and TANDEM_E2E_API_URL.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
  const [apiPort, webPort] = await freePorts(2, HOST);
  const apiUrl = `https://${HOST}:${apiPort}`;
  const webUrl = `https://${HOST}:${webPort}`;
  const outDir = join(workDir, 'dist');
  const started: ServerProcess[] = [];
  const baseEnv = { ...process.env, FORCE_COLOR: '0' };

  const teardown = async () => {
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
        CORS_ORIGINS: webUrl,
        PGLITE_DATA_DIR: join(workDir, 'pglite'),
        SEED_ORDERS: '60',
        LOG_LEVEL: 'warn',
      },
      logFile: join(workDir, 'api.log'),
    });
    started.push(api);

    // Built while the API's database starts: production mode, assets as they would ship.
    const build = ServerProcess.start({
      name: 'web build',
      ...vite(['build', '--outDir', outDir, '--emptyOutDir']),
      env: { ...baseEnv, VITE_API_URL: apiUrl },
      logFile: join(workDir, 'web-build.log'),
    });
    await build.succeeded();

    const web = ServerProcess.start({
      name: 'web preview',
      ...vite(['preview', '--outDir', outDir]),
      env: { ...baseEnv, WEB_HOST: HOST, WEB_PORT: String(webPort) },
      logFile: join(workDir, 'web.log'),
    });
    started.push(web);

    await Promise.all([
      web.waitUntilReady(`${webUrl}/`, WEB_READY_MS),
      api.waitUntilReady(`${apiUrl}/readyz`, API_READY_MS),
    ]);
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.TANDEM_E2E_WEB_URL = webUrl;
  process.env.TANDEM_E2E_API_URL = apiUrl;
  return teardown;
}

/** Vite as the package's `vite` script runs it (see package.json): config via tsx, contract from source. */
function vite(args: readonly string[]) {
  return {
    command: join(webDir, 'node_modules/.bin/tsx'),
    args: ['--conditions=@tandem/source', 'node_modules/vite/bin/vite.js', '--configLoader', 'native', ...args],
    cwd: webDir,
  };
}
