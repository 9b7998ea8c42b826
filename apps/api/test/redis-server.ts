// Vitest globalSetup: a throwaway redis-server on a free loopback port, no persistence (from
// @tandem/local-stack, which the scale-out stack uses too). It serves the whole `database`
// project (the `*.redis.test.ts` files read its URL with inject('redisUrl')); tests that need
// a Redis of their own — to stop it mid-test — call startRedisServer(). Stopped by pid. A
// missing binary fails the run with the install hint: never a silent skip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '@tandem/local-stack';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the project's Redis. */
    redisUrl: string;
  }
}

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * `port`: start on this port (a Redis stopped by a test, started again where its clients
 * look for it); unset: a free one. `cluster`: Redis Cluster mode, one node with every slot.
 * Its log goes to a temporary folder, removed on stop.
 */
export async function startRedisServer(options: { port?: number; cluster?: boolean } = {}): Promise<RunningRedis> {
  const workDir = mkdtempSync(join(tmpdir(), 'tandem-test-redis-'));
  try {
    const redis = await startRedis({ workDir, ...options });
    return {
      url: redis.url,
      port: redis.port,
      stop: async () => {
        await redis.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

export default async function setup(project: TestProject) {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
