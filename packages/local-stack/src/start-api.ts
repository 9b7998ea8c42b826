import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { apiDir, devCertCli, tsxBin, typescriptNodeArgs } from './repo-paths.js';
import { ServerProcess } from './server-process.js';
import { DEMO_ADMIN_EMAIL, DEMO_USER_EMAIL, signIn } from './sign-in.js';

export interface StartApiOptions {
  /** Folder for the PGlite data (reused between runs when it persists) and the log. */
  workDir: string;
  /** Extra or overriding environment for the API (see .env.example). */
  env?: Record<string, string>;
  /** Origins allowed by CORS. */
  corsOrigins?: string[];
  /** The first start of an embedded database takes ~10 s. */
  readyTimeoutMs?: number;
  /** Pin the server to these CPUs (`taskset -c`), e.g. '0', so a load generator can have the others. */
  cpuList?: string;
  /** Where the API's stdout and stderr (its pino lines) go; default `<workDir>/api.log`, appended to. */
  logFile?: string;
  /** Extra Node flags for the API process, e.g. `--inspect=127.0.0.1:<port>` for a lab that records a CPU profile. */
  nodeArgs?: string[];
  /** The listeners' ports; default free ones. A restarted replica takes its ports again. */
  port?: number;
  h1Port?: number;
  /**
   * Sessions already signed in on this database (another replica's, or this one's before a
   * restart): used as they are instead of signing in again, which the sign-in limits count.
   */
  sessions?: RunningApi['sessions'];
  /** ADMIN_TOKEN and DEMO_PASSWORD; default random ones. Replicas of one database share them. */
  adminToken?: string;
  demoPassword?: string;
  // #region labs
  /**
   * Register the workshop's lab layer (LABS_ENABLED=true: the lab switches, GET /api/v1/labs,
   * LAB_MODE_* read from `env`). Default false: the product alone.
   */
  labs?: boolean;
  // #endregion labs
}

export interface RunningApi {
  /** HTTP/2 (and HTTP/1.1) listener. */
  origin: string;
  /** The HTTP/1.1-only listener (ALPN http/1.1), for the h2-sse lab. */
  h1Origin: string;
  /** ADMIN_TOKEN the API was started with (a random one): the admin routes' bearer token. */
  adminToken: string;
  /**
   * `Cookie` header values of two signed-in sessions: the demo user's (it owns the seeded
   * orders) and the demo admin's (every order, and the reports). Send one with every call
   * but the public ones (health, version, beacons).
   */
  sessions: { user: string; admin: string };
  /** DEMO_PASSWORD the API was started with (a random one): `signIn(origin, DEMO_USER_EMAIL, it)` for another session. */
  demoPassword: string;
  process: ServerProcess;
  /**
   * SIGTERM (the API drains for SHUTDOWN_DRAIN_MS, then closes), or another signal:
   * SIGKILL is a crash. SIGKILL after `graceMs` if it is still there.
   */
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<void>;
}

/**
 * Starts the real API from its TypeScript source on two free loopback ports, with the
 * admin routes on (a random ADMIN_TOKEN) and the demo accounts (a random DEMO_PASSWORD),
 * waits until `/readyz` answers, and signs in as the demo user and the demo admin.
 */
export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const host = 'localhost';
  const [freePort, freeH1Port] = await freePorts(2, host);
  const port = options.port ?? freePort;
  const h1Port = options.h1Port ?? freeH1Port;
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
  const demoPassword = options.demoPassword ?? `demo-${randomBytes(8).toString('hex')}`;

  // The certificate first, so servers started together never race to write it.
  await ServerProcess.start({
    name: 'dev certificate',
    command: tsxBin,
    args: ['--conditions=@tandem/source', devCertCli],
    cwd: apiDir,
    env: process.env,
    logFile: join(options.workDir, 'dev-cert.log'),
  }).succeeded();

  const serverArgs = [...typescriptNodeArgs, ...(options.nodeArgs ?? []), 'src/server.ts'];
  const api = ServerProcess.start({
    name: 'api',
    command: options.cpuList ? 'taskset' : process.execPath,
    args: options.cpuList ? ['-c', options.cpuList, process.execPath, ...serverArgs] : serverArgs,
    cwd: apiDir,
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      API_HOST: host,
      API_PORT: String(port),
      API_H1_PORT: String(h1Port),
      ADMIN_TOKEN: adminToken,
      DEMO_PASSWORD: demoPassword,
      LABS_ENABLED: String(options.labs ?? false), // #labs
      PGLITE_DATA_DIR: join(options.workDir, 'pglite'),
      SEED_ORDERS: '1000',
      LOG_LEVEL: 'warn',
      CORS_ORIGINS: (options.corsOrigins ?? [`https://${host}:${port}`]).join(','),
      // No load shedding unless `env` sets thresholds: a lab or benchmark measures something
      // else, and the load it drives on a shared machine must not turn its answers into 503s.
      LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
      LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
      LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
      ...options.env,
    },
    logFile: options.logFile ?? join(options.workDir, 'api.log'),
  });
  const origin = `https://${host}:${port}`;
  let sessions: RunningApi['sessions'];
  try {
    await api.waitUntilReady(`${origin}/readyz`, options.readyTimeoutMs ?? 90_000);
    if (options.sessions) {
      sessions = options.sessions;
    } else {
      const [user, admin] = await Promise.all([
        signIn(origin, DEMO_USER_EMAIL, demoPassword),
        signIn(origin, DEMO_ADMIN_EMAIL, demoPassword),
      ]);
      sessions = { user: user as string, admin: admin as string };
    }
  } catch (error) {
    await api.stop();
    throw error;
  }
  return {
    origin,
    h1Origin: `https://${host}:${h1Port}`,
    adminToken,
    sessions,
    demoPassword,
    process: api,
    stop: ({ signal, graceMs } = {}) => api.stop(graceMs, signal),
  };
}
