import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { devCertFile, haproxyConfigTemplate } from './repo-paths.js';
import { ServerProcess } from './server-process.js';

export interface HaproxyBackend {
  /** The server's name in HAProxy's stats (`api1`, …). */
  name: string;
  /** `host:port` of a replica's TLS listener. */
  address: string;
}

export interface StartHaproxyOptions {
  backends: readonly HaproxyBackend[];
  /** Where the written configuration and the log go. */
  workDir: string;
  /** The balancer's port on loopback; default a free one. */
  port?: number;
  /** The certificate browsers get (its key: the same name with `.key` for `.crt`); default the dev certificate. */
  certFile?: string;
  /** Pin HAProxy to these CPUs (`taskset -c`), e.g. '0'; it starts one thread per CPU it may use. */
  cpuList?: string;
}

/** A server's state as HAProxy's health checks see it: `UP`, `DOWN`, `MAINT`, `UP 1/2` while rising, … */
export type ServerStates = Record<string, string>;

export interface RunningHaproxy {
  /** `https://localhost:<port>`: HTTP/2 and HTTP/1.1 over TLS, as the browser sees it. */
  origin: string;
  /** Plain HTTP on loopback: `/stats` (`/stats;csv`) and `/metrics` (Prometheus). */
  statsOrigin: string;
  /** The configuration it runs, written from deploy/haproxy/haproxy.cfg. */
  configFile: string;
  /** Each backend server's state, by name. */
  serverStates(): Promise<ServerStates>;
  /** Resolves once every backend server is UP (checked), rejects after `timeoutMs`. */
  waitUntilAllUp(timeoutMs?: number): Promise<void>;
  process: ServerProcess;
  stop(): Promise<void>;
}

const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const SERVERS_REGION = /( *# servers: begin\n)[\s\S]*?( *# servers: end\n)/;

/**
 * HAProxy (Debian's) in front of `backends`, with the configuration docker-compose.yml
 * uses, its servers region replaced by one `server` line per backend; in the foreground
 * (`-db`), stopped by its pid. Waits until it answers and every server is UP.
 */
export async function startHaproxy(options: StartHaproxyOptions): Promise<RunningHaproxy> {
  if (!existsSync(HAPROXY)) {
    throw new Error(`${HAPROXY} not found. Install it with \`sudo apt-get install haproxy\` (or set HAPROXY_BIN).`);
  }
  const [port = 0, statsPort = 0] = options.port
    ? [options.port, ...(await freePorts(1, '127.0.0.1'))]
    : await freePorts(2, '127.0.0.1');
  const configFile = join(options.workDir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(options.backends));
  const haproxy = ServerProcess.start({
    name: 'haproxy',
    command: options.cpuList ? 'taskset' : HAPROXY,
    args: [...(options.cpuList ? ['-c', options.cpuList, HAPROXY] : []), '-db', '-f', configFile],
    cwd: options.workDir,
    env: {
      ...process.env,
      EDGE_BIND: `127.0.0.1:${port}`,
      EDGE_CERT_FILE: options.certFile ?? devCertFile,
      EDGE_STATS_BIND: `127.0.0.1:${statsPort}`,
    },
    logFile: join(options.workDir, 'haproxy.log'),
  });
  const origin = `https://localhost:${port}`;
  const statsOrigin = `http://127.0.0.1:${statsPort}`;
  const serverStates = () => readServerStates(statsOrigin);
  const waitUntilAllUp = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let states: ServerStates = {};
    while (Date.now() < deadline) {
      states = await serverStates().catch(() => ({}));
      const names = Object.keys(states);
      if (names.length === options.backends.length && names.every((name) => states[name] === 'UP')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`haproxy: not every server was UP within ${timeoutMs / 1000} s: ${JSON.stringify(states)}`);
  };
  try {
    await haproxy.waitUntilReady(`${origin}/readyz`, 30_000);
    await waitUntilAllUp();
  } catch (error) {
    await haproxy.stop();
    throw error;
  }
  return {
    origin,
    statsOrigin,
    configFile,
    serverStates,
    waitUntilAllUp,
    process: haproxy,
    stop: () => haproxy.stop(),
  };
}

/** deploy/haproxy/haproxy.cfg with these backends in its servers region. */
export function haproxyConfig(backends: readonly HaproxyBackend[]): string {
  const template = readFileSync(haproxyConfigTemplate, 'utf8');
  if (!SERVERS_REGION.test(template)) throw new Error(`${haproxyConfigTemplate} has no "# servers: begin/end" region`);
  const servers = backends.map(({ name, address }) => `  server ${name} ${address}\n`).join('');
  return template.replace(SERVERS_REGION, (_region, begin: string, end: string) => `${begin}${servers}${end}`);
}

/** The backend servers' states from HAProxy's CSV stats (`pxname`, `svname`, `status` columns). */
async function readServerStates(statsOrigin: string): Promise<ServerStates> {
  const csv = await new Promise<string>((resolve, reject) => {
    const req = request(`${statsOrigin}/stats;csv`, { timeout: 2_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('stats: no answer within 2 s')));
    req.on('error', reject);
    req.end();
  });
  const [header = '', ...rows] = csv.trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
  const states: ServerStates = {};
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[proxy as number] !== 'api') continue;
    const name = cells[server as number] ?? '';
    if (name === 'BACKEND' || name === 'FRONTEND') continue;
    states[name] = cells[status as number] ?? '';
  }
  return states;
}
