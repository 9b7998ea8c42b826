import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type RunningApi,
  type RunningHaproxy,
  type RunningPostgres,
  type RunningRedis,
  startApi,
  startHaproxy,
  startPostgres,
  startRedis,
} from '@tandem/local-stack';
import { BENCH_API_ENV, LOAD_CPU, SERVER_CPU, SPA_ORIGIN } from '../http/bench-servers.js';

/**
 * What `pnpm bench scale` runs: PostgreSQL and Redis, two API replicas sharing them, and two
 * HAProxy processes with the repository's configuration (deploy/haproxy/haproxy.cfg), one
 * balancing replica A alone, one balancing A and B. With two or more cores the tier being
 * measured (the replicas and the balancers) gets CPU 0; PostgreSQL, Redis and the load
 * generators share CPU 1.
 */
export interface ScaleStack {
  replicas: [RunningApi, RunningApi];
  /** HAProxy in front of replica A only. */
  balancerOfOne: RunningHaproxy;
  /** HAProxy in front of replicas A and B. */
  balancerOfTwo: RunningHaproxy;
  adminToken: string;
  /** The demo user's session cookie, valid on every replica (the sessions live in the shared database). */
  cookie: string;
  stop(): Promise<void>;
}

/** Replica environment: the benchmarks' (limits out of reach, logs at warn) plus what replicas need. */
const replicaEnv = (databaseUrl: string, redisUrl: string): Record<string, string> => ({
  ...BENCH_API_ENV,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  TRUST_PROXY_HOPS: '1',
});

export async function startScaleStack(workDir: string): Promise<ScaleStack> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  try {
    const postgres: RunningPostgres = await startPostgres(LOAD_CPU ? { cpuList: LOAD_CPU } : {});
    stops.push(() => postgres.stop());
    const databaseUrl = postgres.createDatabase('tandem_scale');
    const redis: RunningRedis = await startRedis({ workDir, ...(LOAD_CPU ? { cpuList: LOAD_CPU } : {}) });
    stops.push(() => redis.stop());

    const adminToken = randomBytes(16).toString('hex');
    const demoPassword = `demo-${randomBytes(8).toString('hex')}`;
    const startReplica = async (name: string) => {
      const api = await startApi({
        workDir,
        logFile: join(workDir, `replica-${name}.log`),
        adminToken,
        demoPassword,
        corsOrigins: [SPA_ORIGIN],
        ...(SERVER_CPU ? { cpuList: SERVER_CPU } : {}),
        env: replicaEnv(databaseUrl, redis.url),
      });
      stops.push(() => api.stop());
      return api;
    };
    // A migrates and seeds alone; B starts on the database A left.
    const a = await startReplica('a');
    const b = await startReplica('b');

    const backend = (name: string, api: RunningApi) => ({ name, address: `127.0.0.1:${new URL(api.origin).port}` });
    const startBalancer = async (name: string, replicas: RunningApi[]) => {
      const balancerDir = join(workDir, name);
      mkdirSync(balancerDir, { recursive: true });
      const balancer = await startHaproxy({
        workDir: balancerDir,
        backends: replicas.map((api, index) => backend(`api${index + 1}`, api)),
        ...(SERVER_CPU ? { cpuList: SERVER_CPU } : {}),
      });
      stops.push(() => balancer.stop());
      return balancer;
    };
    const balancerOfOne = await startBalancer('haproxy-1', [a]);
    const balancerOfTwo = await startBalancer('haproxy-2', [a, b]);
    return { replicas: [a, b], balancerOfOne, balancerOfTwo, adminToken, cookie: a.sessions.user, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
