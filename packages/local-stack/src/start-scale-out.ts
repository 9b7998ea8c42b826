import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { type RunningApi, startApi } from './start-api.js';
import { type RunningHaproxy, startHaproxy } from './start-haproxy.js';
import { startPostgres } from './start-postgres.js';
import { type RunningRedis, startRedis } from './start-redis.js';

export interface StartScaleOutOptions {
  /** How many API replicas run behind the balancer. */
  replicas: number;
  /** Where each server's log and the balancer's configuration go. */
  workDir: string;
  /** The balancer's port on loopback; default a free one. */
  port?: number;
  /** Extra or overriding environment for every replica (see .env.example). */
  env?: Record<string, string>;
  /** ADMIN_TOKEN and DEMO_PASSWORD of every replica; default random ones. */
  adminToken?: string;
  demoPassword?: string;
  /** Origins allowed by CORS (the SPA's); default the balancer's own. */
  corsOrigins?: string[];
  // #region labs
  /** Every replica with the workshop's lab layer (startApi's `labs`). */
  labs?: boolean;
  // #endregion labs
}

export interface RunningScaleOut {
  /** The balancer's origin: what a browser or a client calls. */
  origin: string;
  balancer: RunningHaproxy;
  /**
   * Each replica, reachable directly too (`origin`), in the balancer's order (`api1`, `api2`, …);
   * `startReplica` puts the new process in its place.
   */
  readonly replicas: RunningApi[];
  /**
   * Stops replica `index` (0-based) with `signal`: SIGTERM drains (`/readyz` 503 for
   * REPLICA_DRAIN_MS) and closes, as an orchestrator stops it; SIGKILL is a crash.
   */
  stopReplica(index: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /**
   * Starts replica `index` again on the ports it had, so the balancer's server line finds it
   * (HAProxy's health check then brings it back UP: `balancer.waitUntilAllUp()`).
   */
  startReplica(index: number): Promise<RunningApi>;
  /** The PostgreSQL database every replica shares. */
  databaseUrl: string;
  /** The Redis every replica shares (rate-limit buckets). */
  redis: RunningRedis;
  /** ADMIN_TOKEN and DEMO_PASSWORD, the same on every replica. */
  adminToken: string;
  demoPassword: string;
  /** Signed-in sessions (RunningApi's), valid on every replica: they live in the shared database. */
  sessions: RunningApi['sessions'];
  /** Stops the balancer, the replicas, Redis and PostgreSQL, in that order. */
  stop(): Promise<void>;
}

/**
 * How long a replica told to stop answers `/readyz` with 503 before it closes
 * (SHUTDOWN_DRAIN_MS): HAProxy checks every 2 s and marks a server DOWN after 2 failures
 * (deploy/haproxy/haproxy.cfg), so 4 s, and a second more for a check already under way.
 */
export const REPLICA_DRAIN_MS = 5_000;

/**
 * Tandem scaled out on loopback, as docker-compose.yml runs it: PostgreSQL and Redis,
 * `replicas` API processes sharing them (TRUST_PROXY_HOPS=1: the balancer's
 * X-Forwarded-For names the client), and HAProxy in front of them with TLS and
 * ALPN h2,http/1.1. The first replica migrates and seeds the database alone; the others
 * start together after it.
 */
export async function startScaleOut(options: StartScaleOutOptions): Promise<RunningScaleOut> {
  if (!Number.isInteger(options.replicas) || options.replicas < 1) {
    throw new Error(`replicas must be a whole number of at least 1, not ${options.replicas}`);
  }
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  try {
    const postgres = await startPostgres();
    stops.push(() => postgres.stop());
    const databaseUrl = postgres.createDatabase('tandem');
    const redis = await startRedis({ workDir: options.workDir });
    stops.push(() => redis.stop());

    // Chosen now, so the replicas' CORS list can name the balancer's origin by default.
    const [port = 0] = options.port ? [options.port] : await freePorts(1, '127.0.0.1');
    const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
    const demoPassword = options.demoPassword ?? `demo-${randomBytes(8).toString('hex')}`;
    /** The replicas running now, by index; the balancer's server lines keep their ports. */
    const replicas: RunningApi[] = [];
    const replicaGraceMs = REPLICA_DRAIN_MS + 10_000;
    // SIGINT, all together: the balancer is already gone, so none has anyone to drain for
    // (only SIGTERM drains).
    stops.push(() =>
      Promise.all(replicas.map((api) => api.stop({ signal: 'SIGINT', graceMs: replicaGraceMs }))).then(() => {}),
    );
    const startReplica = async (index: number, before?: RunningApi) => {
      const api = await startApi({
        workDir: options.workDir,
        logFile: join(options.workDir, `api${index + 1}.log`),
        adminToken,
        demoPassword,
        port: before && Number(new URL(before.origin).port),
        h1Port: before && Number(new URL(before.h1Origin).port),
        sessions: before?.sessions,
        corsOrigins: options.corsOrigins ?? [`https://localhost:${port}`],
        labs: options.labs, // #labs
        env: {
          DATABASE_URL: databaseUrl,
          REDIS_URL: redis.url,
          TRUST_PROXY_HOPS: '1',
          SHUTDOWN_DRAIN_MS: String(REPLICA_DRAIN_MS),
          ...options.env,
        },
      });
      replicas[index] = api;
      return api;
    };
    await startReplica(0);
    // Settled, not raced: a replica still starting when another fails is stopped too.
    const starting = await Promise.allSettled(
      Array.from({ length: options.replicas - 1 }, (_, index) => startReplica(index + 1)),
    );
    const failed = starting.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const first = replicas[0] as RunningApi;

    const balancer = await startHaproxy({
      workDir: options.workDir,
      port,
      backends: replicas.map((api, index) => ({
        name: `api${index + 1}`,
        address: `127.0.0.1:${new URL(api.origin).port}`,
      })),
    });
    stops.push(() => balancer.stop());
    const replicaAt = (index: number) => {
      const api = replicas[index];
      if (!api) throw new Error(`no replica ${index}: there are ${replicas.length}`);
      return api;
    };
    return {
      origin: balancer.origin,
      balancer,
      replicas,
      stopReplica: (index, signal) => replicaAt(index).stop({ signal, graceMs: replicaGraceMs }),
      startReplica: (index) => startReplica(index, replicaAt(index)),
      databaseUrl,
      redis,
      adminToken,
      demoPassword,
      sessions: first.sessions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
