import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { typescriptNodeArgs, webDir } from './repo-paths.js';
import { ServerProcess } from './server-process.js';
import { ensureWebBuild } from './web-build.js';

export interface StartWebOptions {
  workDir: string;
  /** The API origins the SPA calls (HTTP/2 and HTTP/1.1-only listeners). */
  apiOrigin: string;
  h1Origin: string;
  /** A port chosen beforehand (so the API's CORS list can name the web origin). */
  port?: number;
  // #region labs
  /**
   * Serves the SPA with the workshop's lab layer on (`WEB_LABS_ENABLED=true`: the Lab
   * console, the labs' settings applied to the tab). Default false: the product alone.
   */
  labs?: boolean;
  // #endregion labs
  /** Where the server's output goes; default `<workDir>/web.log`, appended to. */
  logFile?: string;
}

export interface RunningWeb {
  origin: string;
  stop(): Promise<void>;
}

/**
 * Serves the SPA's production build (made once per source state and reused: web-build.ts)
 * with its production server (apps/web/server, from source) over HTTP/2 + TLS on a free
 * port, the API origin given at run time, and waits until it answers.
 */
export async function startWeb(options: StartWebOptions): Promise<RunningWeb> {
  const host = 'localhost';
  const port = options.port ?? (await freePorts(1, host))[0];
  const { distDir } = await ensureWebBuild();
  const web = ServerProcess.start({
    name: 'web server',
    command: process.execPath,
    args: [...typescriptNodeArgs, 'server/server.ts'],
    cwd: webDir,
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      WEB_HOST: host,
      WEB_PORT: String(port),
      WEB_DIST_DIR: distDir,
      WEB_LOG_LEVEL: 'warn',
      WEB_API_URL: options.apiOrigin,
      WEB_API_H1_URL: options.h1Origin, // #labs
      WEB_LABS_ENABLED: String(options.labs ?? false), // #labs
    },
    logFile: options.logFile ?? join(options.workDir, 'web.log'),
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
