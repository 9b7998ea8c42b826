import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { tsxBin, webDir } from './repo-paths.js';
import { ServerProcess } from './server-process.js';

export interface StartWebOptions {
  workDir: string;
  /** The API origins the build calls (HTTP/2 and HTTP/1.1-only listeners). */
  apiOrigin: string;
  h1Origin: string;
  /** A port chosen beforehand (so the API's CORS list can name the web origin). */
  port?: number;
  /**
   * Builds the SPA with its lab layer (`VITE_LABS_ENABLED=true`: the Lab console, the labs'
   * settings applied to the tab); `false` builds the product alone. Default true.
   */
  labs?: boolean;
}

export interface RunningWeb {
  origin: string;
  stop(): Promise<void>;
}

/** Vite as the web package's `vite` script runs it: config through tsx, the contract from source. */
function vite(args: readonly string[]) {
  return {
    command: tsxBin,
    args: ['--conditions=@tandem/source', 'node_modules/vite/bin/vite.js', '--configLoader', 'native', ...args],
    cwd: webDir,
  };
}

/**
 * Builds the SPA for production against the given API origins into `workDir` (with its
 * lab layer unless `labs: false`), serves it with `vite preview` over HTTP/2 + TLS on a
 * free port, and waits until it answers.
 */
export async function startWeb(options: StartWebOptions): Promise<RunningWeb> {
  const host = 'localhost';
  const port = options.port ?? (await freePorts(1, host))[0];
  const outDir = join(options.workDir, 'web-dist');
  const env = {
    ...process.env,
    FORCE_COLOR: '0',
    VITE_API_URL: options.apiOrigin,
    VITE_API_H1_URL: options.h1Origin,
    VITE_LABS_ENABLED: String(options.labs ?? true),
  };
  await ServerProcess.start({
    name: 'web build',
    ...vite(['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn']),
    env,
    logFile: join(options.workDir, 'web-build.log'),
  }).succeeded();

  const web = ServerProcess.start({
    name: 'web preview',
    ...vite(['preview', '--outDir', outDir]),
    env: { ...env, WEB_HOST: host, WEB_PORT: String(port) },
    logFile: join(options.workDir, 'web.log'),
  });
  const origin = `https://${host}:${port}`;
  try {
    await web.waitUntilReady(`${origin}/`, 30_000);
  } catch (error) {
    await web.stop();
    throw error;
  }
  return { origin, stop: () => web.stop() };
}
